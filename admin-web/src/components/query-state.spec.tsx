import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error';
import { renderInApp } from '../test/render';
import { EmptyState, QueryState } from './query-state';

const query = <T,>(state: { isPending?: boolean; error?: unknown; data?: T }) => ({ isPending: false, error: null, data: undefined, refetch: vi.fn(), ...state });

describe(QueryState.name, () => {
  it('announces loading', () => {
    renderInApp(<QueryState query={query({ isPending: true })} label="keys">{() => 'loaded'}</QueryState>);
    expect(screen.getByRole('status')).toHaveTextContent('Loading keys');
  });

  it('shows a typed error with what to do next, and retries on request', async () => {
    const q = query({ error: new ApiError('FORBIDDEN', 'auth.permission_denied', 'this needs the key:read permission') });
    renderInApp(<QueryState query={q} label="keys">{() => 'loaded'}</QueryState>);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('this needs the key:read permission');
    expect(alert).toHaveTextContent('Ask a tenant admin');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(q.refetch).toHaveBeenCalledOnce();
  });

  it('shows the empty state when there is nothing, and the content otherwise', () => {
    const empty = <EmptyState title="No keys">Issue one.</EmptyState>;
    const { rerender } = renderInApp(<QueryState query={query({ data: [] as string[] })} label="keys" isEmpty={(d) => d.length === 0} empty={empty}>{(d) => d.join(',')}</QueryState>);
    expect(screen.getByText('No keys')).toBeInTheDocument();
    rerender(<></>);
  });
});
