import { describe, expect, it } from 'vitest';
import { budgetShare, periodText } from './budgets-page';

describe(budgetShare.name, () => {
  it('is the share of the tighter maximum, to a tenth of a percent, at most 100', () => {
    expect(budgetShare({ calls: 3, cost: 0 }, { maxCalls: 1000 })).toBe(0.3);
    expect(budgetShare({ calls: 10, cost: 45 }, { maxCalls: 100, maxCost: 50 })).toBe(90);
    expect(budgetShare({ calls: 12, cost: 0 }, { maxCalls: 10, maxCost: null })).toBe(100);
    expect(budgetShare({ calls: 0, cost: 0 }, { maxCalls: null, maxCost: 5 })).toBe(0);
  });
});

describe(periodText.name, () => {
  it('names the first and last day of the period, one day once', () => {
    expect(periodText('2026-11-26', '2026-11-27T00:00:00.000Z')).toBe('2026-11-26 (UTC)');
    expect(periodText('2026-11-23', '2026-11-30T00:00:00.000Z')).toBe('2026-11-23 to 2026-11-29 (UTC)');
    expect(periodText('2026-11-01', '2026-12-01T00:00:00.000Z')).toBe('2026-11-01 to 2026-11-30 (UTC)');
  });
});
