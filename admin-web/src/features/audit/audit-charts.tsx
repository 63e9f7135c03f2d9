import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useApiQuery } from '../../api/hooks';
import { EmptyState, QueryState } from '../../components/query-state';
import type { AuditBucketInterval, AuditFilterInput } from '../../generated/gql/graphql';
import { AuditChartsQuery } from './audit.graphql';

const bucketLabel = (start: string, interval: AuditBucketInterval): string => {
  const time = new Date(start);
  return interval === 'DAY' ? time.toLocaleDateString() : time.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
};

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);

const ChartCard = ({ title, summary, children }: { title: string; summary: string; children: React.ReactNode }) => (
  <Card withBorder>
    <Title order={2} size="h4" mb="sm">
      {title}
    </Title>
    <div role="img" aria-label={summary}>
      {children}
    </div>
  </Card>
);

/** Calls over time, denials by reason, the most called tools and latency percentiles for the filter. */
export const AuditCharts = ({ tenantId, filter, interval }: { tenantId: string; filter: AuditFilterInput; interval: AuditBucketInterval }) => {
  const charts = useApiQuery(AuditChartsQuery, { tenantId, filter, interval });
  return (
    <QueryState
      query={charts}
      label="the audit charts"
      isEmpty={(d) => d.auditCallsOverTime.length === 0 && d.auditLatency.count === 0}
      empty={<EmptyState title="No calls in this range">Widen the time range or clear filters; calls through the proxies appear here within seconds.</EmptyState>}
    >
      {(d) => {
        const buckets = d.auditCallsOverTime.map((b) => ({ bucket: bucketLabel(b.start, interval), allowed: b.allowed, denied: b.denied, failed: b.failed }));
        const total = d.auditCallsOverTime.reduce((sum, b) => sum + b.total, 0);
        const denials = d.auditDenialsByReason.map((r) => ({ reason: r.ruleId ? `${r.reason} (${r.ruleId})` : r.reason, denials: r.count }));
        const tools = d.auditTopTools.map((t) => ({ tool: t.tool, allowed: t.calls - t.denied - t.failed, denied: t.denied, failed: t.failed }));
        const latency = d.auditLatency;
        return (
          <Stack>
            <ChartCard title="Calls over time" summary={`${total} calls in ${buckets.length} time buckets`}>
              <BarChart
                h={240}
                data={buckets}
                dataKey="bucket"
                type="stacked"
                series={[
                  { name: 'allowed', label: 'Allowed', color: 'teal.7' },
                  { name: 'denied', label: 'Denied', color: 'red.7' },
                  { name: 'failed', label: 'Failed', color: 'orange.7' },
                ]}
                withLegend
                yAxisProps={{ allowDecimals: false }}
              />
            </ChartCard>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <ChartCard title="Denials by reason" summary={denials.length ? denials.map((r) => `${r.reason}: ${r.denials}`).join('; ') : 'No denials'}>
                {denials.length ? (
                  <BarChart h={220} data={denials} dataKey="reason" orientation="vertical" yAxisProps={{ width: 180 }} series={[{ name: 'denials', label: 'Denials', color: 'red.7' }]} xAxisProps={{ allowDecimals: false }} />
                ) : (
                  <Text c="dimmed">No call was denied in this range.</Text>
                )}
              </ChartCard>
              <ChartCard title="Top tools" summary={tools.map((t) => `${t.tool}: ${t.allowed + t.denied + t.failed} calls`).join('; ') || 'No tool calls'}>
                {tools.length ? (
                  <BarChart
                    h={220}
                    data={tools}
                    dataKey="tool"
                    type="stacked"
                    orientation="vertical"
                    yAxisProps={{ width: 160 }}
                    xAxisProps={{ allowDecimals: false }}
                    series={[
                      { name: 'allowed', label: 'Allowed', color: 'teal.7' },
                      { name: 'denied', label: 'Denied', color: 'red.7' },
                      { name: 'failed', label: 'Failed', color: 'orange.7' },
                    ]}
                  />
                ) : (
                  <Text c="dimmed">No tool calls in this range.</Text>
                )}
              </ChartCard>
            </SimpleGrid>
            <ChartCard title="Latency percentiles" summary={`p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, p99 ${ms(latency.p99)} over ${latency.count} calls`}>
              <SimpleGrid cols={{ base: 2, sm: 4 }} mb="sm">
                {(
                  [
                    ['p50', latency.p50],
                    ['p95', latency.p95],
                    ['p99', latency.p99],
                    ['max', latency.max],
                  ] as const
                ).map(([name, value]) => (
                  <Stack key={name} gap={0}>
                    <Text size="sm" c="dimmed">
                      {name}
                    </Text>
                    <Text fw={700} size="lg">
                      {ms(value)}
                    </Text>
                  </Stack>
                ))}
              </SimpleGrid>
              <BarChart
                h={160}
                data={[{ percentile: 'p50', ms: latency.p50 ?? 0 }, { percentile: 'p95', ms: latency.p95 ?? 0 }, { percentile: 'p99', ms: latency.p99 ?? 0 }]}
                dataKey="percentile"
                series={[{ name: 'ms', label: 'Milliseconds', color: 'blue.7' }]}
              />
            </ChartCard>
          </Stack>
        );
      }}
    </QueryState>
  );
};
