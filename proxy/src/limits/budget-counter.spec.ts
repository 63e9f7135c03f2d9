import type { Budget } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { BudgetCounter } from './budget-counter.js';
import type { BudgetUsage } from './budget-counter.js';
import type { CallIdentity } from './limit-decision.js';

const ACME = 'ten_acme0000000000';
const call = (extra: Partial<CallIdentity> = {}): CallIdentity => ({ tenantId: ACME, keyId: 'vk_alice00000', user: 'alice', tool: 'search', ...extra });
const budget = (extra: Partial<Budget> = {}): Budget => ({ id: 'b1', scope: 'key', period: 'day', maxCalls: 2, ...extra });
const at = (iso: string) => Date.parse(iso);

const setup = (start = '2026-11-25T10:00:00.000Z', maxCounters = 1000) => {
  const clock = { ms: at(start) };
  const sut = new BudgetCounter({ maxCounters, now: () => clock.ms });
  return { sut, clock };
};
/** Checks and, when allowed, records: what the proxy does around each call. */
const spend = (sut: BudgetCounter, budgets: Budget[], c = call(), cost?: number) => {
  const decision = sut.check(c, budgets);
  if (decision.allowed) sut.record(c, budgets, cost);
  return decision;
};

describe(BudgetCounter.name, () => {
  it('refuses once maxCalls are used, until the end of the UTC day', () => {
    const { sut, clock } = setup('2026-11-25T22:30:00.000Z');
    const budgets = [budget()];
    expect(spend(sut, budgets).allowed).toBe(true);
    expect(spend(sut, budgets).allowed).toBe(true);
    expect(spend(sut, budgets)).toEqual({ allowed: false, limitId: 'b1', scope: 'key', retryAfterMs: 90 * 60_000 });
    clock.ms = at('2026-11-25T23:59:59.999Z');
    expect(sut.check(call(), budgets)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.ms = at('2026-11-26T00:00:00.000Z');
    expect(spend(sut, budgets).allowed).toBe(true);
  });

  it('refuses the next call once the spent cost reaches maxCost', () => {
    const { sut } = setup();
    const budgets = [budget({ maxCalls: undefined, maxCost: 10 })];
    expect(spend(sut, budgets, call(), 6).allowed).toBe(true);
    expect(spend(sut, budgets, call(), 3.5).allowed).toBe(true);
    expect(spend(sut, budgets, call(), 0.5).allowed).toBe(true);
    expect(sut.check(call(), budgets).allowed).toBe(false);
  });

  it('ignores a negative or non-finite cost', () => {
    const { sut } = setup();
    const budgets = [budget({ maxCalls: undefined, maxCost: 1 })];
    for (const cost of [-5, Number.NaN, Number.POSITIVE_INFINITY]) sut.record(call(), budgets, cost);
    expect(sut.check(call(), budgets).allowed).toBe(true);
  });

  it('adds the control plane’s reported usage to the calls this replica counted since', () => {
    const { sut } = setup();
    const budgets = [budget({ maxCalls: 10, maxCost: 100 })];
    const asked: [string, string, string][] = [];
    let report: BudgetUsage | undefined = { calls: 7, cost: 20 };
    const reported = (budgetId: string, subject: string, periodStart: string) => {
      asked.push([budgetId, subject, periodStart]);
      return report;
    };
    const step = () => {
      const decision = sut.check(call(), budgets, reported);
      if (decision.allowed) sut.record(call(), budgets, 1);
      return decision.allowed;
    };
    expect([step(), step(), step(), step()]).toEqual([true, true, true, false]); // 7 reported + 3 local
    expect(asked[0]).toEqual(['b1', 'vk_alice00000', '2026-11-25']);
    // a new report includes what this replica did; the local count restarts from it
    report = { calls: 8, cost: 21 };
    expect([step(), step(), step()]).toEqual([true, true, false]);
    // cost counts the same way
    report = { calls: 0, cost: 99.5 };
    expect([step(), step()]).toEqual([true, false]);
    // an unchanged report does not forget local calls
    expect(step()).toBe(false);
  });

  it('applies only budgets whose scope subject the call has, per tenant', () => {
    const { sut } = setup();
    const perUser = [budget({ scope: 'user', maxCalls: 1 })];
    for (let i = 0; i < 3; i += 1) expect(spend(sut, perUser, call({ user: undefined })).allowed).toBe(true);
    expect(spend(sut, perUser).allowed).toBe(true);
    expect(spend(sut, perUser).allowed).toBe(false);
    expect(spend(sut, perUser, call({ user: 'bob' })).allowed).toBe(true);
    expect(spend(sut, perUser, call({ tenantId: 'ten_globex00000000' })).allowed).toBe(true);
  });

  it('keeps day, week and month budgets with the same id apart', () => {
    const { sut } = setup('2026-11-23T08:00:00.000Z'); // a Monday, so day and week start together
    const day = [budget({ period: 'day', maxCalls: 1 })];
    const week = [budget({ period: 'week', maxCalls: 1 })];
    expect(spend(sut, day).allowed).toBe(true);
    expect(spend(sut, week).allowed).toBe(true);
    expect(spend(sut, week)).toMatchObject({ allowed: false, retryAfterMs: 7 * 86_400_000 - 8 * 3_600_000 });
  });

  it('names the budget that resets last when several are spent', () => {
    const { sut } = setup('2026-11-25T12:00:00.000Z');
    const budgets = [budget({ id: 'daily', period: 'day', maxCalls: 1 }), budget({ id: 'monthly', scope: 'tenant', period: 'month', maxCalls: 1 })];
    spend(sut, budgets);
    expect(sut.check(call(), budgets)).toEqual({ allowed: false, limitId: 'monthly', scope: 'tenant', retryAfterMs: at('2026-12-01T00:00:00.000Z') - at('2026-11-25T12:00:00.000Z') });
  });

  it('resets a weekly budget on Monday 00:00 UTC and a monthly one on the 1st', () => {
    const { sut, clock } = setup('2026-11-29T23:59:59.000Z'); // Sunday
    const week = [budget({ id: 'w', period: 'week', maxCalls: 1 })];
    const month = [budget({ id: 'm', period: 'month', maxCalls: 1 })];
    spend(sut, week);
    spend(sut, month);
    expect(sut.check(call(), week)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    clock.ms = at('2026-11-30T00:00:00.000Z');
    expect(spend(sut, week).allowed).toBe(true);
    expect(sut.check(call(), month)).toMatchObject({ allowed: false, retryAfterMs: 86_400_000 });
    clock.ms = at('2026-12-01T00:00:00.000Z');
    expect(spend(sut, month).allowed).toBe(true);
  });

  it('stays within maxCounters', () => {
    const { sut } = setup(undefined, 100);
    for (let i = 0; i < 10_000; i += 1) spend(sut, [budget({ scope: 'user' })], call({ user: `u${i % 1000}` }));
    expect(sut.size).toBe(100);
  });
});
