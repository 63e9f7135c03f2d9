import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/domain-error.js';
import { OrderDirection, paginateRows, type ListOrder, type Page } from './connection.js';

const ORDER: ListOrder = { fields: { name: 'string', createdAt: 'date' }, idFields: ['id'], defaultOrder: { field: 'name', direction: OrderDirection.ASC } };
const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, name: ['b', 'a', 'c'][i % 3]!, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) }));

const walk = (orderBy: { field: string; direction: OrderDirection } | null, first: number) => {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page<(typeof rows)[number]> = paginateRows(rows, { first, after, orderBy }, ORDER);
    expect(page.totalCount).toBe(rows.length);
    ids.push(...page.nodes.map((r) => r.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
};

describe(paginateRows.name, () => {
  it('walks every row once in (sort field, id) order, ties broken by id, both ways', () => {
    const ascending = walk(null, 4);
    expect(ascending).toEqual([...rows].sort((x, y) => x.name.localeCompare(y.name) || x.id.localeCompare(y.id)).map((r) => r.id));
    expect(walk({ field: 'name', direction: OrderDirection.DESC }, 3)).toEqual([...ascending].reverse());
    expect(walk({ field: 'createdAt', direction: OrderDirection.DESC }, 5)).toEqual(rows.map((r) => r.id).reverse());
  });

  it('refuses forged cursors, cursors of another ordering, unknown fields and page sizes out of range', () => {
    const { pageInfo } = paginateRows(rows, { first: 2, after: null, orderBy: null }, ORDER);
    const reasonOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof DomainError ? `${error.code} ${error.reason}` : String(error);
      }
      return 'no error';
    };
    expect(reasonOf(() => paginateRows(rows, { first: 2, after: 'garbage', orderBy: null }, ORDER))).toBe('VALIDATION page.invalid_cursor');
    expect(reasonOf(() => paginateRows(rows, { first: 2, after: pageInfo.endCursor, orderBy: { field: 'createdAt', direction: OrderDirection.ASC } }, ORDER))).toBe('VALIDATION page.invalid_cursor');
    const wrongType = Buffer.from(JSON.stringify({ f: 'createdAt', k: ['not a date', 'r01'] })).toString('base64url');
    expect(reasonOf(() => paginateRows(rows, { first: 2, after: wrongType, orderBy: { field: 'createdAt', direction: OrderDirection.ASC } }, ORDER))).toBe('VALIDATION page.invalid_cursor');
    expect(reasonOf(() => paginateRows(rows, { first: 2, after: null, orderBy: { field: 'secret', direction: OrderDirection.ASC } }, ORDER))).toBe('VALIDATION page.invalid_order_field');
    expect(reasonOf(() => paginateRows(rows, { first: 0, after: null, orderBy: null }, ORDER))).toBe('VALIDATION page.size_out_of_range');
  });
});
