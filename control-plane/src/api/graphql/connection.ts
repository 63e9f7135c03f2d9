import type { Type } from '@nestjs/common';
import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DomainError } from '../../domain/domain-error.js';
import { pageSize } from './page-size.js';

/**
 * The one shape of every list query: `(first, after, filter, orderBy)` in, `{ nodes, pageInfo,
 * totalCount }` out. Pages are keyset pages over (sort field, id…): stable under concurrent
 * inserts (no row is shown twice or skipped), with an opaque cursor that carries the sort field
 * and the last row's key, so a cursor from another ordering is refused. Every query keeps its own
 * `tenantId` condition, so a cursor never reaches outside the tenant it is used with.
 */

export enum OrderDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'pass as `after` for the next page; null on an empty page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A `<Node>Connection` object type: `@ObjectType() class XConnection extends Connection(XNode) {}`. */
export const Connection = <T>(node: Type<T>) => {
  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements Page<T> {
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'rows matching the filter, over all pages' }) totalCount!: number;
  }
  return ConnectionType;
};

/** A `<Node>Order` input type over a field enum: `@InputType() class XOrder extends OrderBy(XOrderField) {}`. */
export const OrderBy = <E extends Record<string, string>>(fields: E) => {
  @InputType({ isAbstract: true })
  abstract class OrderType {
    @Field(() => fields) field!: E[keyof E];
    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
  }
  return OrderType;
};

type KeyType = 'string' | 'date' | 'int';

/** How a list sorts: each orderable field's type (the enum values are row fields) and the unique tie-breaker fields. */
export interface ListOrder {
  readonly fields: Readonly<Record<string, KeyType>>;
  readonly idFields: readonly string[];
  readonly defaultOrder: { readonly field: string; readonly direction: OrderDirection };
}

export interface PageArgs {
  readonly first: number;
  readonly after: string | null | undefined;
  readonly orderBy: { readonly field: string; readonly direction: OrderDirection } | null | undefined;
}

type Key = (string | number | Date)[];

const badCursor = (message: string) => new DomainError('VALIDATION', 'page.invalid_cursor', message);

const encodeCursor = (field: string, key: Key): string =>
  Buffer.from(JSON.stringify({ f: field, k: key.map((v) => (v instanceof Date ? v.toISOString() : v)) }), 'utf8').toString('base64url');

const decodeCursor = (cursor: string, field: string, types: readonly KeyType[]): Key => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('the cursor is not one this API returned');
  }
  const c = value as { f?: unknown; k?: unknown } | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.k) || c.k.length !== types.length) throw badCursor('the cursor is not one this API returned');
  if (c.f !== field) throw badCursor('the cursor belongs to a listing in another order');
  return c.k.map((v: unknown, i) => {
    const type = types[i];
    if (type === 'int' && Number.isSafeInteger(v)) return v as number;
    if (type === 'string' && typeof v === 'string') return v;
    if (type === 'date' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v);
    throw badCursor('the cursor is not one this API returned');
  });
};

interface ResolvedOrder {
  readonly fields: readonly string[];
  readonly types: readonly KeyType[];
  readonly sortField: string;
  readonly direction: OrderDirection;
}

const resolveOrder = (order: ListOrder, orderBy: PageArgs['orderBy']): ResolvedOrder => {
  const { field, direction } = orderBy ?? order.defaultOrder;
  const type = order.fields[field];
  if (!type) throw new DomainError('VALIDATION', 'page.invalid_order_field', `cannot sort by ${field}`);
  const fields = [field, ...order.idFields.filter((f) => f !== field)];
  return { fields, types: fields.map((f) => (f === field ? type : 'string')), sortField: field, direction };
};

/** `(f1, f2, …) > (v1, v2, …)` (or `<`) as a Prisma condition. */
const keysetWhere = (fields: readonly string[], key: Key, direction: OrderDirection): Record<string, unknown> => {
  const op = direction === OrderDirection.ASC ? 'gt' : 'lt';
  return {
    OR: fields.map((field, i) => ({
      ...Object.fromEntries(fields.slice(0, i).map((f, j) => [f, key[j]])),
      [field]: { [op]: key[i] },
    })),
  };
};

const keyOf = (row: Record<string, unknown>, fields: readonly string[]): Key => fields.map((f) => row[f] as string | number | Date);

/** The Prisma delegate calls a list needs. */
export interface ListModel<Row> {
  findMany(args: { where: Record<string, unknown>; orderBy: Record<string, string>[]; take: number }): Promise<Row[]>;
  count(args: { where: Record<string, unknown> }): Promise<number>;
}

/** One page of `model` rows matching `where` (which must scope the tenant), in the asked order. */
export const paginate = async <Row extends object>(model: ListModel<Row>, where: Record<string, unknown>, args: PageArgs, order: ListOrder): Promise<Page<Row>> => {
  const first = pageSize(args.first);
  const resolved = resolveOrder(order, args.orderBy);
  const after = args.after ? decodeCursor(args.after, resolved.sortField, resolved.types) : undefined;
  const pageWhere = after ? { AND: [where, keysetWhere(resolved.fields, after, resolved.direction)] } : where;
  const [rows, totalCount] = await Promise.all([
    model.findMany({ where: pageWhere, orderBy: resolved.fields.map((f) => ({ [f]: resolved.direction })), take: first + 1 }),
    model.count({ where }),
  ]);
  return pageOf(rows, first, resolved, totalCount);
};

const pageOf = <Row extends object>(rows: Row[], first: number, resolved: ResolvedOrder, totalCount: number): Page<Row> => {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1) as Record<string, unknown> | undefined;
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(resolved.sortField, keyOf(last, resolved.fields)) : null },
    totalCount,
  };
};

const compareValues = (a: unknown, b: unknown): number => {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return (x as string | number) < (y as string | number) ? -1 : (x as string | number) > (y as string | number) ? 1 : 0;
};
const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < a.length; i += 1) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
};

/** The same paging over rows already in memory (lists that are not one table, such as roles). */
export const paginateRows = <Row extends object>(all: readonly Row[], args: PageArgs, order: ListOrder): Page<Row> => {
  const first = pageSize(args.first);
  const resolved = resolveOrder(order, args.orderBy);
  const sign = resolved.direction === OrderDirection.ASC ? 1 : -1;
  const key = (row: Row) => keyOf(row as Record<string, unknown>, resolved.fields);
  const after = args.after ? decodeCursor(args.after, resolved.sortField, resolved.types) : undefined;
  const sorted = [...all].sort((a, b) => sign * compareKeys(key(a), key(b)));
  const rest = after ? sorted.filter((row) => sign * compareKeys(key(row), after) > 0) : sorted;
  return pageOf(rest.slice(0, first + 1), first, resolved, all.length);
};

/** `{ contains, mode: insensitive }` for a name filter, or nothing when it is empty. */
export const containing = (value: string | null | undefined): { contains: string; mode: 'insensitive' } | undefined =>
  value ? { contains: value, mode: 'insensitive' } : undefined;

/** Drops the conditions whose value is undefined, so an unset filter field does not narrow. */
export const conditions = (entries: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
