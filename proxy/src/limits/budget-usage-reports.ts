import type { KeyObject } from 'node:crypto';
import { BudgetUsageReport } from '@mcpgate/contracts';
import { verifySignedPayload } from '../snapshots/verify-snapshot.js';
import type { BudgetUsage, ReportedUsage } from './budget-counter.js';

export type UsageOfferResult = { readonly accepted: true } | { readonly accepted: false; readonly reason: string; readonly message: string };

interface TenantUsage {
  readonly report: BudgetUsageReport;
  readonly receivedAt: Date;
  readonly lookup: ReportedUsage;
}

const usageKey = (budgetId: string, subject: string, periodStart: string) => `${budgetId}\u0000${subject}\u0000${periodStart}`;

/** Whether `candidate` is a later count than `current`: more of the trail, or the same trail counted later (a new period began). */
const isNewer = (candidate: BudgetUsageReport, current: BudgetUsageReport) => {
  const a = BigInt(candidate.throughSeq);
  const b = BigInt(current.throughSeq);
  return a > b || (a === b && Date.parse(candidate.asOf) > Date.parse(current.asOf));
};

/**
 * The budget usage the control plane last reported for each tenant (signed like snapshots, verified
 * with the same trusted keys), as the `ReportedUsage` the BudgetCounter adds this replica's own
 * calls to. A report replaces the tenant's previous one only when it counts more of the audit
 * trail (or the same, later); a bad or stale one is refused and the last good one stays.
 *
 * Kept in memory only: a proxy that restarts without the control plane reachable counts from its
 * own calls until the next report (the compacted topic hands every tenant's last report to a
 * proxy that starts), which can only make a budget more lenient for that while.
 */
export class BudgetUsageReports {
  private readonly tenants = new Map<string, TenantUsage>();
  readonly rejected = new Map<string, number>();
  accepted = 0;

  constructor(
    private readonly trusted: ReadonlyMap<string, KeyObject>,
    private readonly onRejected?: (tenantId: string, reason: string, message: string) => void,
  ) {}

  /** What the control plane reported for a tenant, undefined before its first report. */
  reportedUsage(tenantId: string): ReportedUsage | undefined {
    return this.tenants.get(tenantId)?.lookup;
  }

  /** Offers a record of the budget usage topic (`key` = tenant id) or the in-process channel. Never throws. */
  offer(key: string, raw: unknown): UsageOfferResult {
    const verified = verifySignedPayload(raw, this.trusted, 'budget usage');
    if (!verified.ok) return this.reject(key, `usage.${verified.failure}`, verified.message);
    const report = BudgetUsageReport.safeParse(verified.payload);
    if (!report.success) return this.reject(key, 'usage.invalid', 'payload is not a budget usage report');
    if (report.data.tenantId !== key) return this.reject(key, 'usage.wrong_tenant', `record key ${key} carries tenant ${report.data.tenantId}`);
    const current = this.tenants.get(key);
    if (current && !isNewer(report.data, current.report)) {
      if (current.report.throughSeq === report.data.throughSeq && current.report.asOf === report.data.asOf) return { accepted: true };
      // an older count arriving late (several control-plane replicas publish): counted, not alarmed
      this.rejected.set('usage.stale', (this.rejected.get('usage.stale') ?? 0) + 1);
      return { accepted: false, reason: 'usage.stale', message: `usage through ${report.data.throughSeq} is not newer than through ${current.report.throughSeq}` };
    }
    const entries = new Map<string, BudgetUsage>(report.data.usage.map((u) => [usageKey(u.budgetId, u.subject, u.periodStart), { calls: u.calls, cost: u.cost }]));
    const lookup: ReportedUsage = (budgetId, subject, periodStart) => entries.get(usageKey(budgetId, subject, periodStart));
    this.tenants.set(key, { report: report.data, receivedAt: new Date(), lookup });
    this.accepted += 1;
    return { accepted: true };
  }

  /** Per tenant: how far its last report counted, when, and how many entries it holds. */
  status() {
    return {
      accepted: this.accepted,
      rejected: Object.fromEntries(this.rejected),
      tenants: [...this.tenants].map(([tenantId, { report, receivedAt }]) => ({ tenantId, throughSeq: report.throughSeq, asOf: report.asOf, receivedAt: receivedAt.toISOString(), entries: report.usage.length })),
    };
  }

  private reject(tenantId: string, reason: string, message: string): UsageOfferResult {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.onRejected?.(tenantId, reason, message);
    return { accepted: false, reason, message };
  }
}
