import { availableParallelism } from 'node:os';
import type { EventLog, LogCheckpoint } from '../event-log/event-log.port.js';
import type { Database } from '../infra/database/database.js';
import type { Logger } from '../core/logger.js';
import { Projector, READ_MODEL_PROJECTION } from './projector.js';
import { checkpointUpsert, CopyReadModelWriter } from './read-model-writer.js';
import { replayOnThreads } from './replay-threads.js';
import { restoreAfterBulkLoad, suspendForBulkLoad } from './bulk-load.js';

export interface ReplayProgress {
  /** `events` while the log is replayed, `indexes` while the indexes and keys are built again (and the tables analyzed) at the end. */
  readonly phase: 'events' | 'indexes';
  readonly handled: number;
  readonly total: number;
  readonly perSecond: number;
  readonly etaSeconds: number | undefined;
}

/** Every read-model table, emptied before a rebuild. The event log is not touched. */
export const READ_MODEL_TABLES = [
  'tenant',
  'role',
  'role_binding',
  'upstream_server',
  'virtual_server',
  'virtual_key',
  'policy',
  'credential',
  'service_account',
  'api_token',
  'identity_provider',
  'admin_activity',
  'quarantined_record',
  'projection_checkpoint',
] as const;

/** The read-model tables as a list for one statement over all of them (TRUNCATE, ANALYZE). */
const TABLE_LIST = READ_MODEL_TABLES.map((t) => `"${t}"`).join(', ');

/** Threads a replay into a PostgreSQL server uses by default: one per core, up to 8 (the server needs cores too). */
export const defaultReplayThreads = (): number => Math.min(availableParallelism(), 8);

/** Tables whose rows a rebuild writes once and never finds by primary key: their key is built at the end. */
const APPEND_ONLY_TABLES = ['admin_activity'];

/**
 * Drops every read model and rebuilds it from the log (the source of truth), reporting progress
 * while it runs. Returns what was replayed. On a PostgreSQL server the rows stream in through COPY
 * (`CopyReadModelWriter`), which needs the tables to itself: stop the control plane's projectors
 * while a replay runs, as a replay that empties their tables implies anyway. There the tenants are
 * shared out among `threads` worker threads (`replay-threads.ts`; default: one per core, up to 8),
 * and the log is replayed up to its end as of the start; with one thread, or into embedded PGlite,
 * the replay runs on this thread.
 */
export const replayReadModels = async (
  log: EventLog,
  database: Pick<Database, 'prisma' | 'connectionString'>,
  {
    onProgress,
    intervalMs = 1_000,
    logger,
    threads = defaultReplayThreads(),
  }: { onProgress?: (p: ReplayProgress) => void; intervalMs?: number; logger?: Logger; threads?: number } = {},
): Promise<{ records: number; seconds: number }> => {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number of at least 1, not ${threads}`);
  const started = performance.now();
  const { prisma, connectionString } = database;
  await prisma.$executeRawUnsafe(`TRUNCATE ${TABLE_LIST}`);
  // what an interrupted replay left suspended, restored once the tables are empty: putting a key back
  // cannot then fail on duplicates that run (or a projector wrongly running beside it) left behind
  await restoreAfterBulkLoad(prisma);
  const total = Number([...(await log.endOffsets()).values()].reduce((a, b) => a + b, 0n));
  let phase: ReplayProgress['phase'] = 'events';
  let handledOnThreads = 0;
  const onThreads = connectionString !== undefined && threads > 1;
  const writer = connectionString && !onThreads ? await CopyReadModelWriter.connect(connectionString) : undefined;
  const projector = onThreads ? undefined : new Projector(log, prisma, logger, { writer, mode: 'rebuild' });
  const report = () => {
    const handled = projector ? projector.progress().handled : handledOnThreads;
    const seconds = (performance.now() - started) / 1000;
    const perSecond = handled / Math.max(seconds, 0.001);
    onProgress?.({ phase, handled, total, perSecond, etaSeconds: perSecond > 0 ? Math.max(0, (total - handled) / perSecond) : undefined });
  };
  const timer = setInterval(report, intervalMs);
  let failure: unknown;
  try {
    await suspendForBulkLoad(prisma, READ_MODEL_TABLES, { appendOnly: APPEND_ONLY_TABLES });
    if (projector) {
      await projector.start();
      await projector.catchUp(24 * 3_600_000);
    } else {
      const checkpoint = await replayOnThreads(log, connectionString!, { threads, logger, onHandled: (handled) => (handledOnThreads = handled) });
      await storeCheckpoint(prisma, checkpoint);
    }
  } catch (error) {
    failure = error;
  }
  // every step runs whatever failed before it (the indexes come back in any case); the first error wins
  const finish = [
    () => projector?.stop(),
    () => writer?.close(),
    async () => {
      phase = 'indexes';
      report();
      await restoreAfterBulkLoad(prisma);
      // fresh statistics for the planner at once, instead of whenever autovacuum gets to it
      if (!failure) await prisma.$executeRawUnsafe(`ANALYZE ${TABLE_LIST}`);
    },
  ];
  for (const step of finish) {
    try {
      await step();
    } catch (error) {
      failure ??= error;
    }
  }
  clearInterval(timer);
  if (failure) throw failure;
  report();
  return { records: total, seconds: (performance.now() - started) / 1000 };
};

/** The read-model projection's checkpoint after a replay on threads, which wrote none. */
const storeCheckpoint = async (prisma: Pick<Database, 'prisma'>['prisma'], checkpoint: LogCheckpoint) => {
  const reached = new Map([...checkpoint].filter(([, offset]) => offset > 0n));
  if (reached.size === 0) return;
  const { sql, values } = checkpointUpsert(reached, READ_MODEL_PROJECTION);
  await prisma.$executeRawUnsafe(sql, ...values);
};
