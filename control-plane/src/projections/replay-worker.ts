import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../core/logger.js';
import { openDatabase } from '../infra/database/database.js';
import { Projector } from './projector.js';
import { ChannelEventLog } from './record-channel.js';
import { CopyReadModelWriter } from './read-model-writer.js';
import type { ReplayThreadData, ReplayThreadMessage, ReplayThreadReport } from './replay-threads.js';

/**
 * One thread of a parallel replay (`replay-threads.ts`): the main thread reads the log and hands
 * this one the records of its share of the tenants in packs; a Projector in rebuild mode applies
 * and loads them through its own COPY connection, as a replay on one thread would, except that the
 * checkpoints are left to the main thread, which alone has read the whole log.
 */
const port = parentPort!;
const report = (message: ReplayThreadReport) => port.postMessage(message);
const { connectionString } = workerData as ReplayThreadData;

/** An error's message, and its cause's (a driver's `connect ECONNREFUSED …`): no URL or password is in either. */
const describe = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
};

const run = async () => {
  const log = new ChannelEventLog((records) => report({ kind: 'handled', records }));
  port.on('message', (message: ReplayThreadMessage) => {
    if (message.kind === 'records') log.deliver(message.pack);
    else log.end();
  });
  // log lines (a quarantined record's, a failed write's) are written by the main thread, with the replay's logger
  const logger: Logger = {
    info: (fields, message) => report({ kind: 'log', level: 'info', fields, message }),
    warn: (fields, message) => report({ kind: 'log', level: 'warn', fields, message }),
    error: (fields, message) => report({ kind: 'log', level: 'error', fields, message }),
  };
  // the COPY connection first: if the server cannot be reached, its driver says so in one line
  const writer = await CopyReadModelWriter.connect(connectionString, { checkpoints: false });
  const database = await openDatabase({ kind: 'postgres', url: connectionString }, { migrate: false }).catch(async (error: unknown) => {
    await writer.close();
    throw error;
  });
  try {
    const projector = new Projector(log, database.prisma, logger, { writer, mode: 'rebuild' });
    await projector.start();
    report({ kind: 'ready' });
    await projector.catchUp(24 * 3_600_000);
    await projector.stop();
  } finally {
    await writer.close();
    await database.close();
  }
};

run().then(
  () => report({ kind: 'finished' }),
  (error: unknown) => report({ kind: 'failed', message: describe(error) }),
);
