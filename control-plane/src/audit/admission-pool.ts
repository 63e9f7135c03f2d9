import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { silentLogger, type Logger } from '../core/logger.js';
import { threadEntry } from '../infra/thread-entry.js';
import { admitRecord, admittedElsewhere, type Admission } from './audit-record.js';

/** What a thread answers for an admitted record; a refused one is its error text. */
export type AdmittedIds = readonly [tenantId: string, eventId: string];
/** A request's records packed into one buffer (transferred, not copied): `ends[i]` is where record i ends, -1 for a record without a value. */
export interface AdmissionRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly ends: Int32Array;
}
/** `fields[fieldEnds[i - 1] … fieldEnds[i]]` are record i's row fields (empty for a refused one). */
export interface AdmissionReply {
  readonly id: number;
  readonly results: readonly (AdmittedIds | string)[];
  readonly fields: Uint8Array;
  readonly fieldEnds: Int32Array;
}

export interface AdmissionPoolStatus {
  readonly threads: number;
  readonly restarts: number;
  readonly recoveredRecords: number;
}

/** One less than the CPUs this process may use, at most 4: 0 (admit on the main thread) on one CPU. */
export const defaultAdmissionThreads = (): number => Math.max(0, Math.min(4, availableParallelism() - 1));

/** Below this many records a round trip to a thread costs more than admitting them here. */
const MIN_RECORDS_FOR_A_THREAD = 16;
/** A thread that keeps ending is not started again: past this many restarts its share is admitted here. */
const MAX_RESTARTS = 5;

interface Pending {
  readonly values: readonly (Buffer | null)[];
  readonly resolve: (admissions: Admission[]) => void;
}

interface Thread {
  readonly name: string;
  worker: Worker | undefined;
  readonly pending: Map<number, Pending>;
}

const admitHere = (values: readonly (Buffer | null)[]): Admission[] => values.map((value) => admitRecord(value));

/**
 * Admits audit records from Kafka (`admitRecord`: UTF-8, JSON, the AuditEvent schema, storable
 * characters, query columns) on worker threads, which also encode each event's row fields for
 * COPY (`writeEventFields`), so the main thread only chains, MACs and writes:
 * admission is the largest share of the sink's per-event work on the main thread, and with it
 * elsewhere the sink uses a second core (README.md here, "The sink" and "Performance").
 *
 * Results come back in the order of the records. A thread only ever adds speed: a request whose
 * thread fails or ends is admitted on the calling thread instead (admission is a pure function of
 * the bytes, so doing it twice is harmless), the thread is started again, and with `threads: 0`
 * everything is admitted here.
 */
export class AdmissionPool {
  private readonly threads: Thread[] = [];
  private readonly logger: Logger;
  private nextId = 0;
  private restarts = 0;
  private recovered = 0;
  private closed = false;

  constructor({ threads, logger = silentLogger }: { threads: number; logger?: Logger }) {
    this.logger = logger;
    for (let i = 0; i < threads; i++) {
      const thread: Thread = { name: `audit-admission-${i}`, worker: undefined, pending: new Map() };
      this.spawn(thread);
      this.threads.push(thread);
    }
  }

  /** Threads running, how often one was started again, and records admitted here because their thread ended. */
  status(): AdmissionPoolStatus {
    return { threads: this.threads.length, restarts: this.restarts, recoveredRecords: this.recovered };
  }

  admit(values: readonly (Buffer | null)[]): Promise<Admission[]> {
    if (this.closed || this.threads.length === 0 || values.length < MIN_RECORDS_FOR_A_THREAD) return Promise.resolve(admitHere(values));
    const thread = this.threads.reduce((least, t) => (t.pending.size < least.pending.size ? t : least));
    let total = 0;
    for (const value of values) total += value?.length ?? 0;
    const bytes = new Uint8Array(total);
    const ends = new Int32Array(values.length);
    let offset = 0;
    values.forEach((value, i) => {
      if (!value) {
        ends[i] = -1;
        return;
      }
      bytes.set(value, offset);
      offset += value.length;
      ends[i] = offset;
    });
    const id = this.nextId++;
    return new Promise((resolve) => {
      thread.pending.set(id, { values, resolve });
      thread.worker!.postMessage({ id, bytes, ends } satisfies AdmissionRequest, [bytes.buffer, ends.buffer]);
    });
  }

  /** Ends the threads; requests still out are admitted on the calling thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const threads = this.threads.splice(0);
    for (const thread of threads) this.admitPendingHere(thread);
    await Promise.all(threads.map((t) => t.worker?.terminate()));
  }

  private spawn(thread: Thread): void {
    const { url, execArgv } = threadEntry(import.meta.url, 'admission-worker');
    const worker = new Worker(url, { name: thread.name, execArgv });
    worker.unref();
    worker.on('message', (reply: AdmissionReply) => this.onReply(thread, reply));
    worker.on('error', (error) => this.onThreadEnd(thread, worker, error));
    worker.on('exit', (code) => this.onThreadEnd(thread, worker, new Error(`exited with code ${code}`)));
    thread.worker = worker;
  }

  private onReply(thread: Thread, { id, results, fields, fieldEnds }: AdmissionReply): void {
    const pending = thread.pending.get(id);
    if (!pending) return;
    thread.pending.delete(id);
    const encoded = Buffer.from(fields.buffer, fields.byteOffset, fields.byteLength);
    pending.resolve(
      results.map((result, i): Admission => {
        if (typeof result === 'string') return { ok: false, error: result };
        const [tenantId, eventId] = result;
        return { ok: true, event: admittedElsewhere(tenantId, eventId, pending.values[i]!, encoded.subarray(i === 0 ? 0 : fieldEnds[i - 1], fieldEnds[i])) };
      }),
    );
  }

  private admitPendingHere(thread: Thread): void {
    for (const { values, resolve } of thread.pending.values()) {
      if (!this.closed) this.recovered += values.length;
      resolve(admitHere(values));
    }
    thread.pending.clear();
  }

  /** A thread failed or exited: its requests are admitted here, and it is started again (a few times). */
  private onThreadEnd(thread: Thread, worker: Worker, error: Error): void {
    if (this.closed || thread.worker !== worker) return;
    thread.worker = undefined;
    this.admitPendingHere(thread);
    void worker.terminate();
    if (this.restarts >= MAX_RESTARTS) {
      this.logger.error({ thread: thread.name, err: error.message }, 'audit admission thread ended too often; its share of the records is admitted on the main thread');
      this.threads.splice(this.threads.indexOf(thread), 1);
      return;
    }
    this.restarts += 1;
    this.logger.warn({ thread: thread.name, err: error.message }, 'audit admission thread ended; its records were admitted on the main thread and it is started again');
    this.spawn(thread);
  }
}
