import type { Sql } from './audit-store.js';

/**
 * "Last use" of credentials that the audit trail does not hold: API tokens (counted per day by the
 * API, src/api/auth/api-token-usage.ts) and users' sign-ins (user_account). Read by the console's
 * lists and by an evidence pack's access review; virtual keys' last use comes from the trail
 * itself (`keyUsage` in audit-query.ts).
 */

export interface TokenLastUse {
  readonly lastUsedAt: Date;
  /** Uses counted up to then (whole days; see `tokenLastUse`). */
  readonly uses: number;
}

/**
 * The last use of each of a tenant's tokens (or of these tokens) before `before` (default: ever).
 * Uses are kept per day with the day's first and last, so on the day `before` falls in, the last
 * use before it is known only when the day's last is before it; otherwise the day's first use
 * stands in if it is before it (a use that day, maybe later than that).
 */
export const tokenLastUse = async (sql: Sql, tenantId: string, { before, tokenIds }: { before?: Date; tokenIds?: readonly string[] } = {}): Promise<Map<string, TokenLastUse>> => {
  const params: unknown[] = [tenantId];
  let where = 'tenant_id = $1';
  if (tokenIds) {
    params.push(tokenIds);
    where += ` AND token_id = ANY($${params.length}::text[])`;
  }
  let lastUse = 'last_used_at';
  if (before) {
    params.push(before.toISOString());
    const p = `($${params.length}::timestamptz AT TIME ZONE 'UTC')`;
    where += ` AND first_used_at < ${p}`;
    lastUse = `CASE WHEN last_used_at < ${p} THEN last_used_at ELSE first_used_at END`;
  }
  const rows = await sql.$queryRawUnsafe<{ token_id: string; last_ms: number; uses: number }[]>(
    `SELECT token_id, (extract(epoch FROM max(${lastUse})) * 1000)::float8 AS last_ms, sum(uses)::float8 AS uses FROM api_token_use WHERE ${where} GROUP BY token_id`,
    ...params,
  );
  return new Map(rows.map((r) => [r.token_id, { lastUsedAt: new Date(Number(r.last_ms)), uses: Number(r.uses) }]));
};

/** The last sign-in of each of these users before `before`, keyed `issuer + ' ' + subject` (sign-ins are kept as the latest only, so a user who has signed in since `before` has none here). */
export const userLastSignIn = async (sql: Sql, users: readonly { readonly issuer: string; readonly subject: string }[], before: Date): Promise<Map<string, Date>> => {
  if (users.length === 0) return new Map();
  const rows = await sql.$queryRawUnsafe<{ issuer: string; subject: string; last_ms: number }[]>(
    `SELECT u.issuer, u.subject, (extract(epoch FROM u.last_login_at) * 1000)::float8 AS last_ms
     FROM user_account u JOIN unnest($1::text[], $2::text[]) AS w(issuer, subject) ON u.issuer = w.issuer AND u.subject = w.subject
     WHERE u.last_login_at < ($3::timestamptz AT TIME ZONE 'UTC')`,
    users.map((u) => u.issuer),
    users.map((u) => u.subject),
    before.toISOString(),
  );
  return new Map(rows.map((r) => [`${r.issuer} ${r.subject}`, new Date(Number(r.last_ms))]));
};
