import { tenantBudgets, type BudgetUsageEntry, type BudgetUsageReport, type PolicySnapshot, type SignedSnapshot, type TenantBudget } from '@mcpgate/contracts';
import type { Sql } from '../audit/audit-store.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { SnapshotPublisher } from '../snapshot/snapshot-publisher.port.js';
import { countingFrom, TenantCallCounts } from './call-counts.js';
import { auditHeads, readCallCounts } from './read-call-counts.js';

export interface BudgetUsageTrackerOptions {
  /** Signs a report with the control plane's snapshot key (proxies trust the same keys for both). */
  readonly sign: (report: BudgetUsageReport) => SignedSnapshot;
  /** Where reports go: the compacted `mcpgate.control.budget-usage` topic, or the in-process proxy. */
  readonly publisher: SnapshotPublisher;
  /** How often the audit trail of each tenant with budgets is read for new calls. */
  readonly intervalMs?: number;
  /** Wall-clock milliseconds (budget periods are calendar periods); `Date.now` by default. */
  readonly now?: () => number;
  readonly logger?: Logger;
}

/** A tenant's budgets and their use in the current periods. */
export interface TenantBudgetUsage {
  readonly budgets: readonly TenantBudget[];
  readonly entries: readonly BudgetUsageEntry[];
  /** The tenant's audit trail is counted up to this sequence number. */
  readonly throughSeq: bigint;
  readonly asOf: Date;
}

/**
 * Counts what every tenant's budgets used, across all proxies and regions, from the audit trail
 * (the record of every call that went through), and pushes it back to the proxies as signed
 * budget usage reports: each proxy adds its own calls since the last report, so a budget holds
 * across replicas and stops a subject quickly (proxy/src/limits/README.md).
 *
 * Only tenants whose policies or keys have budgets are read, incrementally: each round reads the
 * calls after the last counted sequence number of the tenant's trail. A report is published when
 * a tenant's usage changed, including when a new period began.
 */
export class BudgetUsageTracker {
  private readonly budgets = new Map<string, readonly TenantBudget[]>();
  private readonly counts = new Map<string, TenantCallCounts>();
  private readonly published = new Map<string, string>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Reports published since start. */
  reports = 0;

  constructor(
    private readonly sql: Sql,
    private readonly options: BudgetUsageTrackerOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /** The snapshotter published a tenant's policy: its budgets are what to count from now on. */
  policyChanged(snapshot: PolicySnapshot): void {
    const budgets = snapshot.status === 'deleted' ? [] : tenantBudgets(snapshot);
    if (budgets.length > 0) {
      this.budgets.set(snapshot.tenantId, budgets);
      return;
    }
    this.budgets.delete(snapshot.tenantId);
    this.counts.delete(snapshot.tenantId);
    this.published.delete(snapshot.tenantId);
  }

  /**
   * A tenant's budgets with what each used in its current period, as counted by the last round
   * (what the proxies were last sent): for admins. Undefined when the tenant has no budgets.
   */
  usage(tenantId: string): TenantBudgetUsage | undefined {
    const budgets = this.budgets.get(tenantId);
    if (!budgets) return undefined;
    const counts = this.counts.get(tenantId);
    const nowMs = this.now();
    return { budgets, entries: counts ? counts.usage(tenantId, budgets, nowMs) : [], throughSeq: counts?.throughSeq ?? 0n, asOf: new Date(nowMs) };
  }

  /** Tenants with budgets, for status pages and tests. */
  tenantIds(): string[] {
    return [...this.budgets.keys()];
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Reads the new calls of every tenant with budgets and publishes the reports that changed. */
  refresh(): Promise<void> {
    this.running = this.running.then(() => this.refreshAll());
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }

  private async refreshAll(): Promise<void> {
    const nowMs = this.now();
    const from = countingFrom(nowMs);
    const tenants = [...this.budgets];
    if (tenants.length === 0) return;
    let heads: Map<string, bigint>;
    try {
      // one statement for every tenant: an idle round costs one query, whatever the number of tenants
      heads = await auditHeads(this.sql, tenants.map(([tenantId]) => tenantId));
    } catch (error) {
      this.logger.error({ err: String(error) }, 'reading the audit trail heads for budget usage failed; will retry');
      return;
    }
    for (const [tenantId, budgets] of tenants) {
      try {
        await this.refreshTenant(tenantId, budgets, heads.get(tenantId) ?? 0n, nowMs, from);
      } catch (error) {
        // the next round tries again from the same sequence number: nothing is counted twice
        this.logger.error({ tenantId, err: String(error) }, 'counting budget usage from the audit trail failed; will retry');
      }
    }
  }

  private async refreshTenant(tenantId: string, budgets: readonly TenantBudget[], head: bigint, nowMs: number, from: string): Promise<void> {
    let counts = this.counts.get(tenantId);
    if (!counts) this.counts.set(tenantId, (counts = new TenantCallCounts()));
    if (head > counts.throughSeq) counts.add(await readCallCounts(this.sql, tenantId, counts.throughSeq, head, from), head);
    counts.prune(from);
    const usage = counts.usage(tenantId, budgets, nowMs);
    const fingerprint = JSON.stringify(usage);
    if (this.published.get(tenantId) === fingerprint) return;
    const report: BudgetUsageReport = { schemaVersion: 1, kind: 'budget-usage', tenantId, throughSeq: counts.throughSeq.toString(), asOf: new Date(nowMs).toISOString(), usage };
    await this.options.publisher.publish(tenantId, this.options.sign(report));
    this.published.set(tenantId, fingerprint);
    this.reports += 1;
  }
}
