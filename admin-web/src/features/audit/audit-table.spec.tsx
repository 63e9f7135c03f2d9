import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRowFragment } from '../../generated/gql/graphql';
import { renderInApp } from '../../test/render';
import { AuditTable } from './audit-table';

const row = (i: number): AuditRowFragment => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  seq: 100_000 - i,
  time: new Date(Date.UTC(2026, 10, 25, 12) - i * 1000).toISOString(),
  kind: 'TOOL_CALL',
  method: 'tools/call',
  tool: `tool_${i}`,
  region: 'eu-west-1',
  proxyId: 'proxy-a',
  latencyMs: 12.4,
  principal: { kind: 'virtual-key', keyId: 'key-1', keyPrefix: 'mcpg_AbCd' },
  upstreamServerId: null,
  virtualServerId: null,
  decision: { outcome: i % 10 === 0 ? 'denied' : 'allowed', reason: i % 10 === 0 ? 'policy.tool_denied' : 'policy.default_allow', ruleId: null, policyVersion: { logPosition: '0:1' } },
});

describe(AuditTable.name, () => {
  // jsdom does no layout: give the scrolling window the height a browser would (the virtualiser reads clientHeight)
  beforeEach(() => {
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockImplementation(function (this: Element) {
      return this.getAttribute('data-testid') === 'audit-scroller' ? 560 : 0;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('keeps only a window of a 100,000-row model in the DOM', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => row(i));
    const fetchNextPage = vi.fn();
    renderInApp(<AuditTable rows={rows} totalCount={100_000} hasNextPage={false} fetchingNextPage={false} fetchNextPage={fetchNextPage} detailHref={(id) => `/t/t1/audit/${id}`} height={560} />);
    const table = screen.getByRole('table', { name: 'Audit records' });
    expect(table).toHaveAttribute('aria-rowcount', '100001');
    const bodyRows = within(table).getAllByRole('row').slice(1);
    // 560 px of 44 px rows plus the overscan: a few dozen rows, not 100,000
    expect(bodyRows.length).toBeGreaterThan(5);
    expect(bodyRows.length).toBeLessThan(40);
    expect(within(bodyRows[0]!).getByText('tool_0')).toBeInTheDocument();
    expect(within(bodyRows[0]!).getByRole('link')).toHaveAttribute('href', `/t/t1/audit/${rows[0]!.eventId}`);
    expect(screen.queryByText('tool_50000')).not.toBeInTheDocument();
    // everything is loaded: nothing more to fetch
    expect(fetchNextPage).not.toHaveBeenCalled();
  });

  it('asks for the next server page when the window nears the end of what is loaded', () => {
    const fetchNextPage = vi.fn();
    renderInApp(<AuditTable rows={Array.from({ length: 20 }, (_, i) => row(i))} totalCount={100_000} hasNextPage fetchingNextPage={false} fetchNextPage={fetchNextPage} detailHref={(id) => id} />);
    expect(fetchNextPage).toHaveBeenCalled();
    expect(screen.getByText('Loading more records…')).toBeInTheDocument();
  });

  it('does not ask twice while a page is on its way', () => {
    const fetchNextPage = vi.fn();
    renderInApp(<AuditTable rows={Array.from({ length: 20 }, (_, i) => row(i))} totalCount={100_000} hasNextPage fetchingNextPage fetchNextPage={fetchNextPage} detailHref={(id) => id} />);
    expect(fetchNextPage).not.toHaveBeenCalled();
  });
});
