import { describe, expect, it } from 'vitest';
import { AuditFilterProblem, filtersFromParams, filtersToParams, toAuditFilter, toTailFilter } from './audit-filters';

const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('audit filters ↔ URL', () => {
  it('reads every filter from the query string and writes the same query string back', () => {
    const query = 'range=custom&from=2026-11-01T00%3A00&to=2026-11-02T00%3A00&principal=ada&key=k1&tool=github__create_issue&server=s1&vserver=v1&outcome=denied&region=eu-west-1&policy=0%3A42&kind=TOOL_CALL';
    const sut = filtersFromParams(new URLSearchParams(query));
    expect(sut).toEqual({
      range: 'custom',
      from: '2026-11-01T00:00',
      to: '2026-11-02T00:00',
      principal: 'ada',
      keyId: 'k1',
      tool: 'github__create_issue',
      server: 's1',
      virtualServer: 'v1',
      outcome: 'denied',
      region: 'eu-west-1',
      policyVersion: '0:42',
      kind: 'TOOL_CALL',
    });
    expect(filtersToParams(sut).toString()).toBe(query);
  });

  it('leaves defaults out of the URL and keeps parameters that are not filters', () => {
    const sut = filtersFromParams(new URLSearchParams('view=charts&from=2026-11-01T00%3A00'));
    expect(sut.range).toBe('24h');
    // a from without a custom range is not a filter, so it leaves the URL
    expect(filtersToParams(sut, new URLSearchParams('view=charts&from=2026-11-01T00%3A00')).toString()).toBe('view=charts');
  });

  it('ignores an unknown range, outcome or kind instead of sending it to the API', () => {
    const sut = filtersFromParams(new URLSearchParams('range=forever&outcome=maybe&kind=OTHER'));
    expect(sut).toMatchObject({ range: '24h', outcome: '', kind: '' });
  });

  it('turns a preset into a from bound relative to now, and every set filter into the API filter', () => {
    const state = filtersFromParams(new URLSearchParams('range=1h&principal=ada&key=k1&tool=echo&server=s1&vserver=v1&outcome=allowed&region=r&policy=0:7&kind=ADMIN'));
    expect(toAuditFilter(state, NOW)).toEqual({
      from: '2026-11-25T11:00:00.000Z',
      principal: { subject: 'ada' },
      keyId: 'k1',
      tool: 'echo',
      upstreamServerId: 's1',
      virtualServerId: 'v1',
      outcome: 'allowed',
      region: 'r',
      policyVersion: '0:7',
      kind: 'ADMIN',
    });
    expect(toAuditFilter(filtersFromParams(new URLSearchParams('range=all')), NOW)).toEqual({});
  });

  it('refuses a custom range that is not a date or ends before it starts, naming the field', () => {
    const bad = filtersFromParams(new URLSearchParams('range=custom&from=yesterday'));
    expect(() => toAuditFilter(bad, NOW)).toThrow(AuditFilterProblem);
    expect(() => toAuditFilter(bad, NOW)).toThrow(/not a date/);
    const backwards = filtersFromParams(new URLSearchParams('range=custom&from=2026-11-02T00:00&to=2026-11-01T00:00'));
    try {
      toAuditFilter(backwards, NOW);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuditFilterProblem);
      expect((error as AuditFilterProblem).field).toBe('to');
    }
  });

  it('follows the live tail without the time window', () => {
    expect(toTailFilter({ from: 'a', to: 'b', tool: 'echo', outcome: 'denied' })).toEqual({ tool: 'echo', outcome: 'denied' });
  });
});
