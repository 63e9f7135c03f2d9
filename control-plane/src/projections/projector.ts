import type { ControlEvent } from '@mcpgate/contracts';
import type { AppliedCommit, QuarantinedRecord } from '../core/log-applier.js';
import { LogApplier } from '../core/log-applier.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { EventLog, LogCheckpoint, LogPosition } from '../event-log/event-log.port.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ChangeBatch } from './batch.js';
import { projectEvent } from './read-model.projection.js';
import { SharedReadModelWriter, type ReadModelWriter } from './read-model-writer.js';
import { restoreAfterBulkLoad } from './bulk-load.js';
import { StreamStates } from './stream-states.js';

export const READ_MODEL_PROJECTION = 'read-models';

/** Commits folded into one transaction at most; a replay reaches this, live traffic flushes sooner. */
const MAX_BATCH_COMMITS = 5_000;
/** How long a live commit may wait for company before it is written. */
const FLUSH_DELAY_MS = 10;
/**
 * Reading the log back to back is all microtasks, which would starve the database connection's
 * socket: the write in flight could only make progress between read chunks. Every this many
 * commits the projector lets the event loop turn.
 */
const YIELD_EVERY_COMMITS = 200;

export interface ProjectorOptions {
  /** How batches reach the database; by default statements that tolerate other projectors (SharedReadModelWriter). */
  readonly writer?: ReadModelWriter;
  /**
   * `live` (default) writes a commit within milliseconds; `rebuild` (a replay) only writes full
   * batches and what is left when caught up, so a long log becomes few large transactions.
   */
  readonly mode?: 'live' | 'rebuild';
}

export interface ProjectorProgress {
  readonly handled: number;
  readonly projected: number;
}

/**
 * Keeps the Postgres read models in step with the log. It runs its own LogApplier over the whole
 * log (so it applies exactly the commits every replica applies, and voided ones never reach a read
 * model). Applied commits are folded into batches (up to 5,000 commits during a replay, a few
 * milliseconds' worth when live) and each batch is written in one transaction together with the
 * partitions' checkpoints, so a crash loses a whole batch or nothing. Commits below the stored
 * checkpoint were projected before a restart and are only re-arbitrated, not written again; even if
 * one were written twice, the version guards and id keys make it change nothing.
 */
export class Projector {
  private applier: LogApplier | undefined;
  private checkpoint = new Map<number, bigint>();
  private batch = new ChangeBatch();
  private batchCheckpoint = new Map<number, bigint>();
  /** Records in the batch: applied commits, and void or quarantined records the checkpoint passes. */
  private batchCommits = 0;
  /** Applied commits in the batch. */
  private batchApplied = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly streamStates = new StreamStates();
  private readonly writer: ReadModelWriter;
  private readonly mode: 'live' | 'rebuild';
  private commitsSinceYield = 0;
  projected = 0;

  constructor(
    private readonly log: EventLog,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger = silentLogger,
    { writer, mode = 'live' }: ProjectorOptions = {},
  ) {
    this.writer = writer ?? new SharedReadModelWriter(prisma);
    this.mode = mode;
  }

  async start(): Promise<void> {
    if (this.mode === 'live') {
      const restored = await restoreAfterBulkLoad(this.prisma);
      if (restored.length) this.logger.warn({ restored }, 'restored the read-model indexes, keys and autovacuum settings an interrupted replay had suspended');
    }
    const rows = await this.prisma.projectionCheckpoint.findMany({ where: { projection: READ_MODEL_PROJECTION } });
    this.checkpoint = new Map(rows.map((r) => [r.partition, r.nextOffset]));
    this.applier = new LogApplier(
      this.log,
      {
        onApplied: (applied) => this.project(applied),
        onVoided: (position) => this.passOver(position),
        onQuarantined: async (record) => {
          await this.quarantine(record);
          await this.passOver(record.position);
        },
      },
      this.logger,
    );
    await this.applier.start();
  }

  async stop(): Promise<void> {
    await this.applier?.stop();
    await this.flush();
  }

  /** Waits until everything in the log now has been projected and written. */
  async catchUp(timeoutMs?: number): Promise<void> {
    if (!this.applier) throw new Error('projector not started');
    await this.applier.catchUp(timeoutMs);
    await this.flush();
  }

  /** The checkpoint as stored with the read models. */
  storedCheckpoint(): LogCheckpoint {
    return new Map(this.checkpoint);
  }

  progress(): ProjectorProgress {
    return { handled: (this.applier?.appliedCount ?? 0) + (this.applier?.voidedCount ?? 0) + (this.applier?.quarantined.length ?? 0), projected: this.projected };
  }

  private async project({ commit, position, states }: AppliedCommit): Promise<void> {
    if (this.failure) throw this.failure;
    if (position.offset < (this.checkpoint.get(position.partition) ?? 0n)) return;
    (commit.events as readonly ControlEvent[]).forEach((event, i) => {
      const stateChange = this.streamStates.change(event.metadata.streamId, states[i]!);
      for (const change of projectEvent(event, position, stateChange)) this.batch.add(change);
    });
    this.batchApplied += 1;
    await this.done(position);
  }

  /** A void or quarantined record: nothing to project, but the checkpoint moves past it. */
  private async passOver(position: LogPosition): Promise<void> {
    if (this.failure) throw this.failure;
    if (position.offset < (this.checkpoint.get(position.partition) ?? 0n)) return;
    await this.done(position);
  }

  /** Counts a handled record into the batch (its checkpoint), and writes the batch when it is due. */
  private async done(position: LogPosition): Promise<void> {
    this.batchCheckpoint.set(position.partition, position.offset + 1n);
    this.batchCommits += 1;
    if (this.batchCommits >= MAX_BATCH_COMMITS) {
      // double buffering: arbitration of the next batch overlaps the write of this one, and at
      // most one more batch waits behind the write in flight
      const inFlight = this.flushing;
      this.flush().catch(() => {});
      await inFlight;
    } else if (this.mode === 'live') {
      this.flushTimer ??= setTimeout(() => void this.flush().catch(() => {}), FLUSH_DELAY_MS);
    }
    if (++this.commitsSinceYield >= YIELD_EVERY_COMMITS) {
      this.commitsSinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Writes the pending batch and its checkpoints in one transaction. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.batchCommits === 0) return this.flushing;
    const batch = this.batch;
    const checkpoint = this.batchCheckpoint;
    const applied = this.batchApplied;
    this.batch = new ChangeBatch();
    this.batchCheckpoint = new Map();
    this.batchCommits = 0;
    this.batchApplied = 0;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.writer.write(batch, checkpoint, READ_MODEL_PROJECTION);
      } catch (error) {
        this.failure = error;
        this.logger.error({ err: String(error) }, 'read-model projection failed; it resumes from its checkpoint on restart');
        throw error;
      }
      for (const [partition, offset] of checkpoint) this.checkpoint.set(partition, offset);
      this.projected += applied;
    });
    return this.flushing;
  }

  private async quarantine(record: QuarantinedRecord): Promise<void> {
    await this.prisma.quarantinedRecord.createMany({
      data: [{ logPartition: record.position.partition, logOffset: record.position.offset, key: record.key, issues: [...record.issues], seenAt: new Date() }],
      skipDuplicates: true,
    });
  }
}
