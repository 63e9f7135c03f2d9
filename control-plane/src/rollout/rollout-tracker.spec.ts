import type { ProxyReport } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { RolloutTracker } from './rollout-tracker.js';

const TENANT = 'ten_acme0000000000';
const v = (hash: string, offset: number) => ({ logPosition: `0:${offset}`, contentHash: hash.repeat(64) });

const report = (proxyId: string, region: string, hash: string | undefined, extra: Partial<ProxyReport> = {}): ProxyReport => ({
  schemaVersion: 1,
  proxyId,
  region,
  startedAt: '2026-11-25T10:00:00.000Z',
  reportedAt: '2026-11-25T10:00:10.000Z',
  intervalSeconds: 10,
  snapshots: hash ? [{ tenantId: TENANT, version: v(hash, 1), appliedAt: '2026-11-25T10:00:05.000Z' }] : [],
  endpoints: [],
  ...extra,
});

describe(RolloutTracker.name, () => {
  it('tells per region which live proxies enforce the latest published snapshot', () => {
    let now = 0;
    const sut = new RolloutTracker(() => now);
    sut.publishedSnapshot(TENANT, v('a', 1), new Date('2026-11-25T10:00:00Z'));
    expect(sut.accept(report('eu-1', 'eu-west-1', 'a'))).toEqual({ ok: true });
    expect(sut.accept(report('us-1', 'us-east-1', 'a'))).toEqual({ ok: true });
    expect(sut.rollout(TENANT)).toMatchObject({ enforcedEverywhere: true, regions: [{ region: 'eu-west-1', enforced: true }, { region: 'us-east-1', enforced: true }] });

    sut.publishedSnapshot(TENANT, v('b', 2), new Date('2026-11-25T10:01:00Z'));
    sut.accept(report('eu-1', 'eu-west-1', 'b'));
    const partly = sut.rollout(TENANT);
    expect(partly.enforcedEverywhere).toBe(false);
    expect(partly.regions.map((r) => [r.region, r.enforced, r.proxies.map((p) => p.current)])).toEqual([
      ['eu-west-1', true, [true]],
      ['us-east-1', false, [false]],
    ]);

    // us-1 goes silent for more than three intervals: stale, and no longer holds its region back
    sut.accept(report('us-2', 'us-east-1', 'b'));
    now = 31_000;
    sut.accept(report('eu-1', 'eu-west-1', 'b'));
    sut.accept(report('us-2', 'us-east-1', 'b'));
    expect(sut.rollout(TENANT).regions[1]!.proxies.map((p) => [p.proxyId, p.stale])).toEqual([
      ['us-1', true],
      ['us-2', false],
    ]);
    expect(sut.rollout(TENANT).enforcedEverywhere).toBe(true);
  });

  it('is not enforced anywhere before any proxy reports the tenant, nor with nothing published', () => {
    const sut = new RolloutTracker();
    sut.accept(report('eu-1', 'eu-west-1', 'a'));
    expect(sut.rollout(TENANT)).toMatchObject({ latest: undefined, enforcedEverywhere: false, regions: [{ enforced: false }] });
    expect(sut.rollout('ten_other000000000')).toMatchObject({ enforcedEverywhere: false, regions: [] });
  });

  it('keeps the newest live tool list per server and each endpoint per proxy; other tenants see none of it', () => {
    const sut = new RolloutTracker();
    const endpoint = (tools: string[], listedAt: string) => ({ tenantId: TENANT, upstreamServerId: 'srv_github000001', endpointId: 'main', health: 'healthy' as const, tools: tools.map((name) => ({ name })), listedAt });
    sut.accept(report('eu-1', 'eu-west-1', 'a', { endpoints: [endpoint(['old'], '2026-11-25T09:00:00.000Z')] }));
    sut.accept(report('us-1', 'us-east-1', 'a', { endpoints: [endpoint(['new', 'newer'], '2026-11-25T09:30:00.000Z')] }));
    expect(sut.latestTools(TENANT, 'srv_github000001')).toMatchObject({ proxyId: 'us-1', tools: [{ name: 'new' }, { name: 'newer' }] });
    expect(sut.catalogue(TENANT, 'srv_github000001').map((e) => e.proxyId)).toEqual(['eu-1', 'us-1']);
    expect(sut.catalogue('ten_other000000000', 'srv_github000001')).toEqual([]);
  });

  it('counts and ignores what is not a report, and tells watchers which tenants changed', () => {
    const sut = new RolloutTracker();
    const changed: string[][] = [];
    const unwatch = sut.watch((tenants) => changed.push([...tenants]));
    expect(sut.accept({ proxyId: 'x' })).toMatchObject({ ok: false });
    expect(sut.accept(undefined)).toMatchObject({ ok: false });
    expect(sut.rejectedReports).toBe(2);
    sut.accept(report('eu-1', 'eu-west-1', 'a'));
    sut.publishedSnapshot(TENANT, v('b', 2), new Date());
    unwatch();
    sut.publishedSnapshot(TENANT, v('c', 3), new Date());
    expect(changed).toEqual([[TENANT], [TENANT]]);
  });
});
