import type { TenantBudget } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { countingFrom, TenantCallCounts, type CallCountRow } from './call-counts.js';

const TENANT = 'ten_acme0000000000';
const NOW = Date.parse('2026-11-26T10:00:00.000Z'); // a Thursday; the week began on Monday 2026-11-23
const row = (day: string, calls: number, who: Partial<CallCountRow> = {}): CallCountRow => ({ day, keyId: '', user: '', tool: 'search', calls, ...who, cost: who.cost ?? 0 });
const budget = (id: string, rest: Partial<TenantBudget> = {}): TenantBudget => ({ id, scope: 'tenant', period: 'day', maxCalls: 10, ...rest });

describe(TenantCallCounts.name, () => {
  it('sums the calls of the current period per budget and subject, adding rows read later to the same cells', () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-11-26', 2, { keyId: 'vk_a' }), row('2026-11-26', 3, { keyId: 'vk_b' }), row('2026-11-25', 4, { keyId: 'vk_a' })], 9n);
    sut.add([row('2026-11-26', 1, { keyId: 'vk_a' })], 10n);
    expect(sut.throughSeq).toBe(10n);
    expect(sut.usage(TENANT, [budget('policy:p:daily'), budget('policy:p:per-key-week', { scope: 'key', period: 'week' })], NOW)).toEqual([
      { budgetId: 'policy:p:daily', subject: TENANT, periodStart: '2026-11-26', calls: 6, cost: 0 },
      { budgetId: 'policy:p:per-key-week', subject: 'vk_a', periodStart: '2026-11-23', calls: 7, cost: 0 },
      { budgetId: 'policy:p:per-key-week', subject: 'vk_b', periodStart: '2026-11-23', calls: 3, cost: 0 },
    ]);
  });

  it('sums the cost of the calls beside their number, without float noise', () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-11-26', 3, { keyId: 'vk_a', cost: 0.30000000000000004 }), row('2026-11-26', 1, { keyId: 'vk_a', tool: 'write', cost: 0.1 })], 2n);
    sut.add([row('2026-11-26', 1, { keyId: 'vk_a', cost: 0.1 })], 3n);
    expect(sut.usage(TENANT, [budget('key:vk_a:spend', { keyId: 'vk_a', scope: 'key', maxCalls: undefined, maxCost: 5 })], NOW)).toEqual([
      { budgetId: 'key:vk_a:spend', subject: 'vk_a', periodStart: '2026-11-26', calls: 5, cost: 0.5 },
    ]);
  });

  it("counts only its own key's calls against a key's budget, whatever the scope", () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-11-26', 2, { keyId: 'vk_a', tool: 'search' }), row('2026-11-26', 5, { keyId: 'vk_b', tool: 'search' }), row('2026-11-26', 1, { keyId: 'vk_a', tool: 'write' })], 3n);
    expect(sut.usage(TENANT, [budget('key:vk_a:b1', { keyId: 'vk_a', scope: 'tool' })], NOW)).toEqual([
      { budgetId: 'key:vk_a:b1', subject: 'search', periodStart: '2026-11-26', calls: 2, cost: 0 },
      { budgetId: 'key:vk_a:b1', subject: 'write', periodStart: '2026-11-26', calls: 1, cost: 0 },
    ]);
  });

  it('leaves out calls that lack the subject (a user budget, calls made with keys), as the proxies do', () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-11-26', 4, { keyId: 'vk_a' }), row('2026-11-26', 2, { user: 'alice@idp' })], 2n);
    expect(sut.usage(TENANT, [budget('policy:p:per-user', { scope: 'user' })], NOW)).toEqual([{ budgetId: 'policy:p:per-user', subject: 'alice@idp', periodStart: '2026-11-26', calls: 2, cost: 0 }]);
  });

  it('reports nothing for a period without calls, and a month budget counts the whole month, days of the last week before it not', () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-10-31', 7), row('2026-11-01', 1), row('2026-11-20', 2)], 3n);
    expect(sut.usage(TENANT, [budget('policy:p:daily')], NOW)).toEqual([]);
    expect(sut.usage(TENANT, [budget('policy:p:monthly', { period: 'month' })], NOW)).toEqual([{ budgetId: 'policy:p:monthly', subject: TENANT, periodStart: '2026-11-01', calls: 3, cost: 0 }]);
  });

  it('forgets days before the earliest current period', () => {
    const sut = new TenantCallCounts();
    sut.add([row('2026-10-31', 7), row('2026-11-01', 1)], 2n);
    sut.prune(countingFrom(NOW));
    expect(sut.usage(TENANT, [budget('policy:p:monthly', { period: 'month' })], Date.parse('2026-10-31T12:00:00.000Z'))).toEqual([]);
  });
});

describe(countingFrom.name, () => {
  it("is the earlier of this week's Monday and the first of the month", () => {
    expect(countingFrom(NOW)).toBe('2026-11-01');
    expect(countingFrom(Date.parse('2026-12-02T00:00:00.000Z'))).toBe('2026-11-30'); // the week began last month
  });
});
