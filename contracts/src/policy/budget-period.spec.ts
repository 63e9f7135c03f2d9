import { describe, expect, it } from 'vitest';
import { budgetPeriod } from './budget-period.js';
import type { Budget } from './policy-rules.js';

const at = (iso: string) => Date.parse(iso);

describe(budgetPeriod.name, () => {
  const period = (kind: Budget['period'], iso: string) => {
    const p = budgetPeriod(kind, at(iso));
    return { start: p.start, from: new Date(p.startMs).toISOString(), to: new Date(p.endMs).toISOString() };
  };

  it('is the UTC calendar day', () => {
    expect(period('day', '2026-11-25T00:00:00.000Z')).toEqual({ start: '2026-11-25', from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' });
    expect(period('day', '2026-11-25T23:59:59.999Z').to).toBe('2026-11-26T00:00:00.000Z');
    expect(period('day', '2026-12-31T18:00:00.000Z').to).toBe('2027-01-01T00:00:00.000Z');
    // a local evening in New York is already the next UTC day
    expect(period('day', '2026-11-25T21:00:00.000-05:00').start).toBe('2026-11-26');
  });

  it('is the ISO week, Monday to Sunday, across month and year ends', () => {
    expect(period('week', '2026-11-23T00:00:00.000Z')).toEqual({ start: '2026-11-23', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }); // Monday
    expect(period('week', '2026-11-29T23:59:59.999Z').start).toBe('2026-11-23'); // Sunday
    expect(period('week', '2026-12-02T12:00:00.000Z').start).toBe('2026-11-30'); // Wednesday, week began last month
    expect(period('week', '2027-01-01T12:00:00.000Z')).toEqual({ start: '2026-12-28', from: '2026-12-28T00:00:00.000Z', to: '2027-01-04T00:00:00.000Z' });
  });

  it('is the calendar month, whatever its length, across the year end', () => {
    expect(period('month', '2026-01-31T23:59:59.999Z')).toEqual({ start: '2026-01-01', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(period('month', '2026-02-14T00:00:00.000Z').to).toBe('2026-03-01T00:00:00.000Z'); // 28 days
    expect(period('month', '2028-02-29T12:00:00.000Z')).toMatchObject({ start: '2028-02-01', to: '2028-03-01T00:00:00.000Z' }); // leap year
    expect(period('month', '2026-04-30T12:00:00.000Z').to).toBe('2026-05-01T00:00:00.000Z'); // 30 days
    expect(period('month', '2026-12-31T23:59:59.999Z')).toEqual({ start: '2026-12-01', from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  });
});
