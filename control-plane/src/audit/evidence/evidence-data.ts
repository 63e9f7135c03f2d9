import { matchesGlob, type UpstreamServerConfig } from '@mcpgate/contracts';
import type { TenantView } from '../../domain/tenant-model.js';
import { callsOverTime, denialsByReason, keyUsage, topTools, type AuditInterval, type CallBucket, type DenialCount, type KeyUsage, type ToolCount } from '../audit-query.js';
import { AUDIT_EVENT_SELECT, type AuditEventDbRow, type Sql } from '../audit-store.js';
import { headSeq } from '../exporters/export-store.js';

/**
 * Reading what a pack needs from the audit trail and the read models, tenant-scoped like every
 * other audit query (`tenant_id = $1` first). Big sets (tool calls, admin changes) are read page by
 * page with keyset cursors and handed to a callback, so nothing holds a period in memory.
 */

export const PAGE_ROWS = 1_000;

/** A tool-call record as the CSVs and the report use it. */
export interface ToolCallRecord {
  readonly seq: number;
  readonly eventId: string;
  readonly time: Date;
  readonly region: string;
  readonly principalKind: string;
  readonly principal: string;
  readonly keyId: string | null;
  readonly tool: string | null;
  readonly method: string;
  readonly upstreamServerId: string | null;
  readonly virtualServerId: string | null;
  readonly outcome: string;
  readonly reason: string;
  readonly ruleId: string | null;
  readonly message: string | null;
  readonly latencyMs: number | null;
  /** What the call cost under the tenant's tool prices, for a priced call that went through. */
  readonly cost: number | null;
  readonly policyLogPosition: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Who called, in one cell: the key, the OAuth subject (with issuer), or anonymous. */
export const describePrincipal = (principal: Record<string, unknown>): string => {
  if (principal['kind'] === 'virtual-key') return `virtual-key:${String(principal['keyId'] ?? '')}`;
  if (principal['kind'] === 'oauth') return `oauth:${String(principal['issuer'] ?? '')} ${String(principal['subject'] ?? '')}`;
  return String(principal['kind'] ?? 'unknown');
};

const toToolCall = (r: AuditEventDbRow): ToolCallRecord => {
  const event = JSON.parse(r.event) as Record<string, unknown>;
  const decision = (event['decision'] ?? {}) as Record<string, unknown>;
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    time: new Date(Number(r.time_ms)),
    region: r.region,
    principalKind: r.principal_kind,
    principal: describePrincipal((event['principal'] ?? {}) as Record<string, unknown>),
    keyId: r.principal_key_id,
    tool: r.tool,
    method: r.method,
    upstreamServerId: r.upstream_server_id,
    virtualServerId: r.virtual_server_id,
    outcome: r.outcome,
    reason: r.reason,
    ruleId: str(decision['ruleId']),
    message: str(decision['message']),
    latencyMs: typeof event['latencyMs'] === 'number' ? event['latencyMs'] : null,
    cost: typeof event['cost'] === 'number' ? event['cost'] : null,
    policyLogPosition: r.policy_log_position,
  };
};

export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/** Tool-call records of the tenant in [from, to). */
export const countToolCalls = async (sql: Sql, tenantId: string, period: Period): Promise<number> => {
  const [r] = await sql.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::float8 AS n FROM audit_event WHERE tenant_id = $1 AND "time" >= $2::timestamptz AND "time" < $3::timestamptz AND principal_kind <> 'admin'`,
    tenantId,
    period.from.toISOString(),
    period.to.toISOString(),
  );
  return Number(r?.n ?? 0);
};

/** Hands every tool-call record of the period to `onPage`, oldest first, a page at a time. */
export const forEachToolCall = async (sql: Sql, tenantId: string, period: Period, onPage: (records: readonly ToolCallRecord[]) => void | Promise<void>, pageRows = PAGE_ROWS): Promise<void> => {
  let after: { time: string; seq: string } | undefined;
  for (;;) {
    const params: unknown[] = [tenantId, period.from.toISOString(), period.to.toISOString()];
    let keyset = '';
    if (after) {
      params.push(after.time, after.seq);
      keyset = ` AND ("time", seq) > ($4::timestamptz, $5::bigint)`;
    }
    const rows = await sql.$queryRawUnsafe<(AuditEventDbRow & { time_iso: string })[]>(
      `SELECT ${AUDIT_EVENT_SELECT}, to_char("time" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time_iso FROM audit_event
       WHERE tenant_id = $1 AND "time" >= $2::timestamptz AND "time" < $3::timestamptz AND principal_kind <> 'admin'${keyset}
       ORDER BY audit_event."time", audit_event.seq LIMIT ${Math.trunc(pageRows)}`,
      ...params,
    );
    if (rows.length === 0) return;
    await onPage(rows.map(toToolCall));
    const last = rows.at(-1)!;
    after = { time: last.time_iso, seq: last.seq };
    if (rows.length < pageRows) return;
  }
};

/** One applied control-plane change from the admin activity read model. */
export interface AdminChange {
  readonly eventId: string;
  readonly time: Date;
  readonly actor: unknown;
  readonly type: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly correlationId: string;
  readonly data: unknown;
  /** The aggregate's state before and after (redacted), when the read model has them. */
  readonly before: unknown;
  readonly after: unknown;
  readonly logPosition: string;
}

interface AdminRow {
  event_id: string;
  time_ms: number;
  actor: string;
  type: string;
  stream_id: string;
  stream_version: number;
  correlation_id: string;
  data: string;
  before: string | null;
  after: string | null;
  log_position: string;
}

const beforeAfterColumns = new WeakMap<Sql, Promise<boolean>>();

/** Whether admin_activity has the before/after columns (added by a later migration than this module). */
const hasBeforeAfter = (sql: Sql): Promise<boolean> => {
  let known = beforeAfterColumns.get(sql);
  if (!known) {
    known = Promise.resolve(
      sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'admin_activity' AND column_name IN ('before', 'after') AND table_schema = current_schema()`),
    ).then((rows) => Number(rows[0]?.n ?? 0) === 2);
    beforeAfterColumns.set(sql, known);
  }
  return known;
};

/**
 * Hands every admin change of the period to `onPage`, oldest first (by log position, which is the
 * order they were applied in), optionally only some event types.
 */
export const forEachAdminChange = async (
  sql: Sql,
  tenantId: string,
  period: Period,
  onPage: (changes: readonly AdminChange[]) => void | Promise<void>,
  options: { readonly types?: readonly string[]; readonly pageRows?: number } = {},
): Promise<void> => {
  const pageRows = options.pageRows ?? PAGE_ROWS;
  const withBeforeAfter = await hasBeforeAfter(sql);
  let after: { partition: number; offset: string; eventId: string } | undefined;
  for (;;) {
    const params: unknown[] = [tenantId, period.from.toISOString(), period.to.toISOString()];
    const clauses: string[] = [];
    if (options.types) {
      params.push(options.types);
      clauses.push(`type = ANY($${params.length}::text[])`);
    }
    if (after) {
      params.push(after.partition, after.offset, after.eventId);
      const n = params.length;
      clauses.push(`(log_partition, log_offset, event_id) > ($${n - 2}::int, $${n - 1}::bigint, $${n}::uuid)`);
    }
    const rows = await sql.$queryRawUnsafe<(AdminRow & { log_partition: number; log_offset: string })[]>(
      `SELECT event_id::text AS event_id, (extract(epoch FROM ("time" AT TIME ZONE 'UTC')) * 1000)::float8 AS time_ms, actor::text AS actor, type, stream_id, stream_version,
         correlation_id, data::text AS data, ${withBeforeAfter ? '"before"::text AS before, "after"::text AS after' : 'NULL::text AS before, NULL::text AS after'},
         log_partition, log_offset::text AS log_offset, log_partition::text || ':' || log_offset::text AS log_position
       FROM admin_activity WHERE tenant_id = $1 AND "time" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "time" < ($3::timestamptz AT TIME ZONE 'UTC')${clauses.map((c) => ` AND ${c}`).join('')}
       ORDER BY admin_activity.log_partition, admin_activity.log_offset, admin_activity.event_id LIMIT ${Math.trunc(pageRows)}`,
      ...params,
    );
    if (rows.length === 0) return;
    await onPage(
      rows.map((r) => ({
        eventId: r.event_id,
        time: new Date(Number(r.time_ms)),
        actor: JSON.parse(r.actor) as unknown,
        type: r.type,
        streamId: r.stream_id,
        streamVersion: Number(r.stream_version),
        correlationId: r.correlation_id,
        data: JSON.parse(r.data) as unknown,
        before: r.before === null ? null : (JSON.parse(r.before) as unknown),
        after: r.after === null ? null : (JSON.parse(r.after) as unknown),
        logPosition: r.log_position,
      })),
    );
    const last = rows.at(-1)!;
    after = { partition: Number(last.log_partition), offset: last.log_offset, eventId: last.event_id };
    if (rows.length < pageRows) return;
  }
};

/** Where a SIEM exporter stands (one row of exporter-delivery.csv). */
export interface ExporterStatus {
  readonly exporterId: string;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly enabled: boolean;
  readonly cursorSeq: number | null;
  readonly headSeq: number;
  readonly lag: number | null;
  readonly delivered: number | null;
  readonly lastDeliveryAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  readonly consecutiveFailures: number | null;
  readonly deadLetters: number;
  readonly deadLetterEvents: number;
}

export const exporterStatuses = async (sql: Sql, tenant: TenantView): Promise<ExporterStatus[]> => {
  const exporters = [...tenant.auditExporters.values()].sort((a, b) => a.name.localeCompare(b.name) || a.exporterId.localeCompare(b.exporterId));
  if (exporters.length === 0) return [];
  const head = await headSeq(sql, tenant.tenantId);
  const cursors = await sql.$queryRawUnsafe<
    { exporter_id: string; cursor_seq: string; delivered: string; last_delivery_ms: number | null; last_error: string | null; last_error_ms: number | null; consecutive_failures: number }[]
  >(
    `SELECT exporter_id, cursor_seq::text AS cursor_seq, delivered::text AS delivered, (extract(epoch FROM last_delivery_at) * 1000)::float8 AS last_delivery_ms,
       last_error, (extract(epoch FROM last_error_at) * 1000)::float8 AS last_error_ms, consecutive_failures
     FROM audit_export_cursor WHERE tenant_id = $1`,
    tenant.tenantId,
  );
  const dead = await sql.$queryRawUnsafe<{ exporter_id: string; batches: number; events: number }[]>(
    `SELECT exporter_id, count(*)::float8 AS batches, coalesce(sum(events), 0)::float8 AS events FROM audit_export_dead_letter WHERE tenant_id = $1 GROUP BY exporter_id`,
    tenant.tenantId,
  );
  const byId = new Map(cursors.map((c) => [c.exporter_id, c]));
  const deadById = new Map(dead.map((d) => [d.exporter_id, d]));
  const time = (ms: number | null) => (ms === null || ms === undefined ? null : new Date(Number(ms)));
  return exporters.map((e) => {
    const c = byId.get(e.exporterId);
    const d = deadById.get(e.exporterId);
    const cursorSeq = c ? Number(c.cursor_seq) : null;
    return {
      exporterId: e.exporterId,
      name: e.name,
      kind: e.destination.kind,
      status: e.status,
      enabled: e.enabled,
      cursorSeq,
      headSeq: head,
      lag: cursorSeq === null ? null : Math.max(0, head - cursorSeq),
      delivered: c ? Number(c.delivered) : null,
      lastDeliveryAt: time(c?.last_delivery_ms ?? null),
      lastError: c?.last_error ?? null,
      lastErrorAt: time(c?.last_error_ms ?? null),
      consecutiveFailures: c ? Number(c.consecutive_failures) : null,
      deadLetters: Number(d?.batches ?? 0),
      deadLetterEvents: Number(d?.events ?? 0),
    };
  });
};

/** Tool calls per key up to the end of the period: the "last use" of the access review. */
export const keyLastUse = async (sql: Sql, tenantId: string, period: Period): Promise<Map<string, KeyUsage>> =>
  new Map((await keyUsage(sql, tenantId, { to: period.to })).map((u) => [u.keyId, u]));

/** Aggregates for the report's charts and summary. */
export interface ActivityAggregates {
  readonly interval: AuditInterval;
  readonly calls: readonly CallBucket[];
  readonly adminChanges: readonly CallBucket[];
  readonly denials: readonly DenialCount[];
  readonly topTools: readonly ToolCount[];
}

/** A bucket width that gives a readable chart: hours for up to three days, days up to ~13 months. */
export const chartInterval = (period: Period): AuditInterval => (period.to.getTime() - period.from.getTime() <= 3 * 86_400_000 ? 'HOUR' : 'DAY');

export const activityAggregates = async (sql: Sql, tenantId: string, period: Period): Promise<ActivityAggregates> => {
  const interval = chartInterval(period);
  const filter = { from: period.from, to: period.to };
  const [calls, adminChanges, denials, tools] = await Promise.all([
    callsOverTime(sql, tenantId, filter, interval),
    callsOverTime(sql, tenantId, { ...filter, kind: 'admin' }, interval),
    denialsByReason(sql, tenantId, filter, 50),
    topTools(sql, tenantId, filter, 15),
  ]);
  return { interval, calls, adminChanges, denials, topTools: tools };
};

/** Which calls touch PHI: servers tagged `phi` (every tool), and servers' `phiTools` globs. */
export class PhiMatcher {
  private readonly taggedServers = new Set<string>();
  private readonly globs = new Map<string, { name: string; globs: readonly string[] }>();

  constructor(servers: Iterable<{ readonly serverId: string; readonly config: UpstreamServerConfig }>) {
    for (const s of servers) {
      if (s.config.tags.includes('phi')) this.taggedServers.add(s.serverId);
      if (s.config.phiTools?.length) this.globs.set(s.serverId, { name: s.config.name, globs: s.config.phiTools });
    }
  }

  get empty(): boolean {
    return this.taggedServers.size === 0 && this.globs.size === 0;
  }

  /** Why a call touches PHI (`server tagged phi`, `tool matches <glob>`), or undefined. */
  match(upstreamServerId: string | null, tool: string | null): string | undefined {
    if (upstreamServerId && this.taggedServers.has(upstreamServerId)) return 'server tagged phi';
    if (!tool) return undefined;
    const candidates = upstreamServerId ? [this.globs.get(upstreamServerId)].filter((g) => g !== undefined) : [...this.globs.values()];
    for (const { name, globs } of candidates) {
      // the audited name may carry the server's prefix (`<server>__<tool>`)
      const bare = tool.startsWith(`${name}__`) ? tool.slice(name.length + 2) : tool;
      const glob = globs.find((g) => matchesGlob(g, bare) || matchesGlob(g, tool));
      if (glob) return `tool matches ${glob}`;
    }
    return undefined;
  }
}
