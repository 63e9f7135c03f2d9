import type { ErrorCode } from '@mcpgate/contracts';
import { checkInvariants } from '../domain/invariants.js';
import { TenantModel, type TenantView } from '../domain/tenant-model.js';
import type { EventLog, LogCheckpoint, LogPosition, LogRecord, LogSubscription } from '../event-log/event-log.port.js';
import { decodeCommit, type DecodedCommit, type DecodeResult } from './commit-codec.js';
import { silentLogger, type Logger } from './logger.js';

export type CommitOutcome =
  | { readonly status: 'applied'; readonly position: LogPosition; readonly streamVersion: number }
  | {
      readonly status: 'voided';
      readonly position: LogPosition;
      /** `version_conflict`: another writer got there first (retry); otherwise an invariant's reason. */
      readonly reason: string;
      readonly code: ErrorCode;
      readonly message: string;
    };

export interface AppliedCommit {
  readonly commit: DecodedCommit;
  readonly position: LogPosition;
  /**
   * Per event of the commit, its aggregate's state just before and just after it (the domain's
   * immutable state objects; undefined where the aggregate did not exist).
   */
  readonly states: readonly { readonly before: unknown; readonly after: unknown }[];
}

export interface QuarantinedRecord {
  readonly position: LogPosition;
  readonly key: string;
  readonly issues: readonly string[];
}

export interface LogApplierHooks {
  /** Called, and awaited, for every commit that takes effect, in log order per partition. */
  onApplied?(applied: AppliedCommit): Promise<void> | void;
  /** Called for every record that cannot be decoded; the applier goes on with the next one. */
  onQuarantined?(record: QuarantinedRecord): Promise<void> | void;
  /** Called, and awaited, for every commit that is void (a lost race or a broken invariant). */
  onVoided?(position: LogPosition): Promise<void> | void;
}

const positionKey = (p: LogPosition) => `${p.partition}:${p.offset}`;

/**
 * A commit must be keyed by its tenant: the log orders records per key (and partition), so only
 * then does every reader see a tenant's commits in one order and arbitrate them alike; and a
 * parallel replay shares tenants out among threads by key. One that is not is quarantined.
 */
const keyedByItsTenant = (record: LogRecord, decoded: DecodeResult): DecodeResult =>
  decoded.ok && decoded.commit.tenantId !== record.key
    ? { ok: false, tenantId: decoded.commit.tenantId, issues: [`key: the record is keyed ${JSON.stringify(record.key)}, not by its commit's tenant ${decoded.commit.tenantId}`] }
    : decoded;

/**
 * Reads the event log and applies it with the rule every replica shares ("the log is the
 * arbiter", DESIGN.md): a commit takes effect only if its expected version is its stream's current
 * version and the tenant's cross-stream invariants still hold; otherwise it is void. State is
 * therefore a pure function of the log. Command handlers learn the fate of what they wrote by
 * waiting for it here.
 */
export class LogApplier {
  private readonly tenants = new Map<string, TenantModel>();
  private readonly nextOffsets = new Map<number, bigint>();
  private readonly commitWaiters = new Map<string, (outcome: CommitOutcome) => void>();
  private positionWaiters: { target: ReadonlyMap<number, bigint>; resolve: () => void }[] = [];
  private subscription: LogSubscription | undefined;
  private failure: unknown;
  private readonly watchers = new Set<(applied: AppliedCommit) => void>();
  readonly quarantined: QuarantinedRecord[] = [];
  appliedCount = 0;
  voidedCount = 0;

  constructor(
    private readonly log: EventLog,
    private readonly hooks: LogApplierHooks = {},
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Starts reading at `from` (default: the beginning) and keeps following the log. */
  async start(from: LogCheckpoint = new Map()): Promise<void> {
    for (const [partition, offset] of from) this.nextOffsets.set(partition, offset);
    this.subscription = await this.log.subscribe(from, (record) => this.handle(record), (error) => this.fail(error));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /**
   * Tells `listener` about every commit that takes effect from now on (live feeds). Unlike the
   * constructor's hooks it is not awaited and cannot hold the applier back; its errors are dropped.
   */
  watch(listener: (applied: AppliedCommit) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** The state of one tenant, or undefined when the log has never mentioned it. */
  tenant(tenantId: string): TenantView | undefined {
    return this.tenants.get(tenantId);
  }

  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  /** Next offset to read per partition: everything before it has been applied. */
  checkpoint(): LogCheckpoint {
    return new Map(this.nextOffsets);
  }

  /**
   * Resolves with the outcome of a commit once it has been read back. Register before appending,
   * so the outcome cannot slip by; rejects after `timeoutMs`.
   */
  expectCommit(commitId: string, timeoutMs = 15_000): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.commitWaiters.delete(commitId);
        reject(new Error(`commit ${commitId} was not read back within ${timeoutMs} ms`));
      }, timeoutMs);
      this.commitWaiters.set(commitId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }

  /** Forgets a waiter registered with expectCommit whose append failed. */
  forgetCommit(commitId: string): void {
    this.commitWaiters.delete(commitId);
  }

  /** Waits until everything appended to the log before this call has been applied. */
  async catchUp(timeoutMs = 15_000): Promise<void> {
    if (this.failure) throw this.failure;
    const target = await this.log.endOffsets();
    if (this.reached(target)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.positionWaiters = this.positionWaiters.filter((w) => w.resolve !== done);
        reject(new Error(`the event log was not caught up within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.positionWaiters.push({ target, resolve: done });
    });
  }

  private reached(target: ReadonlyMap<number, bigint>): boolean {
    for (const [partition, offset] of target) if ((this.nextOffsets.get(partition) ?? 0n) < offset) return false;
    return true;
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.logger.error({ err: String(error) }, 'event log reader stopped');
  }

  private async handle(record: LogRecord): Promise<void> {
    const decoded = keyedByItsTenant(record, decodeCommit(record.value));
    if (!decoded.ok) {
      const quarantined = { position: record.position, key: record.key, issues: decoded.issues };
      this.quarantined.push(quarantined);
      this.logger.warn({ position: positionKey(record.position), key: record.key, issues: decoded.issues }, 'quarantined an unreadable event log record');
      await this.hooks.onQuarantined?.(quarantined);
    } else {
      await this.applyCommit(decoded.commit, record.position);
    }
    this.nextOffsets.set(record.position.partition, record.position.offset + 1n);
    if (this.positionWaiters.length) {
      const ready = this.positionWaiters.filter((w) => this.reached(w.target));
      this.positionWaiters = this.positionWaiters.filter((w) => !ready.includes(w));
      ready.forEach((w) => w.resolve());
    }
  }

  private async applyCommit(commit: DecodedCommit, position: LogPosition): Promise<void> {
    const model = this.tenants.get(commit.tenantId) ?? new TenantModel(commit.tenantId);
    const current = model.versionOf(commit.streamId);
    let outcome: CommitOutcome;
    if (commit.expectedVersion !== current) {
      outcome = {
        status: 'voided',
        position,
        reason: 'version_conflict',
        code: 'CONFLICT',
        message: `stream ${commit.streamId} is at version ${current}, the commit expected ${commit.expectedVersion}`,
      };
    } else {
      const violation = checkInvariants(model, commit.streamId, commit.events);
      outcome = violation
        ? { status: 'voided', position, reason: violation.reason, code: violation.code, message: violation.message }
        : { status: 'applied', position, streamVersion: current + commit.events.length };
    }
    if (outcome.status === 'applied') {
      this.tenants.set(commit.tenantId, model);
      const states = commit.events.map((event) => {
        const before = model.stateOfStream(event);
        model.apply(event);
        return { before, after: model.stateOfStream(event) };
      });
      this.appliedCount += 1;
      const applied: AppliedCommit = { commit, position, states };
      await this.hooks.onApplied?.(applied);
      for (const watcher of this.watchers) {
        try {
          watcher(applied);
        } catch (error) {
          this.logger.warn({ err: String(error) }, 'a live feed listener failed');
        }
      }
    } else {
      this.voidedCount += 1;
      await this.hooks.onVoided?.(position);
    }
    this.commitWaiters.get(commit.commitId)?.(outcome);
    this.commitWaiters.delete(commit.commitId);
  }
}
