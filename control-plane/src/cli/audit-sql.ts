import type { ControlPlaneConfig } from '@mcpgate/contracts';
import { openAuditPool, pgAuditSql, type Sql } from '../audit/audit-store.js';
import { openDatabase } from '../infra/database/database.js';

/**
 * The audit trail's SQL for a one-shot command: a small `pg` pool on PostgreSQL, the Prisma client
 * on PGlite (without migrating: a command reads what the control plane wrote). `close` ends it.
 */
export const openAuditSqlForCommand = async (database: ControlPlaneConfig['database']): Promise<{ sql: Sql; close(): Promise<void> }> => {
  if (database.kind === 'postgres') {
    const pool = openAuditPool(database.url, { max: 2 });
    return { sql: pgAuditSql(pool), close: () => pool.end() };
  }
  const opened = await openDatabase(database, { migrate: false });
  return { sql: opened.prisma, close: () => opened.close() };
};
