import { describe, expect, it } from 'vitest';
import { actorLabel, changesPerDay, chartSummary } from './activity-chart-data';

describe(changesPerDay.name, () => {
  it('counts changes per UTC day over the window, empty days included, oldest first', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const sut = changesPerDay([{ time: '2026-11-25T01:00:00Z' }, { time: '2026-11-25T23:00:00Z' }, { time: '2026-11-23T10:00:00Z' }, { time: '2026-10-01T10:00:00Z' }], 3, now);
    expect(sut).toEqual([
      { day: '2026-11-23', changes: 1 },
      { day: '2026-11-24', changes: 0 },
      { day: '2026-11-25', changes: 2 },
    ]);
    expect(chartSummary(sut)).toBe('Admin changes per day over the last 3 days: 3 in total, most on 2026-11-25 (2)');
  });

  it('names the actor of a change', () => {
    expect(actorLabel({ kind: 'user', subject: 'ada', displayName: 'Ada' })).toBe('Ada');
    expect(actorLabel({ kind: 'system', component: 'quickstart' })).toBe('system (quickstart)');
  });
});
