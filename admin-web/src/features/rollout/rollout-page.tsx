import { Alert, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck, IconClockHour4 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { useApiSubscription } from '../../api/subscriptions';
import { LiveBadge } from '../../components/live-badge';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import type { RolloutFieldsFragment } from '../../generated/gql/graphql';
import { ageLabel } from './age';
import { RolloutChangedSubscription, RolloutQuery } from './rollout.graphql';

const short = (hash: string) => hash.slice(0, 12);

const ProxyState = ({ current, stale }: { current: boolean; stale: boolean }) =>
  stale ? (
    <Badge color="gray" variant="light">
      silent (stale)
    </Badge>
  ) : current ? (
    <Badge color="green" variant="light">
      current
    </Badge>
  ) : (
    <Badge color="orange" variant="light">
      behind
    </Badge>
  );

const RolloutView = ({ rollout, now }: { rollout: RolloutFieldsFragment; now: number }) => (
  <Stack>
    {rollout.enforcedEverywhere ? (
      <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} title="Enforced everywhere" data-testid="rollout-summary">
        Every live proxy enforces the latest snapshot {rollout.latest ? <Text span ff="monospace">{rollout.latest.logPosition}</Text> : null}.
      </Alert>
    ) : (
      <Alert color="yellow" variant="light" icon={<IconClockHour4 aria-hidden />} title="Not enforced everywhere yet" data-testid="rollout-summary">
        {rollout.latest ? 'Some proxies still enforce an older snapshot or have not reported since it was published; this page updates as they report.' : 'No snapshot has been published since the control plane started.'}
      </Alert>
    )}
    <Card withBorder>
      <Group gap="xl">
        <div>
          <Text size="sm" c="dimmed">
            Latest snapshot
          </Text>
          <Text ff="monospace">{rollout.latest ? `${rollout.latest.logPosition} · ${short(rollout.latest.contentHash)}` : '—'}</Text>
        </div>
        <div>
          <Text size="sm" c="dimmed">
            Published
          </Text>
          <Text>{rollout.publishedAt ? `${new Date(rollout.publishedAt).toLocaleString()} (${ageLabel(rollout.publishedAt, now)} ago)` : '—'}</Text>
        </div>
      </Group>
    </Card>
    {rollout.regions.map((region) => (
      <Card withBorder key={region.region}>
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            Region {region.region}
          </Title>
          <Badge color={region.enforced ? 'green' : 'orange'} variant="light">
            {region.enforced ? 'enforced' : 'rolling out'}
          </Badge>
        </Group>
        {region.proxies.length === 0 ? (
          <Text c="dimmed">No proxy of this region has reported yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={`Proxies in ${region.region}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Proxy</Table.Th>
                  <Table.Th>Snapshot version</Table.Th>
                  <Table.Th>Snapshot age</Table.Th>
                  <Table.Th>Last report</Table.Th>
                  <Table.Th>State</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {region.proxies.map((p) => (
                  <Table.Tr key={p.proxyId}>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {p.proxyId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {p.version ? `${p.version.logPosition} · ${short(p.version.contentHash)}` : 'none yet'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{p.appliedAt ? `${ageLabel(p.appliedAt, now)} (applied ${new Date(p.appliedAt).toLocaleTimeString()})` : '—'}</Table.Td>
                    <Table.Td>{ageLabel(p.reportedAt, now)} ago</Table.Td>
                    <Table.Td>
                      <ProxyState current={p.current} stale={p.stale} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    ))}
  </Stack>
);

/**
 * Where the tenant's latest policy snapshot is enforced, per region and proxy, kept live by the
 * `rolloutChanged` subscription (each publication and each proxy report); ages tick every second.
 */
export const RolloutPage = () => {
  const { tenantId = '' } = useParams();
  const rollout = useApiQuery(RolloutQuery, { tenantId });
  const client = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const ticker = useInterval(() => setNow(Date.now()), 1_000);
  useEffect(() => {
    ticker.start();
    return ticker.stop;
  }, [ticker]);
  const live = useApiSubscription(RolloutChangedSubscription, { tenantId }, { enabled: Boolean(tenantId), onData: (data) => client.setQueryData(['Rollout', { tenantId }], { rollout: data.rolloutChanged }) });
  return (
    <>
      <PageHeader
        title="Rollout"
        description="Which policy snapshot each proxy enforces: a change is in force everywhere once every region shows it."
        actions={
          <LiveBadge status={live.status} live="updating live" />
        }
      />
      {live.error && <ErrorNotice error={live.error} title="Live updates stopped" onRetry={() => {
            live.restart();
            void rollout.refetch();
          }} />}
      <QueryState
        query={rollout}
        label="the rollout"
        isEmpty={(d) => d.rollout.regions.every((r) => r.proxies.length === 0)}
        empty={
          <EmptyState title="No proxy has reported yet">
            Start a proxy for this tenant's regions (npm start runs one); it reports the snapshot it enforces within seconds and appears here.
          </EmptyState>
        }
      >
        {(d) => <RolloutView rollout={d.rollout} now={now} />}
      </QueryState>
    </>
  );
};
