import { Badge, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { PageHeader } from '../../components/page-header';
import { EmptyState, QueryState } from '../../components/query-state';
import { BudgetUsageQuery } from './policies.graphql';

/** Share of a budget used, in %, by the tighter of its two maxima (calls, cost). */
export const budgetShare = (use: { calls: number; cost: number }, budget: { maxCalls?: number | null; maxCost?: number | null }): number => {
  const shares = [budget.maxCalls ? use.calls / budget.maxCalls : 0, budget.maxCost ? use.cost / budget.maxCost : 0];
  return Math.min(100, Math.round(Math.max(...shares) * 1000) / 10);
};

/** The period's days as people read them: its first and last day (UTC), one date for a day. */
export const periodText = (start: string, end: string): string => {
  const last = new Date(Date.parse(end) - 1).toISOString().slice(0, 10);
  return `${start === last ? start : `${start} to ${last}`} (UTC)`;
};

const limitText = (b: { maxCalls?: number | null; maxCost?: number | null }) =>
  [typeof b.maxCalls === 'number' ? `${b.maxCalls.toLocaleString()} calls` : undefined, typeof b.maxCost === 'number' ? `${b.maxCost.toLocaleString()} cost units` : undefined].filter(Boolean).join(' and ');

/** Every budget of the tenant's keys and policies, and who used how much of it this period, across all proxies. */
export const BudgetsPage = () => {
  const { tenantId = '' } = useParams();
  const usage = useApiQuery(BudgetUsageQuery, { tenantId }, { refetchInterval: 5_000 });
  return (
    <>
      <PageHeader title="Budgets" description="Calls and cost per budget in its current UTC period, counted from the audit trail of every proxy: what the proxies enforce." />
      <QueryState query={usage} label="budget usage">
        {(d) => {
          const { budgets, asOf, countedThroughSeq } = d.budgetUsage;
          if (budgets.length === 0) return <EmptyState title="No budgets">Give a key a budget in its scopes, or a policy budgets (and toolCosts to price tools).</EmptyState>;
          return (
            <Stack>
              <Text size="sm" c="dimmed">
                As of {new Date(asOf as string).toLocaleString()}, audit trail counted through record {countedThroughSeq}
              </Text>
              {budgets.map((b) => (
                <Card withBorder key={b.budgetId}>
                  <Group justify="space-between" mb="xs">
                    <Title order={2} size="h5">
                      {b.keyId ? `Key ${b.keyId}` : `Policy ${b.policyName}`} · {b.id}
                    </Title>
                    <Text size="sm" c="dimmed">
                      per {b.scope}, at most {limitText(b)} a {b.period} · {periodText(b.periodStart, b.periodEnd as string)}
                    </Text>
                  </Group>
                  {b.subjects.length === 0 ? (
                    <Text size="sm">Nothing used this period.</Text>
                  ) : (
                    <Table.ScrollContainer minWidth={500}>
                      <Table>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{b.scope}</Table.Th>
                            <Table.Th>Calls</Table.Th>
                            <Table.Th>Cost</Table.Th>
                            <Table.Th w="35%">Used</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {b.subjects.map((s) => {
                            const share = budgetShare(s, b);
                            return (
                              <Table.Tr key={s.subject}>
                                <Table.Td>{s.subject}</Table.Td>
                                <Table.Td>{s.calls.toLocaleString()}</Table.Td>
                                <Table.Td>{s.cost.toLocaleString()}</Table.Td>
                                <Table.Td>
                                  <Group gap="xs" wrap="nowrap">
                                    <Progress value={share} color={s.spent ? 'red' : share >= 80 ? 'orange' : 'blue'} w="100%" aria-label={`${share}% of the budget used`} />
                                    {s.spent ? <Badge color="red">spent</Badge> : <Text size="xs">{share}%</Text>}
                                  </Group>
                                </Table.Td>
                              </Table.Tr>
                            );
                          })}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                  {b.subjectCount > b.subjects.length ? (
                    <Text size="xs" c="dimmed" mt="xs">
                      {b.subjectCount - b.subjects.length} more with less use
                    </Text>
                  ) : null}
                </Card>
              ))}
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
};
