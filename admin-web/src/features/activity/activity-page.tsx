import { Anchor, Button, Card, Grid, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api/api-error';
import { request } from '../../api/graphql-client';
import { useApiSubscription } from '../../api/subscriptions';
import { JsonDiff } from '../../components/json-diff';
import { LiveBadge } from '../../components/live-badge';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { useUrlFilter } from '../../components/search-params';
import type { ActivityFilter } from '../../generated/gql/graphql';
import { tenantPath } from '../../layout/navigation';
import { actorLabel } from '../overview/activity-chart-data';
import { ActivityAddedSubscription, ActivityHistoryQuery } from './activity.graphql';

const PAGE_SIZE = 100;
type Page = Awaited<ReturnType<typeof fetchPage>>;
const fetchPage = (tenantId: string, filter: ActivityFilter, after: string | null) => request(ActivityHistoryQuery, { tenantId, first: PAGE_SIZE, after, filter });

const AGGREGATES = ['tenant', 'role', 'role-binding', 'upstream-server', 'virtual-server', 'virtual-key', 'policy', 'credential', 'service-account', 'identity-provider', 'audit-exporter'];

/**
 * Admin activity: who changed what and when, and each change's before and after side by side.
 * Changes made while the page is open are announced live (the `activityAdded` subscription) and
 * shown on request, so the list does not move under the reader.
 */
export const ActivityPage = () => {
  const { tenantId = '' } = useParams();
  const [selected, setSelected] = useUrlFilter('event');
  const [type, setType] = useUrlFilter('type');
  const [stream, setStream] = useUrlFilter('stream');
  const [actor, setActor] = useUrlFilter('actor');
  const [aggregate, setAggregate] = useUrlFilter('aggregate');
  const [draft, setDraft] = useState({ type, stream, actor });
  const filter: ActivityFilter = { ...(type ? { types: type.split(',').map((t) => t.trim()).filter(Boolean) } : {}), ...(stream ? { streamId: stream } : {}), ...(actor ? { actor } : {}), ...(aggregate ? { aggregate } : {}) };
  const pages = useInfiniteQuery<Page, ApiError, { pages: Page[] }, unknown[], string | null>({
    queryKey: ['ActivityHistory', tenantId, filter],
    queryFn: ({ pageParam }) => fetchPage(tenantId, filter, pageParam),
    initialPageParam: null,
    getNextPageParam: (last) => (last.activity.pageInfo.hasNextPage ? last.activity.pageInfo.endCursor : undefined),
  });
  const [arrived, setArrived] = useState(0);
  const live = useApiSubscription(ActivityAddedSubscription, { tenantId }, { enabled: Boolean(tenantId), onData: () => setArrived((n) => n + 1) });
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.activity.nodes) ?? [], [pages.data]);
  const total = pages.data?.pages[0]?.activity.totalCount ?? 0;
  const current = rows.find((a) => a.eventId === selected);
  const filtered = Boolean(type || stream || actor || aggregate);
  // the live feed announces a change as it is applied, a moment before the history has it: unfiltered,
  // refetch until the count has grown by what was announced (a few tries); filtered, once
  const showArrived = async () => {
    const expected = total + arrived;
    setArrived(0);
    for (let attempt = 0; attempt < 10; attempt++) {
      const next = await pages.refetch();
      if (filtered || (next.data?.pages[0]?.activity.totalCount ?? 0) >= expected) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setType(draft.type.trim());
    setStream(draft.stream.trim());
    setActor(draft.actor.trim());
  };
  return (
    <>
      <PageHeader
        title="Admin activity"
        description="Every change to this tenant: who made it, when, and what it changed."
        actions={
          <LiveBadge status={live.status} />
        }
      />
      {live.error && <ErrorNotice error={live.error} title="Live updates stopped" onRetry={live.restart} />}
      {arrived > 0 && (
        <Button variant="light" mb="md" onClick={() => void showArrived()}>
          {arrived === 1 ? '1 new change' : `${arrived.toLocaleString()} new changes`}: show
        </Button>
      )}
      <form onSubmit={apply} aria-label="Activity filters">
        <Group mb="md" align="flex-end">
          <TextInput label="Event types" placeholder="e.g. VirtualKeyRevoked" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })} />
          <TextInput label="Actor" placeholder="user subject or service account" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.currentTarget.value })} />
          <TextInput label="Stream" placeholder="e.g. virtual-key-<id>" value={draft.stream} onChange={(e) => setDraft({ ...draft, stream: e.currentTarget.value })} />
          <Select label="Kind of thing" placeholder="Everything" data={AGGREGATES} value={aggregate || null} onChange={(v) => setAggregate(v ?? '')} clearable />
          <Button type="submit" variant="default">
            Apply
          </Button>
        </Group>
      </form>
      <QueryState
        query={{ isPending: pages.isPending, error: pages.data ? null : pages.error, data: pages.data ? rows : undefined, refetch: pages.refetch }}
        label="admin activity"
        isEmpty={(d) => d.length === 0}
        empty={
          filtered ? (
            <EmptyState title="No change matches">Clear or widen the filters above.</EmptyState>
          ) : (
            <EmptyState title="No changes yet">Changes made in the console or through the API appear here with who made them.</EmptyState>
          )
        }
      >
        {() => (
          <Grid>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Text size="sm" c="dimmed" mb="xs">
                {total.toLocaleString()} {total === 1 ? 'change' : 'changes'}; {rows.length.toLocaleString()} shown
              </Text>
              <Table.ScrollContainer minWidth={520}>
                  <Table highlightOnHover aria-label="Admin changes">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>When</Table.Th>
                        <Table.Th>What</Table.Th>
                        <Table.Th>Who</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {rows.map((a) => (
                        <Table.Tr key={a.eventId} aria-current={a.eventId === selected ? true : undefined} style={a.eventId === selected ? { boxShadow: 'inset 4px 0 0 var(--mantine-color-blue-6)' } : undefined}>
                          <Table.Td>
                            <Anchor component="button" type="button" size="sm" ta="left" onClick={() => setSelected(a.eventId)} aria-label={`Show ${a.type} at ${new Date(a.time).toLocaleString()}`}>
                            {new Date(a.time).toLocaleString()}
                          </Anchor>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{a.type}</Text>
                            <Text size="xs" c="dimmed" ff="monospace">
                              {a.streamId} v{a.streamVersion}
                            </Text>
                          </Table.Td>
                          <Table.Td>{actorLabel(a.actor)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
              </Table.ScrollContainer>
              {pages.hasNextPage && (
                <Button variant="default" mt="sm" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                  Load older changes
                </Button>
              )}
              {pages.isFetchNextPageError && <ErrorNotice error={pages.error} title="Older changes did not load" onRetry={() => void pages.fetchNextPage()} />}
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Card withBorder>
                {current ? (
                  <Stack gap="xs">
                    <Title order={2} size="h4">
                      {current.type}
                    </Title>
                    <Text size="sm">
                      {actorLabel(current.actor)} · {new Date(current.time).toLocaleString()} · stream{' '}
                      <Text span ff="monospace">
                        {current.streamId}
                      </Text>{' '}
                      version {current.streamVersion}
                    </Text>
                    <Anchor component={Link} size="sm" to={`${tenantPath(tenantId, 'audit')}?range=all&kind=ADMIN`}>
                      Admin changes in the audit trail
                    </Anchor>
                    <JsonDiff label={`Before and after ${current.type}`} before={current.before ?? undefined} after={current.after ?? current.data} />
                  </Stack>
                ) : (
                  <Text c="dimmed">Choose a change on the left to see what it changed, before and after.</Text>
                )}
              </Card>
            </Grid.Col>
          </Grid>
        )}
      </QueryState>
    </>
  );
};
