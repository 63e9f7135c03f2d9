import { z } from 'zod';
import { TenantId, Timestamp } from '../ids.js';

/** The compacted topic the control plane publishes signed budget usage reports to, keyed by tenant id. */
export const DEFAULT_BUDGET_USAGE_TOPIC = 'mcpgate.control.budget-usage';

/** How much of one budget one subject used in one period, across every proxy of every region. */
export const BudgetUsageEntry = z.object({
  /** The budget's id as the proxies count it (`key:<key id>:<id>` or `policy:<policy name>:<id>`). */
  budgetId: z.string().min(1).max(400),
  /** What the budget counts per: the key id, the user (OAuth subject), the tool name or the tenant id. */
  subject: z.string().min(1).max(600),
  /** The first day of the budget's UTC period, `YYYY-MM-DD`. */
  periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  calls: z.number().int().nonnegative(),
  cost: z.number().nonnegative(),
});
export type BudgetUsageEntry = z.infer<typeof BudgetUsageEntry>;

/**
 * A tenant's budget usage as the control plane counted it from the audit trail, for the current
 * period of each budget. Signed like a policy snapshot (same envelope, same keys) and sent beside
 * it, on its own topic and cadence: usage changes with every call, policy does not.
 */
export const BudgetUsageReport = z.object({
  schemaVersion: z.literal(1),
  /** Tells a usage payload apart from a policy snapshot signed by the same key. */
  kind: z.literal('budget-usage'),
  tenantId: TenantId,
  /** Every tool call of the tenant's audit trail up to this sequence number is counted; reports only move forward. */
  throughSeq: z.string().regex(/^\d{1,19}$/),
  asOf: Timestamp,
  usage: z.array(BudgetUsageEntry).max(100_000),
});
export type BudgetUsageReport = z.infer<typeof BudgetUsageReport>;
