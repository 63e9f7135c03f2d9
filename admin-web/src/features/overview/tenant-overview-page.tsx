import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { EmptyState, QueryState } from '../../components/query-state';
import { StatusBadge } from '../../components/status-badge';
import { actorLabel, changesPerDay, chartSummary } from './activity-chart-data';
import { ActivityQuery, TenantOverviewQuery } from './overview.graphql';

const RecentActivity = ({ tenantId }: { tenantId: string }) => {
  const activity = useApiQuery(ActivityQuery, { tenantId, first: 100 });
  return (
    <QueryState query={activity} label="admin activity" isEmpty={(d) => d.activity.nodes.length === 0} empty={<EmptyState title="No changes yet">Changes made through the console or the API appear here.</EmptyState>}>
      {(data) => (
        <Stack>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Changes per day (last 14 days)
            </Title>
            <div role="img" aria-label={chartSummary(changesPerDay(data.activity.nodes, 14, new Date()))}>
              <BarChart h={220} data={changesPerDay(data.activity.nodes, 14, new Date())} dataKey="day" series={[{ name: 'changes', label: 'Changes', color: 'blue.7' }]} tickLine="y" yAxisProps={{ allowDecimals: false }} />
            </div>
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Recent changes
            </Title>
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>What</Table.Th>
                    <Table.Th>Who</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.activity.nodes.slice(0, 10).map((a) => (
                    <Table.Tr key={a.eventId}>
                      <Table.Td>{new Date(a.time).toLocaleString()}</Table.Td>
                      <Table.Td>{a.type}</Table.Td>
                      <Table.Td>{actorLabel(a.actor)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Stack>
      )}
    </QueryState>
  );
};

/** A tenant at a glance: its state and regions, and (with activity:read) what changed lately. */
export const TenantOverviewPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const tenant = useApiQuery(TenantOverviewQuery, { tenantId });
  return (
    <QueryState query={tenant} label="the tenant" isEmpty={(d) => !d.tenant} empty={<EmptyState title="No such tenant">It may have been deleted. Pick another tenant above.</EmptyState>}>
      {({ tenant: t }) => (
        <>
          <PageHeader title={t!.displayName} description={`Tenant ${t!.slug}`} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
            <Card withBorder>
              <Text size="sm" c="dimmed">
                Status
              </Text>
              <Group mt={4}>
                <StatusBadge status={t!.status} />
              </Group>
            </Card>
            <Card withBorder>
              <Text size="sm" c="dimmed">
                Regions
              </Text>
              <Text fw={600}>{t!.regions.join(', ')}</Text>
            </Card>
            <Card withBorder>
              <Text size="sm" c="dimmed">
                Last change
              </Text>
              <Text fw={600}>{new Date(t!.updatedAt).toLocaleString()}</Text>
            </Card>
          </SimpleGrid>
          {can('activity:read') && <RecentActivity tenantId={tenantId} />}
        </>
      )}
    </QueryState>
  );
};
