import { setTimeout as delay } from 'node:timers/promises';
import type { ExporterDelivery, ExporterDestination } from '@mcpgate/contracts';
import type { Logger } from '../../core/logger.js';
import type { Sql } from '../audit-store.js';
import type { ExportRecord } from './export-record.js';
import { ExportError } from './exporter-error.js';
import type { ExporterCounters } from './exporter-metrics.js';
import { claimCursor, commitDeadLetter, commitDelivery, floorSeq, headSeq, nextRedrive, readAfter, recordFailure, recordRedriveAttempt, releaseCursor } from './export-store.js';
import type { Sender } from './senders.js';

export interface ExporterSpec {
  readonly tenantId: string;
  readonly exporterId: string;
  readonly name: string;
  readonly destination: ExporterDestination;
  readonly delivery: ExporterDelivery;
  readonly startFrom: 'earliest' | 'latest';
}

export interface WorkerTiming {
  /** How often a caught-up exporter looks for new records. */
  readonly pollIntervalMs: number;
  /** How long a claimed exporter stays this instance's without renewal. */
  readonly leaseMs: number;
  /** Retry delays: full jitter over min(maxMs, baseMs × 2^(attempt-1)). */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export type WorkerPhase = 'starting' | 'standby' | 'idle' | 'delivering' | 'retrying' | 'stopped';

export interface WorkerState {
  readonly phase: WorkerPhase;
  readonly cursorSeq: number | undefined;
  /** Attempts of the batch in hand so far. */
  readonly attempt: number;
  readonly lastError: string | undefined;
}

/** A delay with full jitter: uniform in [0, min(max, base × 2^(attempt-1))] (attempt from 1). */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30)));

class LeaseLost extends Error {}

/**
 * Delivers one exporter's records, in seq order, for as long as it runs: read a batch after the
 * cursor, send it, and only after the receiver acknowledged it move the cursor (at least once: a
 * crash in between sends the batch again). A failed batch is retried with exponential backoff and
 * jitter; after `maxAttempts` (or at once, when the receiver refused the content) it becomes a dead
 * letter and the cursor moves past it, so one bad batch or a dead receiver never stops the trail.
 * Each worker is an independent loop with its own connection use and timers: a slow or dead
 * receiver holds back nothing but its own exporter.
 */
export class ExporterWorker {
  private readonly abort = new AbortController();
  private done: Promise<void> | undefined;
  private state: WorkerState = { phase: 'starting', cursorSeq: undefined, attempt: 0, lastError: undefined };
  private claimedAt = 0;
  private nextRedriveLook = 0;

  constructor(
    readonly spec: ExporterSpec,
    private readonly deps: {
      readonly sql: Sql;
      readonly sender: Sender;
      readonly owner: string;
      readonly timing: WorkerTiming;
      readonly counters: ExporterCounters;
      readonly logger: Logger;
      readonly random?: () => number;
    },
  ) {}

  start(): void {
    this.done ??= this.run();
  }

  current(): WorkerState {
    return this.state;
  }

  /** Stops after the attempt in hand (bounded by the sender's timeout) and hands the lease back. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
    await this.deps.sender.close().catch(() => {});
    await releaseCursor(this.deps.sql, this.spec.exporterId, this.deps.owner).catch(() => {});
    this.state = { ...this.state, phase: 'stopped' };
  }

  private get stopped() {
    return this.abort.signal.aborted;
  }

  private async sleep(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.abort.signal }).catch(() => {});
  }

  private set(patch: Partial<WorkerState>) {
    this.state = { ...this.state, ...patch };
  }

  private async run(): Promise<void> {
    const { sql, owner, timing } = this.deps;
    const { tenantId, exporterId } = this.spec;
    while (!this.stopped) {
      try {
        const cursor = await claimCursor(sql, exporterId, tenantId, owner, timing.leaseMs, async () => (this.spec.startFrom === 'latest' ? headSeq(sql, tenantId) : floorSeq(sql, tenantId)));
        if (cursor === undefined) {
          this.set({ phase: 'standby' });
          await this.sleep(Math.min(timing.leaseMs / 2, 5_000));
          continue;
        }
        this.claimedAt = Date.now();
        this.set({ cursorSeq: cursor });
        await this.deliverFrom(cursor);
      } catch (error) {
        if (this.stopped) break;
        if (!(error instanceof LeaseLost)) {
          const message = error instanceof ExportError ? error.message : `database: ${(error as { code?: string }).code ?? (error as Error).name}`;
          this.set({ lastError: message });
          this.deps.logger.warn({ exporterId, tenantId, error: message }, 'audit exporter paused after an error; it resumes from its stored cursor');
        }
        await this.sleep(timing.pollIntervalMs);
      }
    }
  }

  /** The delivery loop while this instance holds the lease; returns to re-claim when idle long enough. */
  private async deliverFrom(start: number): Promise<void> {
    const { sql, timing, counters } = this.deps;
    const { tenantId } = this.spec;
    let cursor = start;
    while (!this.stopped) {
      if (Date.now() >= this.nextRedriveLook) {
        this.nextRedriveLook = Date.now() + timing.pollIntervalMs;
        await this.redriveOne();
      }
      const records = await readAfter(sql, tenantId, cursor, this.spec.delivery.batchSize);
      const head = records.length < this.spec.delivery.batchSize ? (records.at(-1)?.seq ?? cursor) : await headSeq(sql, tenantId);
      counters.lag = Math.max(0, head - cursor);
      counters.cursorSeq = cursor;
      if (records.length === 0) {
        this.set({ phase: 'idle', attempt: 0 });
        await this.sleep(timing.pollIntervalMs);
        if (Date.now() - this.claimedAt > timing.leaseMs / 3) return; // renew the lease by claiming again
        continue;
      }
      if (records[0]!.seq !== cursor + 1) {
        // retention deleted records this exporter had not delivered yet: say so where everyone looks
        cursor = await this.recordGap(cursor, records[0]!.seq - 1);
        continue;
      }
      cursor = await this.deliverBatch(cursor, records);
      counters.cursorSeq = cursor;
      counters.lag = Math.max(0, head - cursor);
      this.claimedAt = Date.now();
      this.set({ cursorSeq: cursor });
    }
  }

  /**
   * One send of the oldest pending redrive: the dead letter's records, read again from the trail,
   * out of band (receivers de-duplicate by event id). A failure counts one attempt; after
   * `maxAttempts`, or at once when the receiver refuses the content or the records are gone
   * (retention), the request is failed. Only the lease holder runs it, between batches.
   */
  private async redriveOne(): Promise<void> {
    const { sql, sender, counters } = this.deps;
    const { exporterId, tenantId } = this.spec;
    const redrive = await nextRedrive(sql, exporterId);
    if (!redrive) return;
    const count = redrive.throughSeq - redrive.fromSeq + 1;
    const records = await readAfter(sql, tenantId, redrive.fromSeq - 1, count);
    if (records.length !== count || records[0]?.seq !== redrive.fromSeq || records.at(-1)?.seq !== redrive.throughSeq) {
      await recordRedriveAttempt(sql, redrive.id, { delivered: false, error: 'the records were deleted by retention; there is nothing to deliver again', giveUp: true });
      return;
    }
    try {
      await sender.send(records);
    } catch (error) {
      const failure = error instanceof ExportError ? error : new ExportError('export.rejected', `the batch could not be prepared (${(error as Error).name})`, false);
      counters.errors += 1;
      const giveUp = !failure.retriable || redrive.attempts + 1 >= this.spec.delivery.maxAttempts;
      await recordRedriveAttempt(sql, redrive.id, { delivered: false, error: failure.message, giveUp });
      this.deps.logger.warn({ exporterId, tenantId, deadLetterId: redrive.deadLetterId, attempts: redrive.attempts + 1, giveUp, error: failure.message }, 'audit export redrive failed');
      return;
    }
    await recordRedriveAttempt(sql, redrive.id, { delivered: true });
    counters.redrivenEvents += records.length;
    this.deps.logger.info({ exporterId, tenantId, deadLetterId: redrive.deadLetterId, fromSeq: redrive.fromSeq, throughSeq: redrive.throughSeq }, 'audit export dead letter delivered again');
  }

  private async recordGap(cursor: number, throughSeq: number): Promise<number> {
    const { sql, owner, timing, counters } = this.deps;
    const { exporterId, tenantId } = this.spec;
    const error = `records ${cursor + 1}-${throughSeq} were deleted by retention before this exporter delivered them`;
    const written = await commitDeadLetter(sql, { exporterId, owner, tenantId, fromCursor: cursor, toSeq: throughSeq, fromSeq: cursor + 1, events: throughSeq - cursor, attempts: 0, error, firstFailedAt: new Date(), leaseMs: timing.leaseMs });
    if (!written) throw new LeaseLost();
    counters.deadLetters += 1;
    counters.deadLetteredEvents += throughSeq - cursor;
    this.deps.logger.warn({ exporterId, tenantId, fromSeq: cursor + 1, throughSeq }, 'audit export gap: records removed by retention');
    return throughSeq;
  }

  private async deliverBatch(cursor: number, records: readonly ExportRecord[]): Promise<number> {
    const { sql, owner, timing, counters, sender } = this.deps;
    const { exporterId, tenantId } = this.spec;
    const lastSeq = records.at(-1)!.seq;
    let firstFailedAt: Date | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw new LeaseLost();
      this.set({ phase: attempt === 1 ? 'delivering' : 'retrying', attempt });
      let failure: ExportError | undefined;
      try {
        await sender.send(records);
      } catch (error) {
        failure = error instanceof ExportError ? error : new ExportError('export.rejected', `the batch could not be prepared (${(error as Error).name})`, false);
      }
      if (!failure) {
        // a database error here goes up to run(): the batch is sent again from the stored cursor
        if (!(await commitDelivery(sql, { exporterId, owner, fromCursor: cursor, toSeq: lastSeq, delivered: records.length, leaseMs: timing.leaseMs }))) throw new LeaseLost();
        counters.delivered += records.length;
        this.set({ attempt: 0 });
        return lastSeq;
      }
      counters.errors += 1;
      firstFailedAt ??= new Date();
      this.set({ lastError: failure.message });
      if (!(await recordFailure(sql, exporterId, owner, failure.message, timing.leaseMs))) throw new LeaseLost();
      if (!failure.retriable || attempt >= this.spec.delivery.maxAttempts) {
        const written = await commitDeadLetter(sql, {
          exporterId,
          owner,
          tenantId,
          fromCursor: cursor,
          toSeq: lastSeq,
          fromSeq: records[0]!.seq,
          events: records.length,
          attempts: attempt,
          error: failure.message,
          firstFailedAt,
          leaseMs: timing.leaseMs,
        });
        if (!written) throw new LeaseLost();
        counters.deadLetters += 1;
        counters.deadLetteredEvents += records.length;
        this.deps.logger.warn({ exporterId, tenantId, fromSeq: records[0]!.seq, throughSeq: lastSeq, attempts: attempt, error: failure.message }, 'audit export batch dead-lettered');
        this.set({ attempt: 0 });
        return lastSeq;
      }
      await this.sleep(backoffDelay(attempt, timing.backoffBaseMs, timing.backoffMaxMs, this.deps.random));
    }
  }
}
