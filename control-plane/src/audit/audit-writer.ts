import { silentLogger, type Logger } from '../core/logger.js';
import { extendChain, recordIsAuthentic, type ChainHead, type ChainedRecord } from './audit-chain.js';
import { canonicalize, checkpointPayload, genesisHash } from './audit-hash.js';
import type { AuditMacKeyring, AuditSigner } from './audit-keys.js';
import type { AcceptedEvent } from './audit-record.js';
import { appendBatch, existingEvents, isUniqueViolation, loadTenantHeads, type CheckpointRow, type QuarantineRow, type RecordOrigin, type Sql } from './audit-store.js';
import type { CheckpointPublisher } from './checkpoint-publisher.js';

export interface WriteRequest {
  readonly events: readonly { readonly event: AcceptedEvent; readonly origin: RecordOrigin }[];
  readonly quarantine: readonly QuarantineRow[];
}

export interface WriteResult {
  /** Events appended to their tenant's chain. */
  readonly appended: number;
  /** Events already recorded with the same content (redeliveries): nothing written. */
  readonly duplicates: number;
  /** Records written to audit_quarantine (invalid ones, and event ids recorded with other content). */
  readonly quarantined: number;
}

export type AuditWriterState = 'ok' | 'retrying' | 'halted';

export interface AuditWriterStatus {
  readonly state: AuditWriterState;
  /** Why the last attempt failed (retrying or halted). */
  readonly lastError?: string;
  readonly failingSince?: Date;
  readonly appended: number;
  readonly duplicates: number;
  readonly quarantined: number;
  readonly checkpoints: number;
  /** Events waiting to be written. */
  readonly queuedEvents: number;
  /** Events appended but not yet covered by a signed checkpoint, over all tenants. */
  readonly unsignedEvents: number;
}

export interface AuditWriterOptions {
  readonly signer: AuditSigner;
  readonly macKeys: AuditMacKeyring;
  /** A tenant's head is signed once it has this many events past its last checkpoint. Default 1,000. */
  readonly checkpointEvery?: number;
  /** ...or once its oldest unsigned event was appended this long ago. Default 10 s. */
  readonly checkpointIntervalMs?: number;
  /** Writers in parallel, each for its share of the tenants (by hash) on its own connection. Default 2. */
  readonly lanes?: number;
  /** Events per transaction and lane at most (a request's part for a lane is never split). Default 5,000. */
  readonly maxBatchEvents?: number;
  /** Backoff after a failed transaction: from `initialMs`, doubling, up to `maxMs`. Default 100 ms to 5 s. */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly publisher?: CheckpointPublisher;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Called when the state changes (the Kafka sink pauses its consumer while not `ok`). */
  readonly onStateChange?: (state: AuditWriterState) => void;
  /** Called after each committed transaction (metrics, benchmarks). */
  readonly onCommit?: (commit: AuditCommit) => void;
}

export interface AuditCommit {
  /** Events appended in the transaction. */
  readonly appended: number;
  readonly checkpoints: number;
  /** From the start of the attempt that committed (head lookups included) to the commit. */
  readonly ms: number;
  readonly lane: number;
  /** Tenants whose chains grew (live tails wake up for them). */
  readonly tenantIds: readonly string[];
}

/** The writer was stopped before the request was written; nothing of it was committed. */
export class AuditWriterStoppedError extends Error {
  readonly reason = 'audit.sink_stopped';

  constructor() {
    super('the audit writer stopped before the events were written');
    this.name = 'AuditWriterStoppedError';
  }
}

/**
 * A tenant's chain cannot be extended safely: its stored last record is not one the sink wrote, or
 * a checkpoint lies beyond it (records were deleted). The sink stops writing (nothing is lost: the
 * events stay in Kafka or with the caller) until someone has looked: this is a security incident.
 */
export class AuditChainBrokenError extends Error {
  readonly reason = 'audit.chain_broken';

  constructor(
    readonly tenantId: string,
    detail: string,
  ) {
    super(`the audit chain of tenant ${tenantId} cannot be extended: ${detail}`);
    this.name = 'AuditChainBrokenError';
  }
}

/** Another writer got there first (a rebalance, a second region's partition): start again from the stored heads. */
class StaleHeadError extends Error {
  constructor(readonly tenantIds: readonly string[]) {
    super('a chain head moved under this writer');
    this.name = 'StaleHeadError';
  }
}

interface TenantChain {
  head: ChainHead;
  /** Appended events since the last checkpoint. */
  unsigned: number;
  /** When the oldest of them was appended (ms). */
  unsignedSince: number | undefined;
}

interface Pending {
  readonly request: WriteRequest;
  /** Tenants whose head should be signed now if it has unsigned events. */
  readonly signNow: ReadonlySet<string>;
  readonly resolve: (result: WriteResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Two texts of one event id say the same (a redelivery): byte for byte, or once canonicalized (another serializer). */
const sameContent = (a: string, b: string): boolean => {
  if (a === b) return true;
  try {
    return canonicalize(JSON.parse(a)) === canonicalize(JSON.parse(b));
  } catch {
    return false;
  }
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 500);

interface Lane {
  readonly index: number;
  readonly queue: Pending[];
  draining: Promise<void> | undefined;
  wake: (() => void) | undefined;
  state: AuditWriterState;
  lastError: string | undefined;
  failingSince: Date | undefined;
}

const STATE_RANK: Record<AuditWriterState, number> = { ok: 0, retrying: 1, halted: 2 };

/** FNV-1a: which lane a tenant's chain is written by (stable for the life of the process). */
const laneOf = (tenantId: string, lanes: number) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < tenantId.length; i++) h = Math.imul(h ^ tenantId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
};

const sum = (results: readonly WriteResult[]): WriteResult => ({
  appended: results.reduce((n, r) => n + r.appended, 0),
  duplicates: results.reduce((n, r) => n + r.duplicates, 0),
  quarantined: results.reduce((n, r) => n + r.quarantined, 0),
});

/**
 * Appends audit events to their tenants' hash chains in PostgreSQL or PGlite.
 *
 * Tenants are spread over `lanes` (hash of the tenant id); each lane writes one batch at a time,
 * so a tenant's chain has one writer in this process while lanes use several database connections
 * at once. Requests are split by lane and queue up; a lane writes what has queued as one batch of
 * up to `maxBatchEvents` events across tenants (group commit), in one INSERT statement: the new
 * events chained from each tenant's head, the checkpoints due, and the quarantined records.
 *
 * De-duplication: a batch is first written as if every event were new. If an event id is taken
 * (a redelivery) the statement fails on the unique key, nothing of it is stored, and the batch is
 * retried after looking up which ids are stored: a redelivery is counted, not written, and does not
 * advance the chain; the same id with other content is quarantined. A seq taken by another writer
 * (a second replica during a rebalance, another region's partition) fails the same way and the
 * heads are read again.
 *
 * Heads live in memory, read from the table the first time a tenant is seen (after a start, and
 * after any failure), and only move once a batch has committed. A failed batch is retried with
 * backoff for as long as it takes (a PostgreSQL outage pauses the sink; callers wait and nothing is
 * acknowledged).
 */
export class AuditWriter {
  private readonly chains = new Map<string, TenantChain>();
  private readonly lanes: Lane[];
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private signRequested = false;
  private publishing: Promise<void> = Promise.resolve();
  private unpublished: CheckpointRow[] = [];
  private state: AuditWriterState = 'ok';
  private counts = { appended: 0, duplicates: 0, quarantined: 0, checkpoints: 0 };
  private readonly checkpointEvery: number;
  private readonly checkpointIntervalMs: number;
  private readonly maxBatchEvents: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(
    private readonly sql: Sql,
    private readonly options: AuditWriterOptions,
  ) {
    this.checkpointEvery = options.checkpointEvery ?? 1_000;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 10_000;
    this.maxBatchEvents = options.maxBatchEvents ?? 5_000;
    this.retryInitialMs = options.retry?.initialMs ?? 100;
    this.retryMaxMs = options.retry?.maxMs ?? 5_000;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    const lanes = options.lanes ?? 2;
    if (!Number.isInteger(this.checkpointEvery) || this.checkpointEvery < 1) throw new RangeError('checkpointEvery must be a positive integer');
    if (!Number.isInteger(this.maxBatchEvents) || this.maxBatchEvents < 1) throw new RangeError('maxBatchEvents must be a positive integer');
    if (!Number.isInteger(lanes) || lanes < 1 || lanes > 64) throw new RangeError('lanes must be an integer from 1 to 64');
    this.lanes = Array.from({ length: lanes }, (_, index) => ({ index, queue: [], draining: undefined, wake: undefined, state: 'ok', lastError: undefined, failingSince: undefined }));
  }

  /** Starts the timer that signs heads left unsigned for `checkpointIntervalMs`. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.signStaleHeads(), Math.max(50, Math.min(1_000, this.checkpointIntervalMs / 2)));
    this.timer.unref();
  }

  /**
   * Writes a request; resolves once all of it is committed. Rejects only if the writer stops first,
   * in which case parts of it (other lanes) may be committed: writing it again is safe (duplicates).
   */
  write(request: WriteRequest): Promise<WriteResult> {
    return this.enqueue(request, new Set());
  }

  /** Signs the head of every tenant (or of these) that has unsigned events; resolves when committed. */
  async checkpointNow(tenantIds?: readonly string[]): Promise<void> {
    const due = new Set(tenantIds ?? [...this.chains].filter(([, c]) => c.unsigned > 0).map(([t]) => t));
    if (due.size > 0) await this.enqueue({ events: [], quarantine: [] }, due);
  }

  status(): AuditWriterStatus {
    let unsignedEvents = 0;
    for (const chain of this.chains.values()) unsignedEvents += chain.unsigned;
    const failing = this.lanes.filter((l) => l.state !== 'ok').sort((a, b) => STATE_RANK[b.state] - STATE_RANK[a.state])[0];
    const failingSince = this.lanes.map((l) => l.failingSince).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      state: this.state,
      ...(failing?.lastError ? { lastError: failing.lastError } : {}),
      ...(failingSince ? { failingSince } : {}),
      ...this.counts,
      queuedEvents: this.lanes.reduce((n, l) => n + l.queue.reduce((m, p) => m + p.request.events.length, 0), 0),
      unsignedEvents,
    };
  }

  /**
   * Stops: while healthy, writes what is queued and signs every unsigned head first (so a clean
   * shutdown leaves nothing unsigned); otherwise gives up at once. Whatever is not written by then
   * is rejected with AuditWriterStoppedError (Kafka redelivers it, `ingest` callers keep it).
   */
  async stop({ graceMs = 10_000 } = {}): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.stopped && this.state === 'ok') {
      const graceful = (async () => {
        await this.checkpointNow();
        await Promise.all(this.lanes.map((l) => l.draining));
      })();
      await Promise.race([graceful.catch(() => {}), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    }
    this.stopped = true;
    for (const lane of this.lanes) lane.wake?.();
    await Promise.all(this.lanes.map((l) => l.draining));
    for (const lane of this.lanes) for (const pending of lane.queue.splice(0)) pending.reject(new AuditWriterStoppedError());
    await this.publishing;
  }

  /** Splits a request by lane; resolves with the sum once every part has committed. */
  private async enqueue(request: WriteRequest, signNow: ReadonlySet<string>): Promise<WriteResult> {
    if (this.stopped) throw new AuditWriterStoppedError();
    const parts = this.lanes.map(() => ({ events: [] as WriteRequest['events'][number][], signNow: new Set<string>() }));
    for (const entry of request.events) parts[laneOf(entry.event.tenantId, this.lanes.length)]!.events.push(entry);
    for (const tenantId of signNow) parts[laneOf(tenantId, this.lanes.length)]!.signNow.add(tenantId);
    const writes = parts.map((part, index) => {
      const quarantine = index === 0 ? request.quarantine : [];
      if (part.events.length === 0 && part.signNow.size === 0 && quarantine.length === 0) return undefined;
      const lane = this.lanes[index]!;
      return new Promise<WriteResult>((resolve, reject) => {
        lane.queue.push({ request: { events: part.events, quarantine }, signNow: part.signNow, resolve, reject });
        this.drain(lane);
      });
    });
    const started = writes.filter((w): w is Promise<WriteResult> => w !== undefined);
    // wait for every part even if one fails, so no part is still in flight when the caller hears back
    const settled = await Promise.allSettled(started);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return sum(settled.map((s) => (s as PromiseFulfilledResult<WriteResult>).value));
  }

  private drain(lane: Lane): void {
    if (lane.draining) return;
    lane.draining = (async () => {
      while (lane.queue.length > 0 && !this.stopped) {
        const batch: Pending[] = [];
        let events = 0;
        while (lane.queue.length > 0 && (batch.length === 0 || events + lane.queue[0]!.request.events.length <= this.maxBatchEvents)) {
          const next = lane.queue.shift()!;
          events += next.request.events.length;
          batch.push(next);
        }
        await this.writeWithRetry(lane, batch);
      }
    })().finally(() => {
      lane.draining = undefined;
      if (lane.queue.length > 0 && !this.stopped) this.drain(lane);
    });
  }

  private setLaneState(lane: Lane, state: AuditWriterState, error?: unknown): void {
    if (state === 'ok') {
      lane.lastError = undefined;
      lane.failingSince = undefined;
    } else {
      lane.lastError = errorText(error);
      lane.failingSince ??= this.now();
    }
    lane.state = state;
    const overall = this.lanes.reduce<AuditWriterState>((worst, l) => (STATE_RANK[l.state] > STATE_RANK[worst] ? l.state : worst), 'ok');
    if (overall !== this.state) {
      this.state = overall;
      this.options.onStateChange?.(overall);
    }
  }

  private async writeWithRetry(lane: Lane, batch: Pending[]): Promise<void> {
    let failures = 0;
    let staleRetries = 0;
    let checkExisting = false;
    for (;;) {
      if (this.stopped) {
        for (const p of batch) p.reject(new AuditWriterStoppedError());
        return;
      }
      try {
        const started = performance.now();
        const { results, checkpoints, tenantIds } = await this.writeOnce(batch, checkExisting);
        this.options.onCommit?.({ appended: results.reduce((n, r) => n + r.appended, 0), checkpoints, ms: performance.now() - started, lane: lane.index, tenantIds });
        batch.forEach((p, i) => p.resolve(results[i]!));
        if (lane.state !== 'ok') this.logger.info({ lane: lane.index, after: failures }, 'audit sink writes again');
        this.setLaneState(lane, 'ok');
        return;
      } catch (error) {
        // the database may hold more than this writer knows (a redelivery, a commit whose answer was
        // lost, another writer): look up stored ids and read the heads again before the next attempt
        checkExisting = true;
        const tenants = new Set(batch.flatMap((p) => [...p.request.events.map((e) => e.event.tenantId), ...p.signNow]));
        for (const t of tenants) this.chains.delete(t);
        if (error instanceof StaleHeadError && staleRetries < 5) {
          staleRetries += 1;
          continue;
        }
        failures += 1;
        const broken = error instanceof AuditChainBrokenError;
        if (failures === 1 || failures % 20 === 0) {
          this.logger.error(
            { err: errorText(error), lane: lane.index, attempt: failures, ...(broken ? { tenantId: error.tenantId } : {}) },
            broken ? 'audit chain is broken: not writing until it is investigated' : 'audit sink cannot write; retrying with backoff, nothing acknowledged',
          );
        }
        this.setLaneState(lane, broken ? 'halted' : 'retrying', error);
        const ceiling = broken ? 60_000 : this.retryMaxMs;
        const delay = Math.min(ceiling, this.retryInitialMs * 2 ** Math.min(failures - 1, 20)) * (0.75 + Math.random() * 0.5);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          lane.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        lane.wake = undefined;
      }
    }
  }

  /** Reads the heads of tenants not in memory, refusing chains that were tampered with at the end. */
  private async loadChains(tenantIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(tenantIds)].filter((t) => !this.chains.has(t));
    if (missing.length === 0) return;
    const now = this.now().getTime();
    for (const row of await loadTenantHeads(this.sql, missing)) {
      const floor = row.retention?.throughSeq ?? 0;
      let head: ChainHead;
      if (row.head && row.head.seq > floor) {
        if (!recordIsAuthentic(row.tenantId, row.head, this.options.macKeys.keys)) {
          throw new AuditChainBrokenError(row.tenantId, `its last record (seq ${row.head.seq}) was not written by the sink (hash or MAC do not verify)`);
        }
        head = { seq: row.head.seq, hash: row.head.hash };
      } else if (row.head) {
        throw new AuditChainBrokenError(row.tenantId, `record ${row.head.seq} lies in a range deleted by retention`);
      } else {
        head = row.retention ? { seq: row.retention.throughSeq, hash: row.retention.anchorHash } : { seq: 0, hash: genesisHash(row.tenantId) };
      }
      const signed = row.lastCheckpointSeq ?? 0;
      if (signed > head.seq) throw new AuditChainBrokenError(row.tenantId, `a checkpoint signs seq ${signed} but the last record is seq ${head.seq}: records were deleted`);
      const unsigned = head.seq - signed;
      this.chains.set(row.tenantId, { head, unsigned, unsignedSince: unsigned > 0 ? now : undefined });
    }
  }

  private async writeOnce(batch: Pending[], checkExisting: boolean): Promise<{ results: WriteResult[]; checkpoints: number; tenantIds: string[] }> {
    const now = this.now();
    // within the batch, the first occurrence of an event id wins; later ones are redeliveries
    const firstOf = new Map<string, { event: AcceptedEvent; origin: RecordOrigin; request: number }>();
    const sameBatch: { event: AcceptedEvent; origin: RecordOrigin; request: number }[] = [];
    batch.forEach((p, request) => {
      for (const { event, origin } of p.request.events) {
        if (firstOf.has(event.eventId)) sameBatch.push({ event, origin, request });
        else firstOf.set(event.eventId, { event, origin, request });
      }
    });
    const signNow = new Set(batch.flatMap((p) => [...p.signNow]));
    await this.loadChains([...[...firstOf.values()].map((e) => e.event.tenantId), ...signNow]);

    const results = batch.map(() => ({ appended: 0, duplicates: 0, quarantined: 0 }));
    const quarantine: { row: QuarantineRow; request: number }[] = batch.flatMap((p, request) => p.request.quarantine.map((row) => ({ row, request })));
    const conflict = (entry: { event: AcceptedEvent; origin: RecordOrigin; request: number }, where: string) =>
      quarantine.push({
        row: { origin: entry.origin, raw: entry.event.eventBytes, error: `event id ${entry.event.eventId} is already recorded with other content (${where})` },
        request: entry.request,
      });

    // Which ids are stored already: only looked up after a failed attempt (see the class comment).
    const stored = new Map(checkExisting ? (await existingEvents(this.sql, [...firstOf.keys()])).map((e) => [e.eventId, e]) : []);
    const fresh = new Map<string, AcceptedEvent[]>();
    const freshRequests: number[] = [];
    for (const entry of firstOf.values()) {
      const existing = stored.get(entry.event.eventId);
      if (existing) {
        if (existing.tenantId === entry.event.tenantId && sameContent(existing.eventText, entry.event.eventJson)) results[entry.request]!.duplicates += 1;
        else conflict(entry, `tenant ${existing.tenantId}, seq ${existing.seq}`);
        continue;
      }
      const list = fresh.get(entry.event.tenantId) ?? [];
      list.push(entry.event);
      fresh.set(entry.event.tenantId, list);
      freshRequests.push(entry.request);
    }
    for (const entry of sameBatch) {
      if (sameContent(firstOf.get(entry.event.eventId)!.event.eventJson, entry.event.eventJson)) results[entry.request]!.duplicates += 1;
      else conflict(entry, 'twice in one batch');
    }

    const records: ChainedRecord[] = [];
    const heads = new Map<string, { head: ChainHead; appended: number }>();
    for (const [tenantId, events] of fresh) {
      const extended = extendChain(this.chains.get(tenantId)!.head, events, this.options.macKeys.active);
      records.push(...extended.records);
      heads.set(tenantId, { head: extended.head, appended: events.length });
    }
    const checkpoints: CheckpointRow[] = [];
    for (const tenantId of new Set([...heads.keys(), ...signNow])) {
      const chain = this.chains.get(tenantId)!;
      const moved = heads.get(tenantId);
      const head = moved?.head ?? chain.head;
      const unsigned = chain.unsigned + (moved?.appended ?? 0);
      if (unsigned === 0 || (unsigned < this.checkpointEvery && !signNow.has(tenantId))) continue;
      const keyId = this.options.signer.keyId;
      const signature = this.options.signer.sign(checkpointPayload({ tenantId, seq: head.seq, headHash: head.hash, signedAt: now, keyId }));
      checkpoints.push({ tenantId, seq: head.seq, headHash: head.hash, signedAt: now, keyId, signature });
    }
    if (records.length === 0 && checkpoints.length === 0 && quarantine.length === 0) {
      for (const r of results) this.counts.duplicates += r.duplicates;
      return { results, checkpoints: 0, tenantIds: [] };
    }

    let written: { events: number; checkpoints: number; quarantined: number };
    try {
      written = await appendBatch(this.sql, { records, checkpoints, quarantine: quarantine.map((q) => q.row), receivedAt: now });
    } catch (error) {
      if (isUniqueViolation(error)) throw new StaleHeadError([...fresh.keys(), ...signNow]);
      throw error;
    }
    if (written.events !== records.length || written.checkpoints !== checkpoints.length) {
      throw new Error(`the database stored ${written.events} of ${records.length} records and ${written.checkpoints} of ${checkpoints.length} checkpoints`);
    }

    // committed: move the heads
    const nowMs = now.getTime();
    for (const [tenantId, { head, appended }] of heads) {
      const chain = this.chains.get(tenantId)!;
      chain.head = head;
      chain.unsigned += appended;
      chain.unsignedSince ??= nowMs;
    }
    for (const c of checkpoints) {
      const chain = this.chains.get(c.tenantId)!;
      chain.unsigned = chain.head.seq - c.seq;
      chain.unsignedSince = chain.unsigned > 0 ? nowMs : undefined;
    }
    for (const request of freshRequests) results[request]!.appended += 1;
    for (const q of quarantine) results[q.request]!.quarantined += 1;
    for (const r of results) {
      this.counts.appended += r.appended;
      this.counts.duplicates += r.duplicates;
      this.counts.quarantined += r.quarantined;
    }
    this.counts.checkpoints += checkpoints.length;
    if (checkpoints.length > 0) this.publish(checkpoints);
    return { results, checkpoints: checkpoints.length, tenantIds: [...heads.keys()] };
  }

  /** Publishes outside the database, in order, after the commit; a failure is retried with the next checkpoints. */
  private publish(checkpoints: CheckpointRow[]): void {
    const publisher = this.options.publisher;
    if (!publisher) return;
    this.publishing = this.publishing.then(async () => {
      const pending = [...this.unpublished, ...checkpoints];
      try {
        await publisher.publish(pending);
        this.unpublished = [];
      } catch (error) {
        this.unpublished = pending.slice(-10_000);
        this.logger.warn({ err: errorText(error), pending: this.unpublished.length }, 'publishing audit checkpoints failed; they stay in audit_checkpoint and are published with the next ones');
      }
    });
  }

  /** Timer: asks for a checkpoint of every head left unsigned for checkpointIntervalMs. */
  private signStaleHeads(): void {
    if (this.signRequested || this.stopped || this.state !== 'ok') return;
    const cutoff = this.now().getTime() - this.checkpointIntervalMs;
    const due = [...this.chains].filter(([, c]) => c.unsigned > 0 && c.unsignedSince !== undefined && c.unsignedSince <= cutoff).map(([t]) => t);
    if (due.length === 0) return;
    this.signRequested = true;
    this.enqueue({ events: [], quarantine: [] }, new Set(due))
      .catch(() => {})
      .finally(() => {
        this.signRequested = false;
      });
  }
}
