import { budgetPeriod, budgetSpent, type Budget, type BudgetPeriod } from '@mcpgate/contracts';
import { ALLOWED, stateKey, subjectOf } from './limit-decision.js';
import type { CallIdentity, LimitDecision } from './limit-decision.js';
import { LruMap } from './lru-map.js';

export interface BudgetCounterOptions {
  /** Upper bound on counters kept; beyond it the least recently used counter is forgotten. */
  readonly maxCounters: number;
  /** Wall-clock milliseconds since the epoch (periods are calendar periods); defaults to `Date.now()`. */
  readonly now?: () => number;
}

/** Usage of one budget subject in one period. */
export interface BudgetUsage {
  readonly calls: number;
  readonly cost: number;
}

/**
 * What the control plane last reported for a budget subject and period (`periodStart` is the
 * period's first day, `YYYY-MM-DD`), from audit events across all replicas; undefined when it has
 * reported nothing.
 */
export type ReportedUsage = (budgetId: string, subject: string, periodStart: string) => BudgetUsage | undefined;

interface Counter {
  periodStart: string;
  /** This replica's calls and cost since `reported` was seen. */
  calls: number;
  cost: number;
  reported: BudgetUsage | undefined;
}

/**
 * Budgets on calls or cost per UTC day, ISO week or month, checked on the hot path without I/O.
 *
 * The control plane counts usage from audit events and pushes it back through snapshots; that is
 * authoritative but lags. This counter adds what this replica recorded since the report it last
 * saw, so a replica stops a subject quickly once a budget is spent. When the report changes, the
 * new report is taken to include this replica's earlier calls and the local count restarts from
 * zero (at worst this forgets the calls still in flight through the audit pipeline). A new period
 * starts from zero. An evicted counter (beyond `maxCounters`) loses its local count, which only
 * makes the budget more lenient until the next report.
 */
export class BudgetCounter {
  readonly #counters: LruMap<string, Counter>;
  readonly #now: () => number;
  /** The current period of each kind, recomputed only when the clock leaves it. */
  readonly #periods = new Map<Budget['period'], BudgetPeriod>();

  constructor(options: BudgetCounterOptions) {
    this.#counters = new LruMap(options.maxCounters);
    this.#now = options.now ?? Date.now;
  }

  /** Number of counters currently kept (never more than `maxCounters`). */
  get size(): number {
    return this.#counters.size;
  }

  /**
   * Refuses a call when any applicable budget is spent: its calls reached `maxCalls`, or its cost
   * reached `maxCost` (the cost of a call is known only after it, so cost stops the next call).
   * The refusal names the budget whose period ends last; `retryAfterMs` is the time until then.
   */
  check(call: CallIdentity, budgets: readonly Budget[], reportedUsage?: ReportedUsage): LimitDecision {
    const now = this.#now();
    let refusal: { budget: Budget; retryAfterMs: number } | undefined;
    for (const budget of budgets) {
      const subject = subjectOf(budget.scope, call);
      if (subject === undefined) continue;
      const period = this.#period(budget.period, now);
      const counter = this.#counter(call.tenantId, budget, subject, period.start);
      const reported = reportedUsage?.(budget.id, subject, period.start);
      if (reported?.calls !== counter.reported?.calls || reported?.cost !== counter.reported?.cost) {
        counter.reported = reported;
        counter.calls = 0;
        counter.cost = 0;
      }
      if (!budgetSpent(budget, (reported?.calls ?? 0) + counter.calls, (reported?.cost ?? 0) + counter.cost)) continue;
      const retryAfterMs = period.endMs - now;
      if (!refusal || retryAfterMs > refusal.retryAfterMs) refusal = { budget, retryAfterMs };
    }
    return refusal ? { allowed: false, limitId: refusal.budget.id, scope: refusal.budget.scope, retryAfterMs: refusal.retryAfterMs } : ALLOWED;
  }

  /**
   * Counts one call, and its cost when known, against every applicable budget. Call it for calls
   * that were let through; a cost that is negative or not finite counts as zero.
   */
  record(call: CallIdentity, budgets: readonly Budget[], cost = 0): void {
    const now = this.#now();
    const units = Number.isFinite(cost) && cost > 0 ? cost : 0;
    for (const budget of budgets) {
      const subject = subjectOf(budget.scope, call);
      if (subject === undefined) continue;
      const counter = this.#counter(call.tenantId, budget, subject, this.#period(budget.period, now).start);
      counter.calls += 1;
      counter.cost += units;
    }
  }

  #period(kind: Budget['period'], now: number): BudgetPeriod {
    let period = this.#periods.get(kind);
    if (!period || now < period.startMs || now >= period.endMs) {
      period = budgetPeriod(kind, now);
      this.#periods.set(kind, period);
    }
    return period;
  }

  /** The counter of one subject, reset when its period is over. */
  #counter(tenantId: string, budget: Budget, subject: string, periodStart: string): Counter {
    // the period kind is part of the key: a day and a week can start on the same date
    const key = stateKey(tenantId, budget.id, budget.scope, subject, budget.period);
    let counter = this.#counters.get(key);
    if (!counter) {
      counter = { periodStart, calls: 0, cost: 0, reported: undefined };
      this.#counters.set(key, counter);
    } else if (counter.periodStart !== periodStart) {
      counter.periodStart = periodStart;
      counter.calls = 0;
      counter.cost = 0;
      counter.reported = undefined;
    }
    return counter;
  }
}
