import {
  AGGREGATE_OF_EVENT,
  AuditSettings,
  type Actor,
  type Budget,
  type ControlEvent,
  type PolicyDocument,
  type PolicyEvent,
  type RateLimit,
  type ToolCost,
  type ToolRule,
} from '@mcpgate/contracts';
import { LogApplier, type AppliedCommit } from '../core/log-applier.js';
import { DomainError, invalid, notFound } from '../domain/domain-error.js';
import { streamOf } from '../domain/events.js';
import { evolvePolicy, initialPolicyState, type PolicyState } from '../domain/policy/policy.state.js';
import type { TenantView } from '../domain/tenant-model.js';
import type { EventLog, LogCheckpoint, LogPosition, LogRecord, LogSubscription } from '../event-log/event-log.port.js';
import { canonicalJson } from '../snapshot/canonical-json.js';

/** A past log position, or the end of the tenant's partition at the time of the call. */
export type PointInTimeTarget = LogPosition | 'latest';

/** One active policy as it stood: `version` is its stream version (number of applied events). */
export interface PolicyVersion {
  readonly policyId: string;
  readonly name: string;
  readonly version: number;
  readonly document: PolicyDocument;
}

/** Where an entry of the effective rule set comes from. */
export interface FromPolicy {
  readonly policyId: string;
  readonly policyName: string;
}
export interface EffectiveToolRule extends FromPolicy {
  readonly rule: ToolRule;
}
export interface EffectiveRateLimit extends FromPolicy {
  readonly limit: RateLimit;
}
export interface EffectiveBudget extends FromPolicy {
  readonly budget: Budget;
}
export interface EffectiveToolCost extends FromPolicy {
  readonly toolCost: ToolCost;
}

/** All active policies of a tenant flattened into one rule set (combination rules: README.md). */
export interface EffectiveRules {
  readonly toolRules: readonly EffectiveToolRule[];
  readonly rateLimits: readonly EffectiveRateLimit[];
  readonly budgets: readonly EffectiveBudget[];
  /** What calls cost: a tool costs the highest of the entries that match it (`toolCallCost`). */
  readonly toolCosts: readonly EffectiveToolCost[];
  readonly audit: AuditSettings;
}

export interface EffectivePolicy {
  /** The last log position taken into account (inclusive). */
  readonly position: LogPosition;
  /** Active policies, sorted by name. */
  readonly policies: readonly PolicyVersion[];
  readonly effective: EffectiveRules;
}

export interface ItemChange<T> {
  readonly id: string;
  readonly before: T;
  readonly after: T;
}

/** Entries matched by id: present only after, only before, or in both with different content. */
export interface ItemDiff<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
  readonly changed: readonly ItemChange<T>[];
}

export interface DocumentDiff {
  readonly toolRules: ItemDiff<ToolRule>;
  readonly rateLimits: ItemDiff<RateLimit>;
  readonly budgets: ItemDiff<Budget>;
  readonly toolCosts: ItemDiff<ToolCost>;
  /** null when the audit settings are the same. */
  readonly audit: { readonly before: AuditSettings; readonly after: AuditSettings } | null;
}

export interface ChangedPolicy {
  readonly policyId: string;
  readonly name: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly changes: DocumentDiff;
}

/** Who changed a policy, when, and where the change sits in the log; read from applied events only. */
export interface PolicyChange {
  readonly position: LogPosition;
  readonly policyId: string;
  readonly event: PolicyEvent['type'];
  /** The policy's stream version after this event. */
  readonly version: number;
  readonly actor: Actor;
  readonly time: string;
  readonly correlationId: string;
  /** The note of a PolicyUpdated, '' for other events. */
  readonly changeNote: string;
}

export interface PolicyDiff {
  readonly from: LogPosition;
  readonly to: LogPosition;
  /** Active at `to`, not at `from`; sorted by name. */
  readonly added: readonly PolicyVersion[];
  /** Active at `from`, not at `to` (deleted in between); sorted by name. */
  readonly removed: readonly PolicyVersion[];
  /** Active at both positions with a different document; sorted by name. */
  readonly changed: readonly ChangedPolicy[];
  /** Every applied policy event after the earlier position up to the later one, in log order. */
  readonly changedBy: readonly PolicyChange[];
}

export interface VersionDiff {
  readonly policyId: string;
  readonly name: string;
  readonly from: { readonly version: number; readonly status: 'active' | 'deleted' };
  readonly to: { readonly version: number; readonly status: 'active' | 'deleted' };
  readonly changes: DocumentDiff;
  /** The events that lead from the lower version to the higher one, in order. */
  readonly changedBy: readonly PolicyChange[];
}

export interface PointInTimeOptions {
  /** Upper bound of one replay (subscribing, reading up to the target, stopping). Default 15 s. */
  readonly timeoutMs?: number;
}

type StoredPolicy = Exclude<PolicyState, { status: 'absent' }>;

/** What a replay may observe besides the final state. */
interface ReplayObserver {
  onApplied?(applied: AppliedCommit): void;
  /** Called after each record of the tenant's partition has been handled, with the state so far. */
  afterRecord?(offset: bigint, state: TenantView | undefined): void;
}

/**
 * Point-in-time answers for one tenant: its state and effective policy at any past log position,
 * and diffs between positions or policy versions. Every answer is a fresh replay of the tenant's
 * partition through a private LogApplier, i.e. through the same arbiter the replicas use, so a
 * past answer is what the replicas believed at that position (voided commits never count).
 */
export class PointInTime {
  private readonly timeoutMs: number;

  constructor(
    private readonly log: EventLog,
    options: PointInTimeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The tenant's model after the record at `at` (inclusive) has been applied. */
  async stateAt(tenantId: string, at: PointInTimeTarget): Promise<TenantView> {
    const position = await this.locate(tenantId, at);
    return this.tenantOrThrow(tenantId, await this.replay(tenantId, position));
  }

  async effectivePolicyAt(tenantId: string, at: PointInTimeTarget): Promise<EffectivePolicy> {
    const position = await this.locate(tenantId, at);
    const model = this.tenantOrThrow(tenantId, await this.replay(tenantId, position));
    const policies = activePolicies(model);
    return { position, policies, effective: combine(policies) };
  }

  /** What changed in the tenant's active policies from `from` to `to` (either order), and who changed it. */
  async diffPolicies(tenantId: string, from: LogPosition, to: LogPosition): Promise<PolicyDiff> {
    const start = await this.locate(tenantId, from);
    const end = await this.locate(tenantId, to);
    const [low, high] = start.offset <= end.offset ? [start.offset, end.offset] : [end.offset, start.offset];
    let before: PolicyVersion[] | undefined;
    let after: PolicyVersion[] | undefined;
    const changedBy: PolicyChange[] = [];
    const later = end.offset >= start.offset ? end : start;
    await this.replay(tenantId, later, {
      onApplied: ({ commit, position }) => {
        if (commit.tenantId !== tenantId || position.offset <= low || position.offset > high) return;
        changedBy.push(...policyChanges(commit.events, position));
      },
      afterRecord: (offset, state) => {
        if (offset === start.offset) before = state && activePolicies(state);
        if (offset === end.offset) after = state && activePolicies(state);
      },
    });
    if (!before || !after) throw notFound('tenant', tenantId);
    const beforeById = new Map(before.map((p) => [p.policyId, p]));
    const afterById = new Map(after.map((p) => [p.policyId, p]));
    const changed: ChangedPolicy[] = [];
    for (const next of after) {
      const previous = beforeById.get(next.policyId);
      if (!previous || same(previous.document, next.document)) continue;
      changed.push({
        policyId: next.policyId,
        name: next.name,
        fromVersion: previous.version,
        toVersion: next.version,
        changes: diffDocuments(previous.document, next.document),
      });
    }
    return {
      from: start,
      to: end,
      added: after.filter((p) => !beforeById.has(p.policyId)),
      removed: before.filter((p) => !afterById.has(p.policyId)),
      changed,
      changedBy,
    };
  }

  /** Diffs two stream versions of one policy (version n = the state after its n-th applied event). */
  async diffVersions(tenantId: string, policyId: string, fromVersion: number, toVersion: number): Promise<VersionDiff> {
    const position = await this.locate(tenantId, 'latest');
    const streamId = streamOf('policy', policyId);
    const history: { event: PolicyEvent; position: LogPosition }[] = [];
    const model = this.tenantOrThrow(
      tenantId,
      await this.replay(tenantId, position, {
        onApplied: ({ commit, position: at }) => {
          if (commit.tenantId !== tenantId || commit.streamId !== streamId) return;
          for (const event of commit.events) if (isPolicyEvent(event)) history.push({ event, position: at });
        },
      }),
    );
    if (!model.policies.has(policyId)) throw notFound('policy', policyId);
    for (const version of [fromVersion, toVersion]) {
      if (!Number.isInteger(version) || version < 1 || version > history.length) {
        throw invalid('point_in_time.unknown_version', `policy ${policyId} has versions 1 to ${history.length}, not ${version}`, {
          policyId,
          version,
          latestVersion: history.length,
        });
      }
    }
    const states: PolicyState[] = [];
    let state: PolicyState = initialPolicyState;
    for (const { event } of history) states.push((state = evolvePolicy(state, event)));
    const stateAt = (version: number): StoredPolicy => {
      const found = states[version - 1];
      if (!found || found.status === 'absent') {
        throw invalid('point_in_time.unknown_version', `policy ${policyId} did not exist at version ${version}`, { policyId, version });
      }
      return found;
    };
    const previous = stateAt(fromVersion);
    const next = stateAt(toVersion);
    const [low, high] = fromVersion <= toVersion ? [fromVersion, toVersion] : [toVersion, fromVersion];
    return {
      policyId,
      name: next.name,
      from: { version: fromVersion, status: previous.status },
      to: { version: toVersion, status: next.status },
      changes: diffDocuments(previous.document, next.document),
      changedBy: history.slice(low, high).flatMap(({ event, position: at }) => policyChanges([event], at)),
    };
  }

  private tenantOrThrow(tenantId: string, state: TenantView | undefined): TenantView {
    if (!state) throw notFound('tenant', tenantId);
    return state;
  }

  /** Checks a requested position against the tenant's partition and turns 'latest' into one. */
  private async locate(tenantId: string, at: PointInTimeTarget): Promise<LogPosition> {
    const partition = await this.log.partitionFor(tenantId);
    if (at !== 'latest' && at.partition !== partition) {
      throw invalid('point_in_time.wrong_partition', `tenant ${tenantId} is in partition ${partition}, not ${at.partition}`, {
        tenantId,
        partition,
        requested: at.partition,
      });
    }
    const end = (await this.log.endOffsets()).get(partition) ?? 0n;
    if (at === 'latest') {
      if (end === 0n) throw notFound('tenant', tenantId);
      return { partition, offset: end - 1n };
    }
    if (at.offset < 0n) throw invalid('point_in_time.invalid_position', `offset ${at.offset} is negative`, { offset: String(at.offset) });
    if (at.offset >= end) {
      throw invalid('point_in_time.future_position', `partition ${partition} ends before offset ${at.offset} (next offset ${end})`, {
        partition,
        offset: String(at.offset),
        endOffset: String(end),
      });
    }
    return { partition, offset: at.offset };
  }

  /**
   * Replays the partition of `target` from offset 0 through the record at `target` (inclusive)
   * with a fresh LogApplier, then stops it. Returns the tenant's state there, or undefined.
   */
  private async replay(tenantId: string, target: LogPosition, observer: ReplayObserver = {}): Promise<TenantView | undefined> {
    const count = await this.log.partitions();
    const ends = await this.log.endOffsets();
    const skip = new Map<number, bigint>();
    for (let p = 0; p < count; p++) if (p !== target.partition) skip.set(p, ends.get(p) ?? 0n);
    let failure: { error: unknown } | undefined;
    let reportFailure: (error: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      reportFailure = reject;
    });
    failed.catch(() => {});
    const view = new PartitionPrefix(this.log, target.partition, target.offset + 1n, skip, {
      afterRecord: (offset) => observer.afterRecord?.(offset, applier.tenant(tenantId)),
      onFailure: (error) => {
        failure = { error };
        reportFailure(error);
      },
    });
    const applier = new LogApplier(view, { onApplied: (applied) => observer.onApplied?.(applied) });
    try {
      await applier.start(new Map([[target.partition, 0n]])).catch((error: unknown) => {
        failure = { error };
        throw error;
      });
      await Promise.race([applier.catchUp(this.timeoutMs), failed]);
    } catch (error) {
      throw failure
        ? new DomainError('UNAVAILABLE', 'point_in_time.replay_failed', `reading the event log failed: ${String(failure.error)}`)
        : new DomainError('UNAVAILABLE', 'point_in_time.timeout', `replaying partition ${target.partition} up to offset ${target.offset} did not finish: ${String(error)}`);
    } finally {
      await applier.stop();
    }
    return applier.tenant(tenantId);
  }
}

/**
 * A read-only view of one partition's prefix [0, end): records of other partitions and records at
 * or after `end` are dropped, and `endOffsets` reports `end`, so the applier's `catchUp` waits for
 * exactly the record before `end`. Other partitions are read from their current end, so a replay
 * costs only the tenant's partition.
 */
class PartitionPrefix implements EventLog {
  constructor(
    private readonly inner: EventLog,
    private readonly partition: number,
    private readonly end: bigint,
    private readonly skip: LogCheckpoint,
    private readonly events: { afterRecord(offset: bigint): void; onFailure(error: unknown): void },
  ) {}

  partitions(): Promise<number> {
    return this.inner.partitions();
  }

  partitionFor(key: string): Promise<number> {
    return this.inner.partitionFor(key);
  }

  append(): Promise<LogPosition> {
    return Promise.reject(new Error('a point-in-time replay is read-only'));
  }

  endOffsets(): Promise<ReadonlyMap<number, bigint>> {
    return Promise.resolve(new Map([[this.partition, this.end]]));
  }

  subscribe(from: LogCheckpoint, handler: (record: LogRecord) => Promise<void>, onError?: (error: unknown) => void): Promise<LogSubscription> {
    const start = new Map(this.skip);
    start.set(this.partition, from.get(this.partition) ?? 0n);
    return this.inner.subscribe(
      start,
      async (record) => {
        if (record.position.partition !== this.partition || record.position.offset >= this.end) return;
        await handler(record);
        this.events.afterRecord(record.position.offset);
      },
      (error) => {
        this.events.onFailure(error);
        onError?.(error);
      },
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const isPolicyEvent = (event: ControlEvent): event is PolicyEvent => AGGREGATE_OF_EVENT[event.type] === 'policy';

const policyChanges = (events: readonly ControlEvent[], position: LogPosition): PolicyChange[] =>
  events.filter(isPolicyEvent).map((event) => ({
    position,
    policyId: event.metadata.streamId.slice('policy-'.length),
    event: event.type,
    version: event.metadata.streamVersion,
    actor: event.metadata.actor,
    time: event.metadata.time,
    correlationId: event.metadata.correlationId,
    changeNote: event.type === 'PolicyUpdated' ? event.data.changeNote : '',
  }));

const activePolicies = (model: TenantView): PolicyVersion[] =>
  [...model.policies.values()]
    .filter((p) => p.status === 'active')
    .map((p) => ({ policyId: p.policyId, name: p.name, version: model.versionOf(streamOf('policy', p.policyId)), document: p.document }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const CAPTURE_STRICTNESS: readonly AuditSettings['argumentCapture'][] = ['none', 'hash', 'full'];

/**
 * Combines active policies (sorted by name) into one rule set: every tool rule, rate limit and
 * budget of every policy applies, tagged with its policy; audit takes the strictest setting of any
 * policy (the most-capturing argument capture, fail-closed over fail-open). With no active policy
 * the audit settings are the schema's defaults.
 */
export const combine = (policies: readonly PolicyVersion[]): EffectiveRules => {
  const from = (p: PolicyVersion): FromPolicy => ({ policyId: p.policyId, policyName: p.name });
  const audits = policies.map((p) => p.document.audit);
  return {
    toolRules: policies.flatMap((p) => p.document.toolRules.map((rule) => ({ ...from(p), rule }))),
    rateLimits: policies.flatMap((p) => p.document.rateLimits.map((limit) => ({ ...from(p), limit }))),
    budgets: policies.flatMap((p) => p.document.budgets.map((budget) => ({ ...from(p), budget }))),
    toolCosts: policies.flatMap((p) => p.document.toolCosts.map((toolCost) => ({ ...from(p), toolCost }))),
    audit: audits.length
      ? {
          argumentCapture: audits
            .map((a) => a.argumentCapture)
            .reduce((strictest, c) => (CAPTURE_STRICTNESS.indexOf(c) > CAPTURE_STRICTNESS.indexOf(strictest) ? c : strictest)),
          onAuditFailure: audits.some((a) => a.onAuditFailure === 'closed') ? 'closed' : 'open',
        }
      : AuditSettings.parse({}),
  };
};

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Matches entries by id (the n-th entry with an id before against the n-th with it after, should a
 * hand-written commit repeat an id). Order changes alone are not changes: rules are evaluated
 * deny-first, and limits and budgets all apply, so order has no effect.
 */
const diffItems = <T extends { readonly id: string }>(before: readonly T[], after: readonly T[]): ItemDiff<T> => {
  const unmatched = new Map<string, T[]>();
  for (const item of before) unmatched.set(item.id, [...(unmatched.get(item.id) ?? []), item]);
  const added: T[] = [];
  const changed: ItemChange<T>[] = [];
  for (const item of after) {
    const match = unmatched.get(item.id)?.shift();
    if (!match) added.push(item);
    else if (!same(match, item)) changed.push({ id: item.id, before: match, after: item });
  }
  const removed = before.filter((item) => unmatched.get(item.id)?.includes(item));
  return { added, removed, changed };
};

const diffDocuments = (before: PolicyDocument, after: PolicyDocument): DocumentDiff => ({
  toolRules: diffItems(before.toolRules, after.toolRules),
  rateLimits: diffItems(before.rateLimits, after.rateLimits),
  budgets: diffItems(before.budgets, after.budgets),
  toolCosts: diffItems(before.toolCosts, after.toolCosts),
  audit: same(before.audit, after.audit) ? null : { before: before.audit, after: after.audit },
});
