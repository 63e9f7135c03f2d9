import { Anchor, Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { PageHeader } from '../../components/page-header';
import { EmptyState, QueryState } from '../../components/query-state';
import { tenantPath } from '../../layout/navigation';
import { OUTCOME_COLOURS, principalLabel, whatLabel } from './audit-labels';
import { AuditEventDetailQuery } from './audit.graphql';

const Facts = ({ title, rows }: { title: string; rows: readonly (readonly [string, ReactNode])[] }) => (
  <Card withBorder>
    <Title order={2} size="h4" mb="sm">
      {title}
    </Title>
    <Table variant="vertical" layout="fixed" withRowBorders={false}>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th w={170}>{name}</Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value ?? <Text c="dimmed" span>—</Text>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  </Card>
);

const mono = (value: string | number | null | undefined) => (value === null || value === undefined ? null : <Text span ff="monospace" size="sm">{value}</Text>);

/**
 * One audit record: what decided it (outcome, reason, rule, policy version), who and where, its
 * links in the tenant's hash chain and the checkpoint that signs over it, and the event as stored.
 */
export const AuditEventPage = () => {
  const { tenantId = '', eventId = '' } = useParams();
  const detail = useApiQuery(AuditEventDetailQuery, { tenantId, eventId });
  const explorer = (query = '') => `${tenantPath(tenantId, 'audit')}${query}`;
  return (
    <QueryState
      query={detail}
      label="the audit record"
      isEmpty={(d) => !d.auditEvent}
      empty={
        <EmptyState title="No such audit record" action={<Anchor component={Link} to={explorer()}>Back to the audit explorer</Anchor>}>
          The tenant has no record with id {eventId}. Check the link, or find the record in the explorer.
        </EmptyState>
      }
    >
      {({ auditEvent: e }) => {
        const r = e!;
        const args = (r.event['arguments'] as Record<string, unknown> | undefined) ?? undefined;
        return (
          <>
            <PageHeader
              title={`${r.kind === 'ADMIN' ? 'Admin change' : 'Tool call'} ${whatLabel(r)}`}
              description={
                <Group gap="xs" component="span">
                  <Badge component="span" color={OUTCOME_COLOURS[r.decision.outcome] ?? 'gray'} variant="light">
                    {r.decision.outcome}
                  </Badge>
                  <Text span>
                    {new Date(r.time).toLocaleString()} · record {r.seq} of the chain
                  </Text>
                </Group>
              }
              actions={
                <Anchor component={Link} to={explorer()}>
                  Back to the explorer
                </Anchor>
              }
            />
            <Stack>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <Facts
                  title="Decision"
                  rows={[
                    ['Outcome', r.decision.outcome],
                    ['Reason', mono(r.decision.reason)],
                    ['Deciding rule', r.decision.ruleId ? mono(r.decision.ruleId) : r.decision.outcome === 'allowed' ? 'no rule denied it' : null],
                    ['Message', r.decision.message],
                    [
                      'Policy version',
                      <Group gap="xs" key="pv">
                        {mono(r.decision.policyVersion.logPosition)}
                        <Anchor component={Link} size="sm" to={`${tenantPath(tenantId, 'policies/effective')}?at=${encodeURIComponent(r.decision.policyVersion.logPosition)}`}>
                          policies in force then
                        </Anchor>
                        <Anchor component={Link} size="sm" to={explorer(`?range=all&policy=${encodeURIComponent(r.decision.policyVersion.logPosition)}`)}>
                          records under it
                        </Anchor>
                      </Group>,
                    ],
                    ['Content hash', mono(r.decision.policyVersion.contentHash)],
                  ]}
                />
                <Facts
                  title="Who and where"
                  rows={[
                    ['Principal', principalLabel(r.principal)],
                    ['Method', mono(r.method)],
                    ['Tool', mono(r.tool)],
                    ['Upstream server', mono(r.upstreamServerId)],
                    ['Virtual server', mono(r.virtualServerId)],
                    ['Region / proxy', `${r.region} / ${r.proxyId}`],
                    ['Latency', `${r.latencyMs} ms`],
                    ['Trace id', mono(r.traceId)],
                  ]}
                />
              </SimpleGrid>
              <Facts
                title="Hash chain"
                rows={[
                  ['Position (seq)', mono(r.seq)],
                  ['Hash', mono(r.hash)],
                  ['Previous hash', mono(r.prevHash)],
                  ['MAC key', mono(r.macKeyId)],
                  ['Signed by checkpoint', r.checkpoint ? `checkpoint at seq ${r.checkpoint.seq}, key ${r.checkpoint.keyId}, signed ${new Date(r.checkpoint.signedAt).toLocaleString()}` : 'not yet: the next signed checkpoint will cover this record'],
                ]}
              />
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  Arguments as captured
                </Title>
                {args ? (
                  <Code block aria-label="Captured arguments">{JSON.stringify(args, null, 2)}</Code>
                ) : (
                  <Text c="dimmed">
                    {r.argumentsHash ? `Only the arguments' SHA-256 was captured (the tenant's policy does not keep arguments): ${r.argumentsHash}` : 'No arguments were captured for this record.'}
                  </Text>
                )}
              </Card>
              {r.change && (
                <Card withBorder>
                  <Title order={2} size="h4" mb="sm">
                    The change
                  </Title>
                  <Code block>{JSON.stringify(r.change, null, 2)}</Code>
                </Card>
              )}
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  The record as stored and hashed
                </Title>
                <Code block aria-label="Stored audit event">{JSON.stringify(r.event, null, 2)}</Code>
              </Card>
            </Stack>
          </>
        );
      }}
    </QueryState>
  );
};
