import { budgetPeriod, type BudgetUsageEntry, type TenantBudget } from '@mcpgate/contracts';

/** Tool calls of one tenant that went through (not denied), per UTC day and caller. */
export interface CallCountRow {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  /** The virtual key that made the calls, or '' (OAuth, anonymous). */
  readonly keyId: string;
  /** The OAuth subject that made the calls, or '' (virtual key, anonymous). */
  readonly user: string;
  /** The tool name as the agent called it. */
  readonly tool: string;
  readonly calls: number;
  /** Their cost in the tenant's units (the audit events' `cost`). */
  readonly cost: number;
}

interface Cell {
  readonly keyId: string;
  readonly user: string;
  readonly tool: string;
  calls: number;
  cost: number;
}

/**
 * The first day any current budget period can start on: the earlier of this ISO week's Monday and
 * this month's first day. Counts of earlier days can no longer matter.
 */
export const countingFrom = (nowMs: number): string => {
  const week = budgetPeriod('week', nowMs).start;
  const month = budgetPeriod('month', nowMs).start;
  return week < month ? week : month;
};

/**
 * One tenant's tool calls counted per day and caller, fed incrementally from its audit trail (`add`
 * with the rows after `throughSeq`), and the usage of each budget in its current period computed
 * from them. Memory is bounded by days × distinct (key, user, tool), and days before
 * `countingFrom` are dropped.
 */
export class TenantCallCounts {
  /** Every call of the trail up to this sequence number is counted. */
  throughSeq = 0n;
  private readonly days = new Map<string, Map<string, Cell>>();

  add(rows: readonly CallCountRow[], throughSeq: bigint): void {
    for (const row of rows) {
      let cells = this.days.get(row.day);
      if (!cells) this.days.set(row.day, (cells = new Map()));
      const key = `${row.keyId}\u0000${row.user}\u0000${row.tool}`;
      const cell = cells.get(key);
      if (cell) {
        cell.calls += row.calls;
        cell.cost += row.cost;
      } else cells.set(key, { keyId: row.keyId, user: row.user, tool: row.tool, calls: row.calls, cost: row.cost });
    }
    if (throughSeq > this.throughSeq) this.throughSeq = throughSeq;
  }

  /** Forgets the days before `fromDay` (`YYYY-MM-DD`). */
  prune(fromDay: string): void {
    for (const day of this.days.keys()) if (day < fromDay) this.days.delete(day);
  }

  /**
   * Each budget's usage per subject in the period that contains `nowMs`, sorted, without zeros. A
   * key's own budget counts only that key's calls; a subject the calls lack (a `user` budget,
   * calls made with a key) is not counted, as the proxies do not count it either.
   */
  usage(tenantId: string, budgets: readonly TenantBudget[], nowMs: number): BudgetUsageEntry[] {
    const entries: BudgetUsageEntry[] = [];
    for (const budget of budgets) {
      const period = budgetPeriod(budget.period, nowMs);
      const end = new Date(period.endMs).toISOString().slice(0, 10);
      const bySubject = new Map<string, { calls: number; cost: number }>();
      for (const [day, cells] of this.days) {
        if (day < period.start || day >= end) continue;
        for (const cell of cells.values()) {
          if (budget.keyId !== undefined && cell.keyId !== budget.keyId) continue;
          const subject = budget.scope === 'key' ? cell.keyId : budget.scope === 'user' ? cell.user : budget.scope === 'tool' ? cell.tool : tenantId;
          if (!subject) continue;
          const sum = bySubject.get(subject);
          if (sum) {
            sum.calls += cell.calls;
            sum.cost += cell.cost;
          } else bySubject.set(subject, { calls: cell.calls, cost: cell.cost });
        }
      }
      // cost rounded to a millionth: sums of fractional prices carry no float noise into reports
      for (const [subject, { calls, cost }] of bySubject) entries.push({ budgetId: budget.id, subject, periodStart: period.start, calls, cost: Math.round(cost * 1e6) / 1e6 });
    }
    return entries.sort((a, b) => (a.budgetId === b.budgetId ? (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) : a.budgetId < b.budgetId ? -1 : 1));
  }
}
