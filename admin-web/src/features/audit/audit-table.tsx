import { Anchor, Badge, Box, Center, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { AuditRowFragment } from '../../generated/gql/graphql';
import { OUTCOME_COLOURS, principalLabel, whatLabel } from './audit-labels';

const ROW_HEIGHT = 44;
/** Start fetching the next page this many rows before the end of what is loaded. */
const PREFETCH_ROWS = 25;
const COLUMNS = [
  { header: 'Time', width: 184 },
  { header: 'Outcome', width: 108 },
  { header: 'Tool or change', width: 160, grow: true },
  { header: 'Principal', width: 170, grow: true },
  { header: 'Region', width: 100 },
  { header: 'Reason', width: 160 },
  { header: 'Latency', width: 72 },
] as const;
const ROW_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);
/** Fixed columns keep their width; the growing ones share what is left. */
const cell = (index: number) => {
  const c: { width: number; grow?: boolean } = COLUMNS[index]!;
  return c.grow ? { flex: `1 1 ${c.width}px`, minWidth: c.width } : { flex: 'none', width: c.width };
};

const timeLabel = (time: string) => new Date(time).toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export interface AuditTableProps {
  readonly rows: readonly AuditRowFragment[];
  /** Records matching the filter on the server (all pages). */
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly fetchingNextPage: boolean;
  readonly fetchNextPage: () => void;
  readonly detailHref: (eventId: string) => string;
  /** Height of the scrolling window in pixels. */
  readonly height?: number;
  /** Rows that arrived through the live tail: marked with a bar at their start. */
  readonly freshIds?: ReadonlySet<string>;
}

/**
 * The audit records as a virtualised grid: only the rows in view (plus a few) are in the DOM, so
 * 100,000 loaded rows scroll as smoothly as 50; the next server page loads as the end comes near.
 * ARIA grid semantics (`aria-rowcount`, `aria-rowindex`) tell assistive technology the real size;
 * each row's time is a link to its detail, so the table is keyboard navigable with Tab.
 */
export const AuditTable = ({ rows, totalCount, hasNextPage, fetchingNextPage, fetchNextPage, detailHref, height = 560, freshIds }: AuditTableProps) => {
  const scroller = useRef<HTMLDivElement>(null);
  const count = hasNextPage ? rows.length + 1 : rows.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 1000, height },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasNextPage && !fetchingNextPage && lastIndex >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, fetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  return (
    <div
      ref={scroller}
      role="table"
      aria-label="Audit records"
      aria-rowcount={totalCount + 1}
      data-testid="audit-scroller"
      style={{ height, overflow: 'auto', position: 'relative', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}
    >
      <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 1, minWidth: ROW_WIDTH, background: 'var(--mantine-color-body)' }}>
        <div role="row" aria-rowindex={1} style={{ display: 'flex', height: ROW_HEIGHT, alignItems: 'center', borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          {COLUMNS.map((c, index) => (
            <Text key={c.header} role="columnheader" size="sm" fw={600} px="xs" style={cell(index)}>
              {c.header}
            </Text>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), minWidth: ROW_WIDTH, position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index];
          const style = { position: 'absolute', top: 0, left: 0, width: '100%', minWidth: ROW_WIDTH, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, display: 'flex', alignItems: 'center', borderBottom: '1px solid var(--mantine-color-default-border)' } as const;
          if (!row) {
            return (
              <div key="loader" role="row" aria-rowindex={item.index + 2} style={style}>
                <Center role="cell" w="100%">
                  <Loader size="xs" aria-hidden />
                  <Text size="sm" c="dimmed" ml="xs">
                    Loading more records…
                  </Text>
                </Center>
              </div>
            );
          }
          return (
            <div key={row.eventId} role="row" aria-rowindex={item.index + 2} data-fresh={freshIds?.has(row.eventId) || undefined} style={{ ...style, boxShadow: freshIds?.has(row.eventId) ? 'inset 4px 0 0 var(--mantine-color-blue-6)' : undefined }}>
              <Box role="cell" px="xs" style={cell(0)}>
                <Anchor component={Link} to={detailHref(row.eventId)} size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {timeLabel(row.time)}
                </Anchor>
              </Box>
              <Box role="cell" px="xs" style={cell(1)}>
                <Badge color={OUTCOME_COLOURS[row.decision.outcome] ?? 'gray'} variant="light" style={{ overflow: 'visible' }}>
                  {row.decision.outcome}
                </Badge>
              </Box>
              <Text role="cell" size="sm" px="xs" truncate="end" ff={row.tool ? 'monospace' : undefined} style={cell(2)} title={whatLabel(row)}>
                {whatLabel(row)}
              </Text>
              <Text role="cell" size="sm" px="xs" truncate="end" style={cell(3)} title={principalLabel(row.principal)}>
                {principalLabel(row.principal)}
              </Text>
              <Text role="cell" size="sm" px="xs" truncate="end" style={cell(4)}>
                {row.region}
              </Text>
              <Text role="cell" size="sm" px="xs" truncate="end" style={cell(5)}>
                {row.decision.outcome === 'allowed' ? '' : row.decision.reason}
              </Text>
              <Text role="cell" size="sm" px="xs" style={cell(6)}>
                {Math.round(row.latencyMs)} ms
              </Text>
            </div>
          );
        })}
      </div>
    </div>
  );
};
