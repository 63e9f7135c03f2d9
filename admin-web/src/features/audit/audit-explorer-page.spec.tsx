import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerFetch, renderRoutes } from '../../test/render';
import { AuditExplorerPage } from './audit-explorer-page';

describe(AuditExplorerPage.name, () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the live-tail switch and the filters in the URL', async () => {
    vi.stubGlobal('fetch', answerFetch({ AuditEvents: () => ({ data: { auditEvents: { totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, edges: [] } } }) }));
    const { router } = renderRoutes([{ path: '/t/:tenantId/audit', element: <AuditExplorerPage /> }], '/t/t1/audit?outcome=denied');
    expect(await screen.findByRole('heading', { name: 'No audit records match' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('switch', { name: 'Live tail' }));
    expect(new URLSearchParams(router.state.location.search).get('live')).toBe('1');
    expect(new URLSearchParams(router.state.location.search).get('outcome')).toBe('denied');
    expect(screen.getByRole('switch', { name: 'Live tail' })).toBeChecked();
  });
});
