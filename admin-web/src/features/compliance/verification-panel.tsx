import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api/api-error';
import { request } from '../../api/graphql-client';
import { ErrorNotice } from '../../components/query-state';
import { useUrlFilter } from '../../components/search-params';
import { tenantPath } from '../../layout/navigation';
import { AuditVerificationQuery } from './compliance.graphql';
import { VerificationResult } from './verification-result';

const iso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/**
 * Verifies the tenant's audit chain on demand, whole or around a period (`vfrom`/`vto` in the URL):
 * every link, record MAC and checkpoint signature.
 */
export const VerificationPanel = ({ tenantId }: { tenantId: string }) => {
  const [from, setFrom] = useUrlFilter('vfrom');
  const [to, setTo] = useUrlFilter('vto');
  const [draft, setDraft] = useState({ from, to });
  const [run, setRun] = useState(0);
  const invalid = (value: string) => (value && Number.isNaN(new Date(value).getTime()) ? 'Not a date and time' : undefined);
  const rangeProblem = draft.from && draft.to && !invalid(draft.from) && !invalid(draft.to) && new Date(draft.from) >= new Date(draft.to) ? 'The end must come after the start' : undefined;
  const verification = useQuery<Awaited<ReturnType<typeof verify>>, ApiError>({
    queryKey: ['AuditVerification', tenantId, from, to, run],
    queryFn: () => verify(tenantId, from, to),
    enabled: run > 0,
    staleTime: Infinity,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid(draft.from) || invalid(draft.to) || rangeProblem) return;
    setFrom(draft.from);
    setTo(draft.to);
    setRun((n) => n + 1);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Audit chain verification
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        Recomputes every record's hash link and MAC and checks each signed checkpoint. Leave the period empty to verify the whole trail.
      </Text>
      <form onSubmit={submit} aria-label="Verify the audit trail">
        <Group align="flex-end" mb="md">
          <TextInput type="datetime-local" label="From (optional)" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} error={invalid(draft.from)} />
          <TextInput type="datetime-local" label="To (optional)" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} error={invalid(draft.to) ?? rangeProblem} />
          <Button type="submit" loading={verification.isFetching}>
            {draft.from || draft.to ? 'Verify the period' : 'Verify the whole trail'}
          </Button>
        </Group>
      </form>
      <Stack aria-live="polite">
        {verification.isFetching && (
          <Text size="sm" c="dimmed" role="status">
            Verifying the chain…
          </Text>
        )}
        {verification.error && <ErrorNotice error={verification.error} title="The verification did not run" onRetry={() => setRun((n) => n + 1)} />}
        {verification.data && !verification.isFetching && <VerificationResult result={verification.data.auditVerification} recordHref={(problem) => (problem.eventId ? tenantPath(tenantId, `audit/${problem.eventId}`) : `${tenantPath(tenantId, 'audit')}?range=all`)} />}
        {run === 0 && (
          <Text size="sm" c="dimmed">
            No verification has run in this view yet.
          </Text>
        )}
      </Stack>
    </Card>
  );
};

const verify = (tenantId: string, from: string, to: string) => request(AuditVerificationQuery, { tenantId, from: iso(from) ?? null, to: iso(to) ?? null });
