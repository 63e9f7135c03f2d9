import type { Actor } from '@mcpgate/contracts';
import type { Sql } from '../audit-store.js';
import type { EvidenceFramework, EvidenceProgress } from './evidence-request.js';

/**
 * All SQL of evidence packs (table `evidence_pack`, migration `…_evidence_packs`): jobs and the
 * finished archives' bytes, so every control-plane replica can report progress and serve a download.
 * Bytes travel as base64 text, so no driver type mapping is involved (Prisma/PGlite and `pg` alike).
 */

export type EvidencePackStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface EvidencePackRow {
  readonly id: string;
  readonly tenantId: string;
  readonly framework: EvidenceFramework;
  readonly from: Date;
  readonly to: Date;
  readonly status: EvidencePackStatus;
  readonly progress: EvidenceProgress;
  readonly requestedBy: Actor;
  readonly error: string | null;
  readonly sha256: string | null;
  readonly bytes: number | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

interface DbRow {
  id: string;
  tenant_id: string;
  framework: string;
  from_ms: number;
  to_ms: number;
  status: string;
  progress: string;
  requested_by: string;
  error: string | null;
  sha256: string | null;
  bytes: number | null;
  created_ms: number;
  finished_ms: number | null;
}

const SELECT = `id, tenant_id, framework, (extract(epoch FROM period_from) * 1000)::float8 AS from_ms, (extract(epoch FROM period_to) * 1000)::float8 AS to_ms,
  status, progress::text AS progress, requested_by::text AS requested_by, error, sha256, bytes, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms,
  (extract(epoch FROM finished_at) * 1000)::float8 AS finished_ms`;

const toRow = (r: DbRow): EvidencePackRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  framework: r.framework as EvidenceFramework,
  from: new Date(Number(r.from_ms)),
  to: new Date(Number(r.to_ms)),
  status: r.status as EvidencePackStatus,
  progress: JSON.parse(r.progress) as EvidenceProgress,
  requestedBy: JSON.parse(r.requested_by) as Actor,
  error: r.error,
  sha256: r.sha256,
  bytes: r.bytes === null ? null : Number(r.bytes),
  createdAt: new Date(Number(r.created_ms)),
  finishedAt: r.finished_ms === null ? null : new Date(Number(r.finished_ms)),
});

export const insertPack = async (sql: Sql, row: Omit<EvidencePackRow, 'error' | 'sha256' | 'bytes' | 'finishedAt'>, owner?: string): Promise<void> => {
  await sql.$executeRawUnsafe(
    `INSERT INTO evidence_pack (id, tenant_id, framework, period_from, period_to, status, progress, requested_by, created_at, owner, heartbeat_at)
     VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7::jsonb, $8::jsonb, $9::timestamptz, $10, $9::timestamptz)`,
    row.id,
    row.tenantId,
    row.framework,
    row.from.toISOString(),
    row.to.toISOString(),
    row.status,
    JSON.stringify(row.progress),
    JSON.stringify(row.requestedBy),
    row.createdAt.toISOString(),
    owner ?? null,
  );
};

/** Renews the lease of every unfinished job of `owner`. */
export const heartbeat = async (sql: Sql, owner: string, at: Date): Promise<void> => {
  await sql.$executeRawUnsafe(`UPDATE evidence_pack SET heartbeat_at = $2::timestamptz WHERE owner = $1 AND status IN ('queued', 'running')`, owner, at.toISOString());
};

export const updateProgress = async (sql: Sql, id: string, status: EvidencePackStatus, progress: EvidenceProgress): Promise<void> => {
  await sql.$executeRawUnsafe(`UPDATE evidence_pack SET status = $2, progress = $3::jsonb WHERE id = $1 AND status IN ('queued', 'running')`, id, status, JSON.stringify(progress));
};

export const finishPack = async (sql: Sql, id: string, archive: Buffer, sha256: string, progress: EvidenceProgress, at: Date): Promise<void> => {
  await sql.$executeRawUnsafe(
    `UPDATE evidence_pack SET status = 'succeeded', progress = $2::jsonb, archive = decode($3, 'base64'), sha256 = $4, bytes = $5::int, finished_at = $6::timestamptz WHERE id = $1`,
    id,
    JSON.stringify(progress),
    archive.toString('base64'),
    sha256,
    archive.length,
    at.toISOString(),
  );
};

export const failPack = async (sql: Sql, id: string, error: string, at: Date): Promise<void> => {
  await sql.$executeRawUnsafe(`UPDATE evidence_pack SET status = 'failed', error = $2, finished_at = $3::timestamptz WHERE id = $1 AND status IN ('queued', 'running')`, id, error, at.toISOString());
};

/**
 * Jobs left queued or running by a process that stopped: their owner has not renewed their lease
 * since `staleBefore` (or they have no owner), so they will never finish. Jobs of live processes,
 * other replicas included, are left alone. Returns how many were failed.
 */
export const failInterrupted = async (sql: Sql, at: Date, staleBefore: Date): Promise<number> =>
  sql.$executeRawUnsafe(
    `UPDATE evidence_pack SET status = 'failed', error = 'interrupted', finished_at = $1::timestamptz
      WHERE status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < $2::timestamptz)`,
    at.toISOString(),
    staleBefore.toISOString(),
  );

export const findPack = async (sql: Sql, tenantId: string, id: string): Promise<EvidencePackRow | undefined> => {
  const rows = await sql.$queryRawUnsafe<DbRow[]>(`SELECT ${SELECT} FROM evidence_pack WHERE tenant_id = $1 AND id = $2`, tenantId, id);
  return rows[0] ? toRow(rows[0]) : undefined;
};

/** A page of a tenant's packs, newest first; `after` is the last id of the previous page. */
export const listPacks = async (sql: Sql, tenantId: string, first: number, afterId?: string): Promise<{ rows: EvidencePackRow[]; hasNextPage: boolean }> => {
  const params: unknown[] = [tenantId];
  let keyset = '';
  if (afterId) {
    params.push(afterId);
    keyset = ` AND (created_at, id) < (SELECT created_at, id FROM evidence_pack WHERE tenant_id = $1 AND id = $2)`;
  }
  const rows = await sql.$queryRawUnsafe<DbRow[]>(`SELECT ${SELECT} FROM evidence_pack WHERE tenant_id = $1${keyset} ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(first) + 1}`, ...params);
  return { rows: rows.slice(0, first).map(toRow), hasNextPage: rows.length > first };
};

/** The finished archive of a tenant's pack; undefined when there is none (unknown, other tenant's, unfinished). */
export const packArchive = async (sql: Sql, tenantId: string, id: string): Promise<Buffer | undefined> => {
  const rows = await sql.$queryRawUnsafe<{ archive: string | null }[]>(
    `SELECT encode(archive, 'base64') AS archive FROM evidence_pack WHERE tenant_id = $1 AND id = $2 AND status = 'succeeded'`,
    tenantId,
    id,
  );
  const text = rows[0]?.archive;
  return text ? Buffer.from(text.replace(/\s/g, ''), 'base64') : undefined;
};

export const countPacks = async (sql: Sql, tenantId: string): Promise<number> => {
  const [r] = await sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::float8 AS n FROM evidence_pack WHERE tenant_id = $1`, tenantId);
  return Number(r?.n ?? 0);
};
