import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useUrlFilter } from './search-params';

const inRouter = ({ children }: { children: ReactNode }) => <MemoryRouter initialEntries={['/t/x/policies?tab=history']}>{children}</MemoryRouter>;

describe(useUrlFilter.name, () => {
  it('keeps both of two filters set one right after the other, before the router renders the first', () => {
    const { result } = renderHook(() => ({ from: useUrlFilter('from'), to: useUrlFilter('to'), search: useLocation().search }), { wrapper: inRouter });
    act(() => {
      result.current.from[1]('0:1');
      result.current.to[1]('0:2');
    });
    expect(Object.fromEntries(new URLSearchParams(result.current.search))).toEqual({ tab: 'history', from: '0:1', to: '0:2' });
    expect([result.current.from[0], result.current.to[0]]).toEqual(['0:1', '0:2']);
  });

  it('clears a filter set back to its fallback, and builds on what the router shows once it has rendered', () => {
    const { result } = renderHook(() => ({ page: useUrlFilter('page', '1'), search: useLocation().search }), { wrapper: inRouter });
    act(() => result.current.page[1]('3'));
    expect(result.current.page[0]).toBe('3');
    act(() => result.current.page[1]('1'));
    expect(result.current.search).toBe('?tab=history');
  });
});
