import { Alert, Button, Group, Switch, Tabs, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { ApiError } from '../../api/api-error';
import { request } from '../../api/graphql-client';
import { useApiSubscription } from '../../api/subscriptions';
import { LiveBadge } from '../../components/live-badge';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { useUrlFilter } from '../../components/search-params';
import type { AuditFilterInput, AuditRowFragment } from '../../generated/gql/graphql';
import { tenantPath } from '../../layout/navigation';
import { AuditCharts } from './audit-charts';
import { AuditFilterBar } from './audit-filter-bar';
import { AuditFilterProblem, bucketInterval, toAuditFilter, toTailFilter } from './audit-filters';
import { AuditTable } from './audit-table';
import { AuditEventsQuery, AuditTailSubscription } from './audit.graphql';
import { useAuditFilters } from './use-audit-filters';

const PAGE_SIZE = 100;
/** The live tail keeps at most this many records in memory (the newest). */
const TAIL_LIMIT = 5_000;

const useAuditPages = (tenantId: string, filter: AuditFilterInput | undefined) =>
  useInfiniteQuery<Awaited<ReturnType<typeof fetchPage>>, ApiError, { pages: Awaited<ReturnType<typeof fetchPage>>[] }, unknown[], string | null>({
    queryKey: ['AuditEvents', tenantId, filter],
    queryFn: ({ pageParam }) => fetchPage(tenantId, filter ?? {}, pageParam),
    initialPageParam: null,
    getNextPageParam: (last) => (last.auditEvents.pageInfo.hasNextPage ? last.auditEvents.pageInfo.endCursor : undefined),
    enabled: filter !== undefined,
  });
const fetchPage = (tenantId: string, filter: AuditFilterInput, after: string | null) => request(AuditEventsQuery, { tenantId, filter, first: PAGE_SIZE, after });

/** The live tail: records matching the filter as the audit sink writes them, newest first. */
const useLiveTail = (tenantId: string, filter: AuditFilterInput | undefined, enabled: boolean) => {
  const [tail, setTail] = useState<AuditRowFragment[]>([]);
  const onData = useCallback((data: { auditTail: AuditRowFragment }) => setTail((rows) => (rows.some((r) => r.eventId === data.auditTail.eventId) ? rows : [data.auditTail, ...rows].slice(0, TAIL_LIMIT))), []);
  const subscription = useApiSubscription(AuditTailSubscription, { tenantId, filter: toTailFilter(filter ?? {}) }, { enabled: enabled && filter !== undefined, onData });
  return { ...subscription, tail, reset: () => setTail([]) };
};

/**
 * The audit explorer: every filter in the URL, a virtualised list fed page by page by the server
 * (`auditEvents`, cursor pagination), a live tail over graphql-ws, and charts for the same filter.
 */
export const AuditExplorerPage = () => {
  const { tenantId = '' } = useParams();
  const [state, setFilters] = useAuditFilters();
  const [view, setView] = useUrlFilter('view', 'records');
  const [live, setLive] = useUrlFilter('live', '');
  // presets are relative to when the user chose them (or pressed Refresh), so the query key is stable
  const [anchor, setAnchor] = useState(() => Date.now());
  const { filter, problem } = useMemo(() => {
    try {
      return { filter: toAuditFilter(state, new Date(anchor)), problem: undefined };
    } catch (error) {
      if (error instanceof AuditFilterProblem) return { filter: undefined, problem: error };
      throw error;
    }
  }, [JSON.stringify(state), anchor]);
  const pages = useAuditPages(tenantId, filter);
  const tail = useLiveTail(tenantId, filter, live === '1');
  const loaded = useMemo(() => pages.data?.pages.flatMap((p) => p.auditEvents.edges.map((e) => e.node)) ?? [], [pages.data]);
  const rows = useMemo(() => {
    if (tail.tail.length === 0) return loaded;
    const seen = new Set(loaded.map((r) => r.eventId));
    return [...tail.tail.filter((r) => !seen.has(r.eventId)), ...loaded];
  }, [loaded, tail.tail]);
  const freshIds = useMemo(() => new Set(tail.tail.map((r) => r.eventId)), [tail.tail]);
  const totalCount = (pages.data?.pages[0]?.auditEvents.totalCount ?? 0) + (rows.length - loaded.length);
  const refresh = () => {
    tail.reset();
    setAnchor(Date.now());
  };
  const onFilters = (patch: Parameters<typeof setFilters>[0]) => {
    tail.reset();
    if (patch.range) setAnchor(Date.now());
    setFilters(patch);
  };

  return (
    <>
      <PageHeader
        title="Audit explorer"
        description="Every tool call through the proxies and every admin change, hash-chained. Filter, follow live, open a record to see what decided it."
        actions={
          <Group gap="sm">
            <Switch
              label="Live tail"
              checked={live === '1'}
              onChange={(e) => {
                tail.reset();
                setLive(e.currentTarget.checked ? '1' : '');
              }}
            />
            {live === '1' && (
              <LiveBadge status={tail.status} stopped="stopped" announce />
            )}
            <Button variant="default" onClick={refresh}>
              Refresh
            </Button>
          </Group>
        }
      />
      <AuditFilterBar state={state} onChange={onFilters} problem={problem} />
      {tail.error && (
        <ErrorNotice
          error={tail.error}
          title="The live tail stopped"
          onRetry={() => {
            setLive('');
            setTimeout(() => setLive('1'), 0);
          }}
        />
      )}
      {problem ? (
        <Alert color="red" variant="light" title="The time range is not valid" role="alert">
          {problem.message}. Correct the custom range above, or pick a preset.
        </Alert>
      ) : (
        <Tabs value={view} onChange={(v) => setView(v ?? 'records')} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="records">Records</Tabs.Tab>
            <Tabs.Tab value="charts">Charts</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="records">
            <QueryState
              query={{ isPending: pages.isPending, error: pages.data ? null : pages.error, data: pages.data ? rows : undefined, refetch: pages.refetch }}
              label="audit records"
              isEmpty={(d) => d.length === 0}
              empty={
                <EmptyState title="No audit records match">
                  {live === '1'
                    ? 'Waiting for calls: new records matching the filters appear here as the proxies report them.'
                    : 'Widen the time range or clear filters. Calls through the proxies appear within seconds; turn on the live tail to follow them.'}
                </EmptyState>
              }
            >
              {(data) => (
                <>
                  <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
                    {totalCount.toLocaleString()} {totalCount === 1 ? 'record' : 'records'}{freshIds.size ? `, ${freshIds.size} new from the live tail` : ''}; {data.length.toLocaleString()} loaded
                  </Text>
                  <AuditTable
                    rows={data}
                    totalCount={totalCount}
                    hasNextPage={pages.hasNextPage}
                    fetchingNextPage={pages.isFetchingNextPage}
                    fetchNextPage={() => void pages.fetchNextPage()}
                    detailHref={(eventId) => tenantPath(tenantId, `audit/${encodeURIComponent(eventId)}`)}
                    freshIds={freshIds}
                  />
                  {pages.isFetchNextPageError && <ErrorNotice error={pages.error} title="The next page did not load" onRetry={() => void pages.fetchNextPage()} />}
                </>
              )}
            </QueryState>
          </Tabs.Panel>
          <Tabs.Panel value="charts">{filter && <AuditCharts tenantId={tenantId} filter={filter} interval={bucketInterval(state.range)} />}</Tabs.Panel>
        </Tabs>
      )}
    </>
  );
};
