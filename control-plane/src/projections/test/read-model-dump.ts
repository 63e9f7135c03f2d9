import type { Database } from '../../infra/database/database.js';
import { READ_MODEL_TABLES } from '../replay.js';

/** Bookkeeping columns that record wall-clock time of the projection run, not log content. */
const RUN_TIME_COLUMNS: Partial<Record<string, string>> = {
  projection_checkpoint: 'projection, partition, next_offset',
  quarantined_record: 'log_partition, log_offset, key, issues',
};

/** Every row of every read-model table, in a stable order, for comparing two databases. */
export const dumpReadModels = async (db: Pick<Database, 'prisma'>): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const rows = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${RUN_TIME_COLUMNS[table] ?? '*'} FROM "${table}"`);
    out[table] = rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  return out;
};
