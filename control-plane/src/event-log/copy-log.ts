import type { EventLog, LogRecord } from './event-log.port.js';

/** How far a copy has come; `alreadyThere` counts records a previous, interrupted copy appended. */
export interface LogCopyProgress {
  readonly total: number;
  readonly done: number;
  readonly alreadyThere: number;
  readonly perSecond: number;
}

export interface LogCopyResult {
  readonly total: number;
  readonly appended: number;
  readonly alreadyThere: number;
  readonly seconds: number;
}

/** The target log holds records that are not the start of the source log: copying would mix two histories. */
export class LogCopyConflictError extends Error {
  readonly reason = 'event_log.copy_conflict';

  constructor(message: string) {
    super(message);
    this.name = 'LogCopyConflictError';
  }
}

/**
 * Copies every record of `source` into `target`, keys and bytes unchanged, in source order (so
 * each key's records keep their order in whichever target partition the key maps to). This is
 * how an embedded installation moves to Kafka: the log is the source of truth, and read models,
 * snapshots and sessions are rebuilt from it.
 *
 * Safe to run again after an interruption: records already in the target are checked, byte for
 * byte, to be exactly the beginning of the source (per target partition) and skipped; anything
 * else in the target (another installation's history, a record appended twice after a lost
 * acknowledgement) stops the copy with a LogCopyConflictError before anything is appended.
 * Records appended to the source while copying are not copied: stop the writer first.
 */
export const copyEventLog = async (
  source: EventLog,
  target: EventLog,
  options: { readonly onProgress?: (progress: LogCopyProgress) => void; readonly progressIntervalMs?: number } = {},
): Promise<LogCopyResult> => {
  const started = performance.now();
  const existing = await readAll(target, await target.endOffsets());
  const sourceEnd = await source.endOffsets();
  const total = [...sourceEnd.values()].reduce((sum, end) => sum + Number(end), 0);

  // first pass: check the target's records against the source before appending anything
  const plan: LogRecord[] = [];
  const matched = new Map<number, number>();
  let alreadyThere = 0;
  for (const record of await readAll(source, sourceEnd).then(inLogOrder)) {
    const partition = await target.partitionFor(record.key);
    const index = matched.get(partition) ?? 0;
    const present = existing.get(partition)?.[index];
    if (!present) {
      plan.push(record);
      continue;
    }
    if (present.key !== record.key || !present.value.equals(record.value)) {
      throw new LogCopyConflictError(
        `the target's partition ${partition} offset ${present.position.offset} is not the source's record at partition ${record.position.partition} offset ${record.position.offset}: the target holds another history; copy into an empty topic`,
      );
    }
    matched.set(partition, index + 1);
    alreadyThere += 1;
  }
  for (const [partition, records] of existing) {
    const extra = records.length - (matched.get(partition) ?? 0);
    if (extra > 0) throw new LogCopyConflictError(`the target's partition ${partition} holds ${extra} record(s) that are not in the source: the target holds another history; copy into an empty topic`);
  }

  const interval = options.progressIntervalMs ?? 250;
  let lastReport = 0;
  const report = (done: number, force = false) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < interval)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    options.onProgress({ total, done, alreadyThere, perSecond: seconds > 0 ? (done - alreadyThere) / seconds : 0 });
  };
  report(alreadyThere, true);
  let appended = 0;
  for (const record of plan) {
    await target.append(record.key, record.value);
    appended += 1;
    report(alreadyThere + appended);
  }
  report(alreadyThere + appended, true);
  return { total, appended, alreadyThere, seconds: (performance.now() - started) / 1000 };
};

/** Every record below `end` in each partition, by partition, in offset order. */
export const readAll = async (log: EventLog, end: ReadonlyMap<number, bigint>): Promise<Map<number, LogRecord[]>> => {
  const byPartition = new Map<number, LogRecord[]>();
  const wanted = [...end.values()].reduce((sum, offset) => sum + Number(offset), 0);
  if (wanted === 0) return byPartition;
  let seen = 0;
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const subscription = await log.subscribe(
    new Map(),
    async (record) => {
      const limit = end.get(record.position.partition) ?? 0n;
      if (record.position.offset >= limit) return;
      const list = byPartition.get(record.position.partition) ?? [];
      list.push(record);
      byPartition.set(record.position.partition, list);
      seen += 1;
      if (seen === wanted) settle.resolve();
    },
    (error) => settle.reject(error),
  );
  try {
    await done;
  } finally {
    await subscription.stop();
  }
  return byPartition;
};

/** The source's records in the order they were appended (the file log has one partition; several are taken partition by partition, which keeps each key's order). */
const inLogOrder = (byPartition: Map<number, LogRecord[]>): LogRecord[] =>
  [...byPartition.keys()].sort((a, b) => a - b).flatMap((partition) => byPartition.get(partition)!);
