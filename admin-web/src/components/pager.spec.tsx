import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderRoutes } from '../test/render';
import { Pager, useListFilter, usePager } from './pager';

/** A list whose next cursor is `c<depth + 1>`, three pages long. */
const List = () => {
  const pager = usePager();
  return (
    <>
      <p data-testid="after">{pager.after ?? 'first page'}</p>
      <Pager pager={pager} pageInfo={{ endCursor: `c${pager.depth + 1}`, hasNextPage: pager.depth < 2 }} totalCount={60} shown={pager.depth < 2 ? 25 : 10} label="things" />
    </>
  );
};

describe(Pager.name, () => {
  it('keeps the page in the URL, goes forward and back, and says where it is', async () => {
    const { router } = renderRoutes([{ path: '/things', element: <List /> }], '/things?q=x');
    expect(screen.getByTestId('after')).toHaveTextContent('first page');
    expect(screen.getByText('1–25 of 60')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByTestId('after')).toHaveTextContent('c2');
    expect(screen.getByText('51–60 of 60')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    const params = new URLSearchParams(router.state.location.search);
    expect([params.get('q'), params.get('after'), params.get('back')]).toEqual(['x', 'c2', '-.c1']);

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(screen.getByTestId('after')).toHaveTextContent('c1');
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(screen.getByTestId('after')).toHaveTextContent('first page');
    expect(new URLSearchParams(router.state.location.search).get('back')).toBeNull();
  });

  it('goes back to the first page when a filter changes, keeping the other filters', async () => {
    const Filtered = () => {
      const [search, setSearch] = useListFilter('q');
      return (
        <>
          <input aria-label="Search" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
          <List />
        </>
      );
    };
    const { router } = renderRoutes([{ path: '/things', element: <Filtered /> }], '/things?q=a&status=active');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByTestId('after')).toHaveTextContent('c1');
    await userEvent.type(screen.getByLabelText('Search'), 'b');
    expect(screen.getByTestId('after')).toHaveTextContent('first page');
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({ q: 'ab', status: 'active' });
  });

  it('shows nothing when everything fits on one page', () => {
    const Single = () => <Pager pager={usePager()} pageInfo={{ endCursor: 'c1', hasNextPage: false }} totalCount={3} shown={3} label="things" />;
    renderRoutes([{ path: '/', element: <Single /> }], '/');
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
  });
});
