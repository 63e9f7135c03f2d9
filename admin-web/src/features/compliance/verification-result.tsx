import { Alert, Anchor, List, Text } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { AuditVerificationQuery } from '../../generated/gql/graphql';

type Verification = AuditVerificationQuery['auditVerification'];

const PROBLEM_WORDS: Record<string, string> = {
  altered: 'was altered after it was written',
  removed: 'is missing: a record was removed before it',
  inserted: 'was inserted: the sink never wrote it',
  checkpoint_mismatch: 'does not match the signed checkpoint over it',
  bad_signature: 'is covered by a checkpoint whose signature does not verify',
};

const ANCHOR_WORDS: Record<string, string> = {
  genesis: 'the start of the trail',
  checkpoint: 'a signed checkpoint',
  retention: 'the point where retention removed older records',
};

/**
 * The result of an audit-chain verification, stated plainly: intact with what was checked, or the
 * first bad record, what is wrong with it, and a link to it in the explorer.
 */
/** Where the console shows the first bad record: its detail page when it is still stored, else the explorer. */
export type RecordHref = (problem: { readonly seq: number; readonly eventId?: string | null }) => string;

export const VerificationResult = ({ result, recordHref }: { result: Verification; recordHref: RecordHref }) => {
  const checked = (
    <List size="sm" spacing={2}>
      <List.Item>
        {result.records.toLocaleString()} records checked{result.fromSeq !== null && result.fromSeq !== undefined ? ` (seq ${result.fromSeq} to ${result.toSeq ?? result.fromSeq})` : ''}
        {result.anchor ? `, chained to ${ANCHOR_WORDS[result.anchor] ?? result.anchor}` : ''}
      </List.Item>
      <List.Item>
        {result.checkpoints.toLocaleString()} signed checkpoints verified{result.lastCheckpointSeq ? `, the last at seq ${result.lastCheckpointSeq}` : ''}
      </List.Item>
      <List.Item>{result.macChecked ? 'every record MAC checked' : 'record MACs not checked (no MAC key on this control plane)'}</List.Item>
      {result.unsignedTail > 0 && (
        <List.Item>
          {result.unsignedTail === 1 ? 'the newest record is' : `${result.unsignedTail.toLocaleString()} newest records are`} not yet covered by a signed checkpoint
        </List.Item>
      )}
      {result.retentions > 0 && <List.Item>{result.retentions} retention cut(s) verified</List.Item>}
    </List>
  );
  if (result.ok) {
    return (
      <Alert color="green" variant="light" role="status" title="The audit trail is intact" icon={<IconShieldCheck aria-hidden />} data-testid="verification-result">
        {result.records === 0 ? <Text size="sm">There are no records in this range yet: nothing to verify.</Text> : checked}
      </Alert>
    );
  }
  const problem = result.problem;
  return (
    <Alert color="red" variant="light" title="The audit trail is NOT intact" icon={<IconAlertTriangle aria-hidden />} role="alert" data-testid="verification-result">
      {problem ? (
        <>
          <Text size="sm" mb="xs">
            Record {problem.seq} {PROBLEM_WORDS[problem.kind] ?? `failed the check (${problem.kind})`}. {problem.detail}
          </Text>
          <Anchor component={Link} to={recordHref(problem)} size="sm">
            {problem.eventId ? `Open record ${problem.seq} as it is stored now` : `Find the records around ${problem.seq} in the audit explorer (ordered by time, then chain position)`}
          </Anchor>
          <Text size="sm" mt="xs">
            Preserve the database as it is and tell your security team: everything after this record cannot be trusted until it is explained.
          </Text>
        </>
      ) : (
        <Text size="sm">The verification failed without naming a record.</Text>
      )}
      {checked}
    </Alert>
  );
};
