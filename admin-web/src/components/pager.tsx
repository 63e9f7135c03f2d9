import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useRef } from 'react';
import { useSearchParams } from 'react-router';

/** Rows per page of the console's lists (the API allows up to 100). */
export const PAGE_SIZE = 25;

export interface PagerState {
  /** The cursor of the page shown (`after` of the list query); null on the first page. */
  readonly after: string | null;
  /** How many pages come before this one. */
  readonly depth: number;
  next(endCursor: string): void;
  previous(): void;
}

const FIRST = '-';

/**
 * The page shown of a cursor-paginated list, kept in the URL (`after`, and the cursors of the pages
 * before it in `back`) so a page can be shared as a link and Previous works without the server.
 */
export const usePager = (): PagerState => {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  latest.current = params;
  const after = params.get('after');
  const back = params.get('back');
  const stack = back ? back.split('.') : [];
  // both parameters change in one navigation, from the latest query string (filters set since included)
  const go = (nextAfter: string | undefined, nextStack: readonly string[]) => {
    const updated = new URLSearchParams(latest.current);
    if (nextAfter) updated.set('after', nextAfter);
    else updated.delete('after');
    if (nextStack.length) updated.set('back', nextStack.join('.'));
    else updated.delete('back');
    latest.current = updated;
    setParams(updated, { replace: true });
  };
  return {
    after: after || null,
    depth: stack.length,
    next: (endCursor) => go(endCursor, [...stack, after || FIRST]),
    previous: () => {
      const previous = stack.at(-1);
      go(previous && previous !== FIRST ? previous : undefined, stack.slice(0, -1));
    },
  };
};

/**
 * A filter of a paged list, kept in the URL like `useUrlFilter`; changing it goes back to the first
 * page in the same navigation (two separate updates would each start from a stale query string).
 */
export const useListFilter = (name: string, fallback = ''): [string, (value: string) => void] => {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  latest.current = params;
  const set = (next: string) => {
    const updated = new URLSearchParams(latest.current);
    if (next && next !== fallback) updated.set(name, next);
    else updated.delete(name);
    updated.delete('after');
    updated.delete('back');
    latest.current = updated;
    setParams(updated, { replace: true });
  };
  return [params.get(name) ?? fallback, set];
};

/** Previous / next buttons and where the page is in the whole list. */
export const Pager = ({ pager, pageInfo, totalCount, shown, label }: { pager: PagerState; pageInfo: { endCursor?: string | null; hasNextPage: boolean }; totalCount: number; shown: number; label: string }) => {
  if (pager.depth === 0 && !pageInfo.hasNextPage) return null;
  const from = pager.depth * PAGE_SIZE + (shown > 0 ? 1 : 0);
  return (
    <Group justify="space-between" mt="md" aria-label={`Pages of ${label}`} role="navigation">
      <Text size="sm" c="dimmed">
        {shown > 0 ? `${from}–${pager.depth * PAGE_SIZE + shown} of ${totalCount}` : `none of ${totalCount}`}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="default" leftSection={<IconChevronLeft size={14} aria-hidden />} disabled={pager.depth === 0} onClick={pager.previous}>
          Previous
        </Button>
        <Button
          size="xs"
          variant="default"
          rightSection={<IconChevronRight size={14} aria-hidden />}
          disabled={!pageInfo.hasNextPage || !pageInfo.endCursor}
          onClick={() => pageInfo.endCursor && pager.next(pageInfo.endCursor)}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
};
