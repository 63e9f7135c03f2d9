import type { Sql } from '../audit/audit-store.js';
import type { CallCountRow } from './call-counts.js';

/**
 * The last audit sequence number of each tenant (0 for one without records), in one statement: a
 * backward index lookup per tenant on the trail's primary key (tenant, seq), not a scan.
 */
export const auditHeads = async (sql: Sql, tenantIds: readonly string[]): Promise<Map<string, bigint>> => {
  const rows = await sql.$queryRawUnsafe<{ tenant_id: string; head: string | null }[]>(
    `SELECT t.id AS tenant_id, (SELECT max(seq) FROM audit_event WHERE tenant_id = t.id)::text AS head FROM unnest($1::text[]) AS t(id)`,
    [...tenantIds],
  );
  return new Map(rows.map((r) => [r.tenant_id, BigInt(r.head ?? '0')]));
};

/**
 * The tenant's tool calls with sequence numbers in (`afterSeq`, `throughSeq`] and times from
 * `fromDay` on, that went through (allowed or failed upstream, not denied: what a proxy counts
 * against a budget), per UTC day, key, OAuth subject and tool, with their cost (the events'
 * `cost`, set by the proxy for priced tools). One range scan of the trail's
 * primary key (tenant, seq), grouped in the database.
 */
export const readCallCounts = async (sql: Sql, tenantId: string, afterSeq: bigint, throughSeq: bigint, fromDay: string): Promise<CallCountRow[]> => {
  const rows = await sql.$queryRawUnsafe<{ day: string; key_id: string; user_subject: string; tool: string; calls: number; cost: number }[]>(
    `SELECT to_char("time" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            coalesce(principal_key_id, '') AS key_id,
            CASE WHEN principal_kind = 'oauth' THEN coalesce(principal_subject, '') ELSE '' END AS user_subject,
            coalesce(tool, '') AS tool,
            count(*)::int AS calls,
            coalesce(sum((event->>'cost')::float8), 0)::float8 AS cost
       FROM audit_event
      WHERE tenant_id = $1 AND seq > $2::bigint AND seq <= $3::bigint
        AND method = 'tools/call' AND outcome <> 'denied' AND principal_kind <> 'admin'
        AND "time" >= $4::timestamptz
      GROUP BY 1, 2, 3, 4`,
    tenantId,
    afterSeq.toString(),
    throughSeq.toString(),
    `${fromDay}T00:00:00.000Z`,
  );
  return rows.map((r) => ({ day: r.day, keyId: r.key_id, user: r.user_subject, tool: r.tool, calls: Number(r.calls), cost: Number(r.cost) }));
};
