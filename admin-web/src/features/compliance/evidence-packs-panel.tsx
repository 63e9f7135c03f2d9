import { Anchor, Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { request } from '../../api/graphql-client';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import type { EvidenceFramework, EvidencePackFieldsFragment } from '../../generated/gql/graphql';
import { EvidenceProgress } from './evidence-progress';
import { EvidencePackQuery, EvidencePacksQuery, GenerateEvidencePackMutation } from './compliance.graphql';

const POLL_MS = 1_000;
const DAY = 86_400_000;
const localInput = (time: Date) => new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const bytesLabel = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '—' : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Checks the period before asking the API: readable dates, start before end, at most 400 days. */
export const periodProblem = (from: string, to: string): { field: 'from' | 'to'; message: string } | undefined => {
  const start = new Date(from);
  const end = new Date(to);
  if (!from || Number.isNaN(start.getTime())) return { field: 'from', message: 'Enter when the period starts' };
  if (!to || Number.isNaN(end.getTime())) return { field: 'to', message: 'Enter when the period ends' };
  if (end <= start) return { field: 'to', message: 'The end must come after the start' };
  if (end.getTime() - start.getTime() > 400 * DAY) return { field: 'to', message: 'A pack covers at most 400 days' };
  return undefined;
};

/** Packs still being generated, polled every second until they finish; the list shows the fresh state. */
const useLivePacks = (tenantId: string, packs: readonly EvidencePackFieldsFragment[]) => {
  const busy = packs.filter((p) => p.status === 'QUEUED' || p.status === 'RUNNING');
  const polled = useQueries({
    queries: busy.map((p) => ({
      queryKey: ['EvidencePack', { tenantId, id: p.id }],
      queryFn: () => request(EvidencePackQuery, { tenantId, id: p.id }),
      refetchInterval: (query: { state: { data?: { evidencePack: EvidencePackFieldsFragment } } }) => {
        const status = query.state.data?.evidencePack.status;
        return status === 'SUCCEEDED' || status === 'FAILED' ? false : POLL_MS;
      },
    })),
  });
  const fresh = new Map(polled.flatMap((q) => (q.data ? [[q.data.evidencePack.id, q.data.evidencePack] as const] : [])));
  return packs.map((p) => fresh.get(p.id) ?? p);
};

/** Evidence packs: generate one for a framework and period, follow its progress, download it. */
export const EvidencePacksPanel = ({ tenantId }: { tenantId: string }) => {
  const now = new Date();
  const [framework, setFramework] = useState<EvidenceFramework>('SOC2');
  const [from, setFrom] = useState(() => localInput(new Date(now.getTime() - 90 * DAY)));
  const [to, setTo] = useState(() => localInput(new Date(now.getTime() + 60_000)));
  const [checked, setChecked] = useState(false);
  const packs = useApiQuery(EvidencePacksQuery, { tenantId, first: 20 });
  const generate = useApiMutation(GenerateEvidencePackMutation);
  const live = useLivePacks(tenantId, packs.data?.evidencePacks.nodes ?? []);
  const problem = checked ? periodProblem(from, to) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (periodProblem(from, to)) return;
    generate.mutate({ tenantId, input: { framework, from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
  };
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Evidence packs
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        A signed zip for auditors: the controls of the framework checked against the period's tool calls, admin changes and access, with the chain verification.
      </Text>
      <form onSubmit={submit} aria-label="Generate an evidence pack">
        <Group align="flex-end" mb="md">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="framework-label">
              Framework
            </Text>
            <SegmentedControl
              aria-labelledby="framework-label"
              value={framework}
              onChange={(v) => setFramework(v as EvidenceFramework)}
              data={[
                { value: 'SOC2', label: 'SOC 2' },
                { value: 'HIPAA', label: 'HIPAA' },
              ]}
            />
          </Stack>
          <TextInput type="datetime-local" label="Period from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={problem?.field === 'from' ? problem.message : generate.error?.issueFor('from')} required />
          <TextInput type="datetime-local" label="Period to" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={problem?.field === 'to' ? problem.message : generate.error?.issueFor('to')} required />
          <Button type="submit" loading={generate.isPending}>
            Generate evidence pack
          </Button>
        </Group>
      </form>
      {generate.error && <ErrorNotice error={generate.error} title="The evidence pack was not started" />}
      <QueryState
        query={packs}
        label="evidence packs"
        isEmpty={(d) => d.evidencePacks.nodes.length === 0}
        empty={<EmptyState title="No evidence packs yet">Choose a framework and a period above and generate the first one; it takes seconds to minutes depending on the trail.</EmptyState>}
      >
        {() => (
          <Table.ScrollContainer minWidth={820}>
            <Table aria-label="Evidence packs" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Framework and period</Table.Th>
                  <Table.Th>Requested</Table.Th>
                  <Table.Th w={260}>Status</Table.Th>
                  <Table.Th>Archive</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {live.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {p.framework === 'SOC2' ? 'SOC 2' : 'HIPAA'}
                      </Text>
                      <Text size="xs">
                        {new Date(p.from).toLocaleDateString()} – {new Date(p.to).toLocaleDateString()}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.requestedBy}</Text>
                      <Text size="xs">{new Date(p.createdAt).toLocaleString()}</Text>
                    </Table.Td>
                    <Table.Td>
                      <EvidenceProgress pack={p} />
                    </Table.Td>
                    <Table.Td>
                      {p.status === 'SUCCEEDED' && p.downloadUrl ? (
                        <Stack gap={2}>
                          <Anchor href={p.downloadUrl} download size="sm">
                            Download zip ({bytesLabel(p.bytes)})
                          </Anchor>
                          <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                            sha256 {p.sha256}
                          </Text>
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {p.status === 'FAILED' ? 'none' : 'when finished'}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
};
