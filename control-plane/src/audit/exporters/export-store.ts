import type { AuditEvent } from '@mcpgate/contracts';
import type { Sql } from '../audit-store.js';
import type { ExportRecord } from './export-record.js';

/**
 * All SQL of the exporters: reading a tenant's trail after a cursor, and the delivery state in
 * `audit_export_cursor` / `audit_export_dead_letter` (migration `…_audit_exporters`). Runs on the
 * same `Sql` as the audit sink (a Prisma client or a `pg` pool). Results are cast to text or float8
 * so no driver type mapping is involved. Every write names the owner and the cursor it expects, so
 * an instance whose lease another one took over cannot move the cursor.
 */

/** Records of a tenant after `afterSeq`, ascending, at most `limit`. One primary-key range scan. */
export const readAfter = async (sql: Sql, tenantId: string, afterSeq: number, limit: number): Promise<ExportRecord[]> => {
  const rows = await sql.$queryRawUnsafe<{ seq: string; event: string; hash: string }[]>(
    `SELECT seq::text AS seq, event::text AS event, encode(hash, 'hex') AS hash FROM audit_event
     WHERE tenant_id = $1 AND seq > $2::bigint ORDER BY audit_event.seq LIMIT ${Math.max(1, Math.floor(limit))}`,
    tenantId,
    String(afterSeq),
  );
  return rows.map((r) => ({ tenantId, seq: Number(r.seq), hash: r.hash, event: JSON.parse(r.event) as AuditEvent }));
};

/** The seq before the oldest record still stored (0 unless retention deleted the start of the trail). */
export const floorSeq = async (sql: Sql, tenantId: string): Promise<number> => {
  const rows = await sql.$queryRawUnsafe<{ first: string | null }[]>(`SELECT min(seq)::text AS first FROM audit_event WHERE tenant_id = $1`, tenantId);
  return rows[0]?.first ? Number(rows[0].first) - 1 : 0;
};

/** The newest seq of a tenant's trail (0 when empty). */
export const headSeq = async (sql: Sql, tenantId: string): Promise<number> => {
  const rows = await sql.$queryRawUnsafe<{ head: string | null }[]>(`SELECT max(seq)::text AS head FROM audit_event WHERE tenant_id = $1`, tenantId);
  return Number(rows[0]?.head ?? 0);
};

/**
 * Takes (or renews) the exporter's lease and returns its cursor; undefined when another instance
 * holds an unexpired lease. A new exporter's row starts at `initialSeq`.
 */
export const claimCursor = async (sql: Sql, exporterId: string, tenantId: string, owner: string, leaseMs: number, initialSeq: () => Promise<number>): Promise<number | undefined> => {
  const exists = await sql.$queryRawUnsafe<{ one: number }[]>(`SELECT 1::int AS one FROM audit_export_cursor WHERE exporter_id = $1`, exporterId);
  if (exists.length === 0) {
    await sql.$executeRawUnsafe(
      `INSERT INTO audit_export_cursor (exporter_id, tenant_id, cursor_seq, updated_at) VALUES ($1, $2, $3::bigint, now()) ON CONFLICT (exporter_id) DO NOTHING`,
      exporterId,
      tenantId,
      String(await initialSeq()),
    );
  }
  const rows = await sql.$queryRawUnsafe<{ cursor: string }[]>(
    `UPDATE audit_export_cursor SET owner = $2, lease_until = now() + ($3::int * interval '1 millisecond')
     WHERE exporter_id = $1 AND tenant_id = $4 AND (owner IS NULL OR owner = $2 OR lease_until < now())
     RETURNING cursor_seq::text AS cursor`,
    exporterId,
    owner,
    leaseMs,
    tenantId,
  );
  return rows[0] ? Number(rows[0].cursor) : undefined;
};

/** Lets another instance take over at once (on a clean stop). */
export const releaseCursor = async (sql: Sql, exporterId: string, owner: string): Promise<void> => {
  await sql.$executeRawUnsafe(`UPDATE audit_export_cursor SET owner = NULL, lease_until = NULL WHERE exporter_id = $1 AND owner = $2`, exporterId, owner);
};

export interface CursorMove {
  readonly exporterId: string;
  readonly owner: string;
  readonly fromCursor: number;
  readonly toSeq: number;
  readonly leaseMs: number;
}

/** Moves the cursor after an acknowledged batch; false when the lease was lost (nothing changed). */
export const commitDelivery = async (sql: Sql, move: CursorMove & { readonly delivered: number }): Promise<boolean> => {
  const rows = await sql.$queryRawUnsafe<{ one: number }[]>(
    `UPDATE audit_export_cursor SET cursor_seq = $4::bigint, delivered = delivered + $5::bigint, last_delivery_at = now(),
       consecutive_failures = 0, lease_until = now() + ($6::int * interval '1 millisecond'), updated_at = now()
     WHERE exporter_id = $1 AND owner = $2 AND cursor_seq = $3::bigint RETURNING 1::int AS one`,
    move.exporterId,
    move.owner,
    String(move.fromCursor),
    String(move.toSeq),
    String(move.delivered),
    move.leaseMs,
  );
  return rows.length === 1;
};

/** Records a failed attempt (and renews the lease while retrying); false when the lease was lost. */
export const recordFailure = async (sql: Sql, exporterId: string, owner: string, error: string, leaseMs: number): Promise<boolean> => {
  const rows = await sql.$queryRawUnsafe<{ one: number }[]>(
    `UPDATE audit_export_cursor SET last_error = $3, last_error_at = now(), consecutive_failures = consecutive_failures + 1,
       lease_until = now() + ($4::int * interval '1 millisecond'), updated_at = now()
     WHERE exporter_id = $1 AND owner = $2 RETURNING 1::int AS one`,
    exporterId,
    owner,
    error,
    leaseMs,
  );
  return rows.length === 1;
};

/**
 * Writes a dead letter for the batch and moves the cursor past it, in one statement: either both
 * happen or neither (a lost lease changes nothing). Returns false when the lease was lost.
 */
export const commitDeadLetter = async (
  sql: Sql,
  move: CursorMove & { readonly tenantId: string; readonly fromSeq: number; readonly events: number; readonly attempts: number; readonly error: string; readonly firstFailedAt: Date },
): Promise<boolean> => {
  const rows = await sql.$queryRawUnsafe<{ one: number }[]>(
    `WITH mine AS (SELECT 1 FROM audit_export_cursor WHERE exporter_id = $1 AND owner = $2 AND cursor_seq = $3::bigint),
     d AS (
       INSERT INTO audit_export_dead_letter (tenant_id, exporter_id, from_seq, through_seq, events, attempts, error, first_failed_at, created_at)
       SELECT $6, $1, $7::bigint, $4::bigint, $8::int, $9::int, $10, $11::timestamptz, now() WHERE EXISTS (SELECT 1 FROM mine)
       ON CONFLICT (exporter_id, from_seq) DO NOTHING RETURNING 1
     )
     UPDATE audit_export_cursor SET cursor_seq = $4::bigint, last_error = $10, last_error_at = now(), consecutive_failures = 0,
       lease_until = now() + ($5::int * interval '1 millisecond'), updated_at = now()
     WHERE exporter_id = $1 AND owner = $2 AND cursor_seq = $3::bigint RETURNING (SELECT count(*) FROM d)::int AS one`,
    move.exporterId,
    move.owner,
    String(move.fromCursor),
    String(move.toSeq),
    move.leaseMs,
    move.tenantId,
    String(move.fromSeq),
    move.events,
    move.attempts,
    move.error,
    move.firstFailedAt.toISOString(),
  );
  return rows.length === 1;
};

export interface ExporterDeliveryRow {
  readonly exporterId: string;
  readonly cursorSeq: number;
  readonly delivered: number;
  readonly lastDeliveryAt: Date | undefined;
  readonly lastError: string | undefined;
  readonly lastErrorAt: Date | undefined;
  readonly consecutiveFailures: number;
  readonly deadLetters: number;
  readonly owner: string | undefined;
}

const date = (ms: number | null) => (ms === null ? undefined : new Date(Number(ms)));

/** The delivery state of a tenant's exporters (only rows of this tenant). */
export const deliveryStates = async (sql: Sql, tenantId: string, exporterIds: readonly string[]): Promise<Map<string, ExporterDeliveryRow>> => {
  if (exporterIds.length === 0) return new Map();
  const rows = await sql.$queryRawUnsafe<
    { exporter_id: string; cursor_seq: string; delivered: string; last_delivery_ms: number | null; last_error: string | null; last_error_ms: number | null; consecutive_failures: number; dead_letters: string; owner: string | null }[]
  >(
    `SELECT c.exporter_id, c.cursor_seq::text AS cursor_seq, c.delivered::text AS delivered,
       (extract(epoch FROM c.last_delivery_at) * 1000)::float8 AS last_delivery_ms, c.last_error,
       (extract(epoch FROM c.last_error_at) * 1000)::float8 AS last_error_ms, c.consecutive_failures,
       (SELECT count(*) FROM audit_export_dead_letter d WHERE d.exporter_id = c.exporter_id AND d.tenant_id = c.tenant_id)::text AS dead_letters,
       CASE WHEN c.lease_until > now() THEN c.owner END AS owner
     FROM audit_export_cursor c WHERE c.tenant_id = $1 AND c.exporter_id = ANY($2::text[])`,
    tenantId,
    `{${exporterIds.join(',')}}`,
  );
  return new Map(
    rows.map((r) => [
      r.exporter_id,
      {
        exporterId: r.exporter_id,
        cursorSeq: Number(r.cursor_seq),
        delivered: Number(r.delivered),
        lastDeliveryAt: date(r.last_delivery_ms),
        lastError: r.last_error ?? undefined,
        lastErrorAt: date(r.last_error_ms),
        consecutiveFailures: Number(r.consecutive_failures),
        deadLetters: Number(r.dead_letters),
        owner: r.owner ?? undefined,
      },
    ]),
  );
};

export interface DeadLetterRow {
  readonly id: string;
  readonly exporterId: string;
  readonly fromSeq: number;
  readonly throughSeq: number;
  readonly events: number;
  readonly attempts: number;
  readonly error: string;
  readonly firstFailedAt: Date;
  readonly createdAt: Date;
  /** The newest request to deliver it again, if any. */
  readonly redrive: RedriveRow | undefined;
}

export type RedriveStatus = 'pending' | 'delivered' | 'failed';

export interface RedriveRow {
  readonly id: string;
  readonly deadLetterId: string;
  readonly status: RedriveStatus;
  /** Sends tried so far. */
  readonly attempts: number;
  readonly lastError: string | null;
  /** Who asked (an actor label: a user's subject, a service account id). */
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly finishedAt: Date | null;
}

interface RedriveDbRow {
  redrive_id: string | null;
  dead_letter_id: string;
  status: RedriveStatus | null;
  redrive_attempts: number | null;
  last_error: string | null;
  requested_by: string | null;
  requested_ms: number | null;
  finished_ms: number | null;
}

const REDRIVE_COLUMNS = `r.id::text AS redrive_id, r.status, r.attempts AS redrive_attempts, r.last_error, r.requested_by,
  (extract(epoch FROM r.requested_at) * 1000)::float8 AS requested_ms, (extract(epoch FROM r.finished_at) * 1000)::float8 AS finished_ms`;

const redriveOf = (r: RedriveDbRow): RedriveRow | undefined =>
  r.redrive_id === null
    ? undefined
    : {
        id: r.redrive_id,
        deadLetterId: r.dead_letter_id,
        status: r.status!,
        attempts: Number(r.redrive_attempts),
        lastError: r.last_error,
        requestedBy: r.requested_by!,
        requestedAt: new Date(Number(r.requested_ms)),
        finishedAt: r.finished_ms === null ? null : new Date(Number(r.finished_ms)),
      };

/** Dead letters of one exporter of a tenant, newest first, each with its newest redrive request; `beforeId` pages. */
export const deadLetters = async (sql: Sql, tenantId: string, exporterId: string, limit: number, beforeId?: string): Promise<DeadLetterRow[]> => {
  const rows = await sql.$queryRawUnsafe<
    (RedriveDbRow & { id: string; exporter_id: string; from_seq: string; through_seq: string; events: number; attempts: number; error: string; first_failed_ms: number; created_ms: number })[]
  >(
    `SELECT d.id::text AS id, d.id::text AS dead_letter_id, d.exporter_id, d.from_seq::text AS from_seq, d.through_seq::text AS through_seq, d.events, d.attempts, d.error,
       (extract(epoch FROM d.first_failed_at) * 1000)::float8 AS first_failed_ms, (extract(epoch FROM d.created_at) * 1000)::float8 AS created_ms, ${REDRIVE_COLUMNS}
     FROM audit_export_dead_letter d
     LEFT JOIN LATERAL (SELECT * FROM audit_export_redrive x WHERE x.dead_letter_id = d.id ORDER BY x.id DESC LIMIT 1) r ON true
     WHERE d.tenant_id = $1 AND d.exporter_id = $2 AND d.id < $3::bigint
     ORDER BY d.id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    tenantId,
    exporterId,
    beforeId ?? '9223372036854775807',
  );
  return rows.map((r) => ({
    id: r.id,
    exporterId: r.exporter_id,
    fromSeq: Number(r.from_seq),
    throughSeq: Number(r.through_seq),
    events: Number(r.events),
    attempts: Number(r.attempts),
    error: r.error,
    firstFailedAt: new Date(Number(r.first_failed_ms)),
    createdAt: new Date(Number(r.created_ms)),
    redrive: redriveOf(r),
  }));
};

/**
 * Asks for a dead letter's range to be delivered again. Returns the request: a new pending one, or
 * the one already pending for that dead letter (asking twice sends once). Undefined when the tenant's
 * exporter has no such dead letter.
 */
export const requestRedrive = async (sql: Sql, request: { readonly tenantId: string; readonly exporterId: string; readonly deadLetterId: string; readonly requestedBy: string }): Promise<RedriveRow | undefined> => {
  const { tenantId, exporterId, deadLetterId, requestedBy } = request;
  if (!/^[1-9][0-9]{0,18}$/.test(deadLetterId)) return undefined;
  await sql.$executeRawUnsafe(
    `INSERT INTO audit_export_redrive (tenant_id, exporter_id, dead_letter_id, status, requested_by, requested_at)
     SELECT d.tenant_id, d.exporter_id, d.id, 'pending', $4::text, now() FROM audit_export_dead_letter d
     WHERE d.id = $3::bigint AND d.tenant_id = $1 AND d.exporter_id = $2
     ON CONFLICT (dead_letter_id) WHERE status = 'pending' DO NOTHING`,
    tenantId,
    exporterId,
    deadLetterId,
    requestedBy,
  );
  const [letter] = await deadLetters(sql, tenantId, exporterId, 1, String(BigInt(deadLetterId) + 1n));
  return letter?.id === deadLetterId ? letter.redrive : undefined;
};

/** The oldest pending redrive of an exporter, with the range it covers. */
export const nextRedrive = async (sql: Sql, exporterId: string): Promise<(RedriveRow & { readonly fromSeq: number; readonly throughSeq: number }) | undefined> => {
  const [r] = await sql.$queryRawUnsafe<(RedriveDbRow & { from_seq: string; through_seq: string })[]>(
    `SELECT r.dead_letter_id::text AS dead_letter_id, d.from_seq::text AS from_seq, d.through_seq::text AS through_seq, ${REDRIVE_COLUMNS}
     FROM audit_export_redrive r JOIN audit_export_dead_letter d ON d.id = r.dead_letter_id
     WHERE r.exporter_id = $1 AND r.status = 'pending' ORDER BY r.id LIMIT 1`,
    exporterId,
  );
  const redrive = r && redriveOf(r);
  return redrive && { ...redrive, fromSeq: Number(r.from_seq), throughSeq: Number(r.through_seq) };
};

/** Records one send of a pending redrive: delivered, or failed (`giveUp`: no more attempts). */
export const recordRedriveAttempt = async (sql: Sql, redriveId: string, outcome: { readonly delivered: true } | { readonly delivered: false; readonly error: string; readonly giveUp: boolean }): Promise<void> => {
  await sql.$executeRawUnsafe(
    `UPDATE audit_export_redrive SET attempts = attempts + 1, last_error = $2::text,
       status = CASE WHEN $3::boolean THEN 'delivered' WHEN $4::boolean THEN 'failed' ELSE 'pending' END,
       finished_at = CASE WHEN $3::boolean OR $4::boolean THEN now() ELSE NULL END
     WHERE id = $1::bigint AND status = 'pending'`,
    redriveId,
    outcome.delivered ? null : outcome.error,
    outcome.delivered,
    !outcome.delivered && outcome.giveUp,
  );
};
