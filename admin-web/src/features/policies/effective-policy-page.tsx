import { Badge, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { PageHeader } from '../../components/page-header';
import { EmptyState, QueryState } from '../../components/query-state';
import { useUrlFilter } from '../../components/search-params';
import { actorLabel } from '../overview/activity-chart-data';
import { EffectivePolicyQuery } from './policies.graphql';
import { usePolicyHistory } from './policy-history';
import { positionText, type EffectivePolicy } from './policy-model';

/** The rule set in force now or right after any past policy change (`?at=<position>`). */
export const EffectivePolicyPage = () => {
  const { tenantId = '' } = useParams();
  const [at, setAt] = useUrlFilter('at', 'latest');
  const history = usePolicyHistory(tenantId);
  const effective = useApiQuery(EffectivePolicyQuery, { tenantId, at });
  const options = [
    { value: 'latest', label: 'Now' },
    ...[...(history.data ?? [])].reverse().map((c) => ({ value: positionText(c.position), label: `${new Date(c.time).toLocaleString()} · ${c.event} v${c.version} by ${actorLabel(c.actor)}` })),
  ];
  return (
    <>
      <PageHeader title="Effective policy" description="All active policies combined, as the proxies enforced them at that point." />
      <Select label="As of" data={options} value={at} onChange={(v) => setAt(v ?? 'latest')} allowDeselect={false} maw={560} mb="md" searchable />
      <QueryState query={effective} label="the effective policy">
        {(d) => {
          const e = d.effectivePolicyAt as unknown as EffectivePolicy;
          if (e.policies.length === 0) return <EmptyState title="No active policy at that point">Every tool a key opened was allowed.</EmptyState>;
          return (
            <Stack>
              <Group gap="xs">
                <Text size="sm">Log position {positionText(e.position)} · policies:</Text>
                {e.policies.map((p) => (
                  <Badge key={p.policyId} variant="light">
                    {p.name} v{p.version}
                  </Badge>
                ))}
              </Group>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  Tool rules (deny first)
                </Title>
                <Table.ScrollContainer minWidth={600}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Rule</Table.Th>
                        <Table.Th>Effect</Table.Th>
                        <Table.Th>Tools</Table.Th>
                        <Table.Th>Subjects</Table.Th>
                        <Table.Th>Policy</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {e.effective.toolRules.map((r) => (
                        <Table.Tr key={`${r.policyId}/${r.rule.id}`}>
                          <Table.Td>{r.rule.id}</Table.Td>
                          <Table.Td>
                            <Badge color={r.rule.effect === 'deny' ? 'red' : 'green'} variant="light">
                              {r.rule.effect}
                            </Badge>
                          </Table.Td>
                          <Table.Td ff="monospace">{r.rule.tools.join(', ')}</Table.Td>
                          <Table.Td>
                            {Object.entries(r.rule.subjects)
                              .filter(([, v]) => v.length)
                              .map(([k, v]) => `${k}: ${v.join(', ')}`)
                              .join('; ') || 'everyone'}
                          </Table.Td>
                          <Table.Td>{r.policyName}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <Card withBorder>
                <Title order={2} size="h5" mb="xs">
                  Limits and audit
                </Title>
                {e.effective.rateLimits.map((l) => (
                  <Text key={l.limit.id} size="sm">
                    Rate limit {l.limit.id} ({l.policyName}): {l.limit.capacity} calls per {l.limit.scope}, refilled at {l.limit.refillPerSecond}/s
                  </Text>
                ))}
                {e.effective.budgets.map((b) => (
                  <Text key={b.budget.id} size="sm">
                    Budget {b.budget.id} ({b.policyName}): per {b.budget.scope} and {b.budget.period}
                    {b.budget.maxCalls !== undefined ? `, at most ${b.budget.maxCalls} calls` : ''}
                    {b.budget.maxCost !== undefined ? `, at most ${b.budget.maxCost} cost units` : ''}
                  </Text>
                ))}
                {(e.effective.toolCosts ?? []).map((c) => (
                  <Text key={`${c.policyName}/${c.toolCost.id}`} size="sm">
                    Tool cost {c.toolCost.id} ({c.policyName}): {c.toolCost.tools} costs {c.toolCost.cost} per call
                  </Text>
                ))}
                <Text size="sm">Audit: {JSON.stringify(e.effective.audit)}</Text>
              </Card>
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
};
