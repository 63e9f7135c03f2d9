import type { AuditColumns } from './audit-record.js';
import { AUDIT_EVENT_SELECT, rowColumns, type AuditEventDbRow, type Sql } from './audit-store.js';

/**
 * Reading the audit trail for people: filtered pages in a stable order, one record in detail, and
 * aggregates for charts. Every statement is scoped to one tenant (`tenant_id = $1` first, which is
 * also the leading column of every index) and runs on Prisma (PGlite) and `pg` alike.
 */

/** Which records: every field narrows (AND); unset fields do not. */
export interface AuditFilter {
  /** Records at or after this time. */
  readonly from?: Date;
  /** Records before this time. */
  readonly to?: Date;
  /** `virtual-key`, `oauth`, `anonymous` (tool calls) or `admin` (control-plane changes). */
  readonly principalKind?: string;
  /** A virtual key's id (the `keyId` filter is the same column). */
  readonly principalKeyId?: string;
  /** An OAuth caller's subject; for admin records the user's subject, service account id or system component. */
  readonly principalSubject?: string;
  readonly principalIssuer?: string;
  readonly tool?: string;
  readonly virtualServerId?: string;
  readonly upstreamServerId?: string;
  /** `allowed`, `denied` or `failed`. */
  readonly outcome?: string;
  readonly reason?: string;
  readonly region?: string;
  /** The policy version that decided (`<partition>:<offset>` of the control-plane log). */
  readonly policyLogPosition?: string;
  /** JSON-RPC method (`tools/call`), or `admin/<event type>` for admin records. */
  readonly method?: string;
  /** `tool-call` (everything a proxy recorded) or `admin`. */
  readonly kind?: 'tool-call' | 'admin';
}

/** A bad filter, cursor or interval: the caller's mistake, reported with a stable reason. */
export class AuditQueryError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuditQueryError';
  }
}

const COLUMN_FILTERS: readonly (readonly [keyof AuditFilter, string])[] = [
  ['principalKind', 'principal_kind'],
  ['principalKeyId', 'principal_key_id'],
  ['principalSubject', 'principal_subject'],
  ['principalIssuer', 'principal_issuer'],
  ['tool', 'tool'],
  ['virtualServerId', 'virtual_server_id'],
  ['upstreamServerId', 'upstream_server_id'],
  ['outcome', 'outcome'],
  ['reason', 'reason'],
  ['region', 'region'],
  ['policyLogPosition', 'policy_log_position'],
  ['method', 'method'],
];

/** A WHERE clause with its parameters ($1 is the tenant). */
class Where {
  readonly params: unknown[];
  private readonly clauses: string[] = ['tenant_id = $1'];

  constructor(tenantId: string) {
    this.params = [tenantId];
  }

  add(clause: (param: string) => string, value: unknown): this {
    this.params.push(value);
    this.clauses.push(clause(`$${this.params.length}`));
    return this;
  }

  raw(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  toString(): string {
    return this.clauses.join(' AND ');
  }
}

const validTime = (name: string, value: Date | undefined) => {
  if (value !== undefined && Number.isNaN(value.getTime())) throw new AuditQueryError('audit.invalid_time', `${name} is not a point in time`);
};

const whereOf = (tenantId: string, filter: AuditFilter, defaultKind?: 'tool-call'): Where => {
  validTime('from', filter.from);
  validTime('to', filter.to);
  if (filter.from && filter.to && filter.from > filter.to) throw new AuditQueryError('audit.invalid_range', '`from` is after `to`');
  const where = new Where(tenantId);
  if (filter.from) where.add((p) => `"time" >= ${p}::timestamptz`, filter.from.toISOString());
  if (filter.to) where.add((p) => `"time" < ${p}::timestamptz`, filter.to.toISOString());
  for (const [field, column] of COLUMN_FILTERS) {
    const value = filter[field];
    if (typeof value === 'string') where.add((p) => `${column} = ${p}`, value);
  }
  const kind = filter.kind ?? defaultKind;
  if (kind === 'admin') where.raw(`principal_kind = 'admin'`);
  else if (kind === 'tool-call') where.raw(`principal_kind <> 'admin'`);
  return where;
};

/** One record as listed: the query columns, the event as stored, and its place in the chain. */
export interface AuditRecordRow extends Omit<AuditColumns, 'time'> {
  readonly seq: number;
  readonly eventId: string;
  readonly time: Date;
  /** The AuditEvent as stored (and hashed). */
  readonly event: Record<string, unknown>;
  readonly hash: string;
  readonly prevHash: string;
}

const toRow = (r: AuditEventDbRow): AuditRecordRow => ({
  ...rowColumns(r),
  seq: Number(r.seq),
  eventId: r.event_id,
  time: new Date(Number(r.time_ms)),
  event: JSON.parse(r.event) as Record<string, unknown>,
  hash: r.hash,
  prevHash: r.prev_hash,
});

/** Where a page ends: the (time, seq) of its last record, opaque to callers. */
interface Cursor {
  readonly t: number;
  readonly s: number;
  readonly d: 'asc' | 'desc';
}

export const encodeCursor = (row: Pick<AuditRecordRow, 'time' | 'seq'>, order: 'asc' | 'desc'): string =>
  Buffer.from(JSON.stringify({ t: row.time.getTime(), s: row.seq, d: order } satisfies Cursor), 'utf8').toString('base64url');

const decodeCursor = (cursor: string, order: 'asc' | 'desc'): Cursor => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const c = value as Partial<Cursor> | undefined;
  if (!c || !Number.isSafeInteger(c.t) || !Number.isSafeInteger(c.s) || (c.d !== 'asc' && c.d !== 'desc')) throw new AuditQueryError('audit.invalid_cursor', 'the cursor is not one this API returned');
  if (c.d !== order) throw new AuditQueryError('audit.invalid_cursor', 'the cursor belongs to a listing in the other order');
  return c as Cursor;
};

export interface AuditPage {
  readonly rows: readonly AuditRecordRow[];
  /** Records matching the filter, over all pages. */
  readonly total: number;
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

/**
 * A page of a tenant's records matching `filter`, oldest first (`asc`) or newest first (`desc`),
 * ordered by (time, seq), which is unique within a tenant, so pages never skip or repeat a record.
 */
export const listAuditRecords = async (
  sql: Sql,
  tenantId: string,
  filter: AuditFilter,
  page: { readonly first: number; readonly after?: string | undefined; readonly order?: 'asc' | 'desc' },
): Promise<AuditPage> => {
  const order = page.order ?? 'desc';
  const where = whereOf(tenantId, filter);
  const [counted] = await sql.$queryRawUnsafe<{ total: number }[]>(`SELECT count(*)::float8 AS total FROM audit_event WHERE ${where}`, ...where.params);
  if (page.after) {
    const c = decodeCursor(page.after, order);
    where.params.push(new Date(c.t).toISOString(), String(c.s));
    const n = where.params.length;
    where.raw(`("time", seq) ${order === 'asc' ? '>' : '<'} ($${n - 1}::timestamptz, $${n}::bigint)`);
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const rows = await sql.$queryRawUnsafe<AuditEventDbRow[]>(
    `SELECT ${AUDIT_EVENT_SELECT} FROM audit_event WHERE ${where} ORDER BY audit_event."time" ${direction}, audit_event.seq ${direction} LIMIT ${page.first + 1}`,
    ...where.params,
  );
  const shown = rows.slice(0, page.first).map(toRow);
  return { rows: shown, total: Number(counted?.total ?? 0), hasNextPage: rows.length > page.first, endCursor: shown.length ? encodeCursor(shown.at(-1)!, order) : null };
};

export interface AuditRecordDetail extends AuditRecordRow {
  readonly macKeyId: string;
  /** The signed checkpoint that covers this record (the first at or after its seq), if one exists yet. */
  readonly checkpoint: { readonly seq: number; readonly signedAt: Date; readonly keyId: string } | null;
}

/** One record of a tenant by event id, with the checkpoint that signs over it; undefined if the tenant has no such record. */
export const auditRecord = async (sql: Sql, tenantId: string, eventId: string): Promise<AuditRecordDetail | undefined> => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) throw new AuditQueryError('audit.invalid_event_id', 'eventId is not a UUID');
  const rows = await sql.$queryRawUnsafe<(AuditEventDbRow & { mac_key_id: string; cp_seq: string | null; cp_signed_ms: number | null; cp_key_id: string | null })[]>(
    `SELECT ${AUDIT_EVENT_SELECT}, e.mac_key_id, c.checkpoint_seq::text AS cp_seq, (extract(epoch FROM c.signed_at) * 1000)::float8 AS cp_signed_ms, c.key_id AS cp_key_id
     FROM audit_event e
     LEFT JOIN LATERAL (
       SELECT k.seq AS checkpoint_seq, k.signed_at, k.key_id FROM audit_checkpoint k WHERE k.tenant_id = e.tenant_id AND k.seq >= e.seq ORDER BY k.seq LIMIT 1
     ) c ON true
     WHERE e.tenant_id = $1 AND e.event_id = $2::uuid`,
    tenantId,
    eventId.toLowerCase(),
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    ...toRow(r),
    macKeyId: r.mac_key_id,
    checkpoint: r.cp_seq !== null ? { seq: Number(r.cp_seq), signedAt: new Date(Number(r.cp_signed_ms)), keyId: r.cp_key_id ?? '' } : null,
  };
};

/** Bucket widths for `callsOverTime`. */
export const AUDIT_INTERVALS = { MINUTE: '1 minute', FIVE_MINUTES: '5 minutes', FIFTEEN_MINUTES: '15 minutes', HOUR: '1 hour', DAY: '1 day' } as const;
export type AuditInterval = keyof typeof AUDIT_INTERVALS;
const INTERVAL_MS: Record<AuditInterval, number> = { MINUTE: 60_000, FIVE_MINUTES: 300_000, FIFTEEN_MINUTES: 900_000, HOUR: 3_600_000, DAY: 86_400_000 };

/** At most this many buckets per answer: a chart, not an export. */
export const MAX_BUCKETS = 2_000;

export interface CallBucket {
  readonly start: Date;
  readonly total: number;
  readonly allowed: number;
  readonly denied: number;
  readonly failed: number;
}

/**
 * Calls per time bucket (UTC, aligned to the epoch), only buckets that have calls, oldest first.
 * Aggregates count tool-call records unless the filter asks for a kind.
 */
export const callsOverTime = async (sql: Sql, tenantId: string, filter: AuditFilter, interval: AuditInterval): Promise<CallBucket[]> => {
  if (!(interval in AUDIT_INTERVALS)) throw new AuditQueryError('audit.invalid_interval', `interval must be one of ${Object.keys(AUDIT_INTERVALS).join(', ')}`);
  if (filter.from && filter.to && (filter.to.getTime() - filter.from.getTime()) / INTERVAL_MS[interval] > MAX_BUCKETS) {
    throw new AuditQueryError('audit.too_many_buckets', `the range holds more than ${MAX_BUCKETS} buckets of ${AUDIT_INTERVALS[interval]}: choose a wider interval`);
  }
  const where = whereOf(tenantId, filter, 'tool-call');
  where.params.push(AUDIT_INTERVALS[interval]);
  const bin = `date_bin($${where.params.length}::interval, "time", TIMESTAMPTZ '1970-01-01 00:00:00+00')`;
  const rows = await sql.$queryRawUnsafe<{ start_ms: number; total: number; allowed: number; denied: number; failed: number }[]>(
    `SELECT (extract(epoch FROM ${bin}) * 1000)::float8 AS start_ms, count(*)::float8 AS total,
       count(*) FILTER (WHERE outcome = 'allowed')::float8 AS allowed, count(*) FILTER (WHERE outcome = 'denied')::float8 AS denied,
       count(*) FILTER (WHERE outcome = 'failed')::float8 AS failed
     FROM audit_event WHERE ${where} GROUP BY 1 ORDER BY 1 LIMIT ${MAX_BUCKETS + 1}`,
    ...where.params,
  );
  if (rows.length > MAX_BUCKETS) throw new AuditQueryError('audit.too_many_buckets', `more than ${MAX_BUCKETS} buckets of ${AUDIT_INTERVALS[interval]}: narrow the range or widen the interval`);
  return rows.map((r) => ({ start: new Date(Number(r.start_ms)), total: Number(r.total), allowed: Number(r.allowed), denied: Number(r.denied), failed: Number(r.failed) }));
};

export interface ToolCount {
  readonly tool: string;
  readonly calls: number;
  readonly denied: number;
  readonly failed: number;
}

/** The most called tools, most calls first (ties by name). */
export const topTools = async (sql: Sql, tenantId: string, filter: AuditFilter, limit: number): Promise<ToolCount[]> => {
  const where = whereOf(tenantId, filter, 'tool-call').raw('tool IS NOT NULL');
  const rows = await sql.$queryRawUnsafe<{ tool: string; calls: number; denied: number; failed: number }[]>(
    `SELECT tool, count(*)::float8 AS calls, count(*) FILTER (WHERE outcome = 'denied')::float8 AS denied, count(*) FILTER (WHERE outcome = 'failed')::float8 AS failed
     FROM audit_event WHERE ${where} GROUP BY tool ORDER BY calls DESC, tool LIMIT ${Math.trunc(limit)}`,
    ...where.params,
  );
  return rows.map((r) => ({ tool: r.tool, calls: Number(r.calls), denied: Number(r.denied), failed: Number(r.failed) }));
};

export interface DenialCount {
  readonly reason: string;
  /** The policy rule or limit that denied, when the proxy named one. */
  readonly ruleId: string | null;
  readonly count: number;
}

/** Denied calls grouped by reason and rule, most first. */
export const denialsByReason = async (sql: Sql, tenantId: string, filter: AuditFilter, limit: number): Promise<DenialCount[]> => {
  const where = whereOf(tenantId, filter, 'tool-call').raw(`outcome = 'denied'`);
  const rows = await sql.$queryRawUnsafe<{ reason: string; rule_id: string | null; count: number }[]>(
    `SELECT reason, event->'decision'->>'ruleId' AS rule_id, count(*)::float8 AS count
     FROM audit_event WHERE ${where} GROUP BY 1, 2 ORDER BY count DESC, reason, rule_id NULLS FIRST LIMIT ${Math.trunc(limit)}`,
    ...where.params,
  );
  return rows.map((r) => ({ reason: r.reason, ruleId: r.rule_id, count: Number(r.count) }));
};

export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

/** Latency percentiles (ms, continuous interpolation) over the matching records' `latencyMs`. */
export const latencyPercentiles = async (sql: Sql, tenantId: string, filter: AuditFilter): Promise<LatencySummary> => {
  const where = whereOf(tenantId, filter, 'tool-call');
  const latency = `(event->>'latencyMs')::float8`;
  const [r] = await sql.$queryRawUnsafe<{ count: number; p50: number | null; p95: number | null; p99: number | null; max: number | null; mean: number | null }[]>(
    `SELECT count(*)::float8 AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${latency})::float8 AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY ${latency})::float8 AS p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY ${latency})::float8 AS p99,
       max(${latency})::float8 AS max, avg(${latency})::float8 AS mean
     FROM audit_event WHERE ${where}`,
    ...where.params,
  );
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return { count: Number(r?.count ?? 0), p50: num(r?.p50), p95: num(r?.p95), p99: num(r?.p99), max: num(r?.max), mean: num(r?.mean) };
};

export interface KeyUsage {
  readonly keyId: string;
  readonly calls: number;
  readonly denied: number;
  readonly firstUsedAt: Date;
  readonly lastUsedAt: Date;
}

/**
 * Tool calls per virtual key over the matching records, most recently used first: the "usage and
 * last use" of keys in the console and the access review of an evidence pack. Keys never used in
 * the range are absent.
 */
export const keyUsage = async (sql: Sql, tenantId: string, filter: AuditFilter): Promise<KeyUsage[]> => {
  const where = whereOf(tenantId, filter, 'tool-call').raw('principal_key_id IS NOT NULL');
  const rows = await sql.$queryRawUnsafe<{ key_id: string; calls: number; denied: number; first_used_at: Date | string; last_used_at: Date | string }[]>(
    `SELECT principal_key_id AS key_id, count(*)::float8 AS calls, count(*) FILTER (WHERE outcome = 'denied')::float8 AS denied,
       min("time") AS first_used_at, max("time") AS last_used_at
     FROM audit_event WHERE ${where} GROUP BY principal_key_id ORDER BY last_used_at DESC, key_id`,
    ...where.params,
  );
  return rows.map((r) => ({
    keyId: r.key_id,
    calls: Number(r.calls),
    denied: Number(r.denied),
    firstUsedAt: new Date(r.first_used_at),
    lastUsedAt: new Date(r.last_used_at),
  }));
};

/** The record stored at a seq of a tenant's chain (event id and time), if any: where a verification failure points. */
export const recordAtSeq = async (sql: Sql, tenantId: string, seq: number): Promise<{ eventId: string; time: Date } | undefined> => {
  const [r] = await sql.$queryRawUnsafe<{ event_id: string; time_ms: number }[]>(
    `SELECT event_id::text AS event_id, (extract(epoch FROM "time") * 1000)::float8 AS time_ms FROM audit_event WHERE tenant_id = $1 AND seq = $2::bigint`,
    tenantId,
    String(Math.trunc(seq)),
  );
  return r && { eventId: r.event_id, time: new Date(Number(r.time_ms)) };
};

/** The highest seq of a tenant (0 when it has no records): where a live tail starts. */
export const lastSeq = async (sql: Sql, tenantId: string): Promise<number> => {
  const [r] = await sql.$queryRawUnsafe<{ seq: string | null }[]>(`SELECT max(seq)::text AS seq FROM audit_event WHERE tenant_id = $1`, tenantId);
  return r?.seq ? Number(r.seq) : 0;
};

/** Records of a tenant after `afterSeq` matching the filter, in chain order (the live tail's poll). */
export const recordsAfter = async (sql: Sql, tenantId: string, afterSeq: number, filter: AuditFilter, limit: number): Promise<{ rows: AuditRecordRow[]; lastSeq: number }> => {
  // the tail's position moves over every record, matching or not, so a filter never re-reads
  const where = whereOf(tenantId, {}).add((p) => `seq > ${p}::bigint`, String(afterSeq));
  const rows = await sql.$queryRawUnsafe<AuditEventDbRow[]>(`SELECT ${AUDIT_EVENT_SELECT} FROM audit_event WHERE ${where} ORDER BY audit_event.seq LIMIT ${Math.trunc(limit)}`, ...where.params);
  const all = rows.map(toRow);
  return { rows: all.filter((row) => matches(row, filter)), lastSeq: all.length ? all.at(-1)!.seq : afterSeq };
};

/** Whether a record matches a filter (the same rules as the SQL, for the live tail). */
export const matches = (row: AuditRecordRow, filter: AuditFilter): boolean => {
  if (filter.from && row.time < filter.from) return false;
  if (filter.to && row.time >= filter.to) return false;
  const values: Record<string, string | null> = {
    principalKind: row.principalKind,
    principalKeyId: row.principalKeyId,
    principalSubject: row.principalSubject,
    principalIssuer: row.principalIssuer,
    tool: row.tool,
    virtualServerId: row.virtualServerId,
    upstreamServerId: row.upstreamServerId,
    outcome: row.outcome,
    reason: row.reason,
    region: row.region,
    policyLogPosition: row.policyLogPosition,
    method: row.method,
  };
  for (const [field] of COLUMN_FILTERS) {
    const wanted = filter[field];
    if (typeof wanted === 'string' && values[field] !== wanted) return false;
  }
  if (filter.kind === 'admin' && row.principalKind !== 'admin') return false;
  if (filter.kind === 'tool-call' && row.principalKind === 'admin') return false;
  return true;
};
