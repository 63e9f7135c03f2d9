import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { EvidencePackFieldsFragment } from '../../generated/gql/graphql';

const STATUS_COLOURS: Record<string, string> = { QUEUED: 'gray', RUNNING: 'blue', SUCCEEDED: 'green', FAILED: 'red' };

/** Words for the generator's phases (control-plane evidence builder). */
const PHASES: Record<string, string> = {
  queued: 'waiting to start',
  state: 'reading the tenant',
  'tool-calls': 'collecting tool calls',
  'admin-changes': 'collecting admin changes',
  'access-review': 'building the access review',
  exporters: 'checking SIEM exporters',
  verification: 'verifying the audit chain',
  rules: 'evaluating the controls',
  charts: 'drawing charts',
  report: 'writing the report',
  archive: 'signing and packing the archive',
  done: 'done',
};

export const phaseLabel = (phase: string): string => PHASES[phase] ?? phase;

/** Where one pack's generation stands: status, phase in words, and a labelled progress bar. */
export const EvidenceProgress = ({ pack }: { pack: Pick<EvidencePackFieldsFragment, 'id' | 'status' | 'progress' | 'error'> }) => {
  const { progress } = pack;
  const busy = pack.status === 'QUEUED' || pack.status === 'RUNNING';
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Badge color={STATUS_COLOURS[pack.status] ?? 'gray'} variant="light">
          {pack.status.toLowerCase()}
        </Badge>
        {busy && (
          <Text size="sm">
            {phaseLabel(progress.phase)}
            {progress.total > 0 ? ` (${progress.done.toLocaleString()} of ${progress.total.toLocaleString()})` : ''}
          </Text>
        )}
      </Group>
      {busy && <Progress value={progress.percent} animated aria-label={`Evidence pack ${pack.id}: ${progress.percent}% (${phaseLabel(progress.phase)})`} />}
      {pack.status === 'FAILED' && (
        <Text size="sm" c="red.8">
          {pack.error === 'interrupted' ? 'The control plane stopped during the generation: generate it again.' : `Failed: ${pack.error ?? 'no reason given'}. Generate it again; report it if it keeps failing.`}
        </Text>
      )}
    </Stack>
  );
};
