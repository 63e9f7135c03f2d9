import { Worker } from 'node:worker_threads';
import { silentLogger, type Logger } from '../core/logger.js';
import type { EventLog, LogCheckpoint, LogRecord } from '../event-log/event-log.port.js';
import { threadEntry } from '../infra/thread-entry.js';
import { RecordPacker } from './record-channel.js';

/** What a replay thread is started with. */
export interface ReplayThreadData {
  readonly connectionString: string;
}

/** Main thread → replay thread: a pack of records (`RecordPacker`), then the end. */
export type ReplayThreadMessage = { readonly kind: 'records'; readonly pack: Uint8Array } | { readonly kind: 'end' };

/** Replay thread → main thread. */
export type ReplayThreadReport =
  | { readonly kind: 'ready' }
  | { readonly kind: 'handled'; readonly records: number }
  | { readonly kind: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly fields: Record<string, unknown>; readonly message: string }
  | { readonly kind: 'finished' }
  | { readonly kind: 'failed'; readonly message: string };

/** Packs a thread may have waiting or in work before the reader waits for it (about 1 MiB each). */
const PACKS_IN_FLIGHT = 4;

/** Which thread replays a tenant's records: the same for every record with that key (FNV-1a of its UTF-16 units). */
export const threadForKey = (key: string, threads: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % threads;
};

interface ReplayThread {
  readonly worker: Worker;
  readonly packer: RecordPacker;
  inFlight: number;
  readonly waiters: (() => void)[];
  finished: boolean;
}

/**
 * Replays the log into the read models on `threads` worker threads (`replay-worker.ts`), each
 * with its own share of the tenants and its own COPY connection; this thread only reads the log
 * and hands each record to its tenant's thread. Tenants are independent (every commit is arbitrated
 * against its own tenant's state, and a record is keyed by its tenant: `LogApplier` quarantines
 * one that is not), so each thread applies exactly the commits one thread would, in the same
 * order per tenant, and the rows are the same. The log is read up to its end as of the start;
 * returns that position, for the caller to store as the projection's checkpoint once the rows are
 * in (the threads write none: each has seen only its share). `onHandled` is called with how many
 * records the threads have handled so far.
 */
export const replayOnThreads = async (
  log: EventLog,
  connectionString: string,
  { threads: count, logger = silentLogger, onHandled }: { threads: number; logger?: Logger; onHandled?: (handled: number) => void },
): Promise<LogCheckpoint> => {
  const target = await log.endOffsets();
  let handled = 0;
  let failure: Error | undefined;
  let failed!: (error: Error) => void;
  const failedPromise = new Promise<never>((_, reject) => {
    failed = (error) => {
      failure ??= error;
      reject(failure);
      // a reader waiting for a thread that is gone must not wait forever
      for (const thread of threads) thread.waiters.splice(0).forEach((wake) => wake());
    };
  });
  failedPromise.catch(() => {});
  const { url, execArgv } = threadEntry(import.meta.url, 'replay-worker');
  const data: ReplayThreadData = { connectionString };
  const threads: ReplayThread[] = [];
  const ready: Promise<void>[] = [];
  const finished: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(url, { name: `replay-${i}`, workerData: data, execArgv });
    const thread: ReplayThread = { worker, packer: new RecordPacker(), inFlight: 0, waiters: [], finished: false };
    threads.push(thread);
    let readyNow!: () => void;
    let finishedNow!: () => void;
    ready.push(new Promise<void>((resolve) => (readyNow = resolve)));
    finished.push(new Promise<void>((resolve) => (finishedNow = resolve)));
    worker.on('message', (report: ReplayThreadReport) => {
      if (report.kind === 'ready') readyNow();
      else if (report.kind === 'handled') {
        handled += report.records;
        thread.inFlight -= 1;
        thread.waiters.splice(0).forEach((wake) => wake());
        onHandled?.(handled);
      } else if (report.kind === 'log') logger[report.level]({ ...report.fields, thread: i }, report.message);
      else if (report.kind === 'finished') {
        thread.finished = true;
        finishedNow();
      } else failed(new Error(`replay thread ${i} failed: ${report.message}`));
    });
    worker.on('error', (error) => failed(new Error(`replay thread ${i} failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      if (!thread.finished) failed(new Error(`replay thread ${i} exited with code ${code} before it finished`));
    });
  }
  const send = (thread: ReplayThread) => {
    const pack = thread.packer.take();
    thread.inFlight += 1;
    const message: ReplayThreadMessage = { kind: 'records', pack };
    thread.worker.postMessage(message, [pack.buffer as ArrayBuffer]);
  };
  try {
    await Promise.race([Promise.all(ready), failedPromise]);
    // partitions still to be read up to their end as of the start
    let unread = [...target.values()].filter((end) => end > 0n).length;
    let readAll!: () => void;
    const read = new Promise<void>((resolve) => (readAll = resolve));
    if (unread === 0) readAll();
    const subscription = await log.subscribe(
      new Map(),
      async (record: LogRecord) => {
        const { partition, offset } = record.position;
        if (failure || offset >= (target.get(partition) ?? 0n)) return;
        const thread = threads[threadForKey(record.key, count)]!;
        if (thread.packer.add(record)) {
          send(thread);
          while (thread.inFlight > PACKS_IN_FLIGHT && !failure) await new Promise<void>((wake) => thread.waiters.push(wake));
        }
        if (offset + 1n === target.get(partition) && --unread === 0) readAll();
      },
      (error) => failed(error instanceof Error ? error : new Error(String(error))),
    );
    try {
      await Promise.race([read, failedPromise]);
    } finally {
      await subscription.stop();
    }
    for (const thread of threads) {
      if (thread.packer.size > 0) send(thread);
      const end: ReplayThreadMessage = { kind: 'end' };
      thread.worker.postMessage(end);
    }
    await Promise.race([Promise.all(finished), failedPromise]);
    return target;
  } finally {
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }
};
