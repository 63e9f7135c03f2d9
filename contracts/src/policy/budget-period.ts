import type { Budget } from './policy-rules.js';

/** One budget period in UTC: `[startMs, endMs)`, and its first day as `YYYY-MM-DD`. */
export interface BudgetPeriod {
  readonly start: string;
  readonly startMs: number;
  readonly endMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The UTC calendar period containing `nowMs`: the day, the ISO week (Monday to Sunday) or the
 * month. Date.UTC normalises a month of 12 into January of the next year, so month and year ends
 * need no special case.
 */
export const budgetPeriod = (period: Budget['period'], nowMs: number): BudgetPeriod => {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const dayStart = Date.UTC(year, month, now.getUTCDate());
  let startMs: number;
  let endMs: number;
  switch (period) {
    case 'day':
      startMs = dayStart;
      endMs = dayStart + DAY_MS;
      break;
    case 'week': {
      const daysSinceMonday = (now.getUTCDay() + 6) % 7;
      startMs = dayStart - daysSinceMonday * DAY_MS;
      endMs = startMs + 7 * DAY_MS;
      break;
    }
    case 'month':
      startMs = Date.UTC(year, month, 1);
      endMs = Date.UTC(year, month + 1, 1);
      break;
  }
  return { start: new Date(startMs).toISOString().slice(0, 10), startMs, endMs };
};
