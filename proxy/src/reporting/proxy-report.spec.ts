import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyReport } from '@mcpgate/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../snapshots/snapshot-store.js';
import { pem, region, signed, signing, snapshot, TENANT } from '../test/snapshots.js';
import { EndpointHealth } from '../upstream/endpoint-health.js';
import { buildProxyReport } from './proxy-report.js';
import { ProxyReporter } from './proxy-reporter.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const upstream = (id: string, endpoints: string[]) => ({
  id,
  config: {
    name: id.slice(4, 10),
    description: '',
    connection: { transport: 'streamable-http' as const, endpoints: endpoints.map((e) => ({ id: e, url: `http://127.0.0.1:1/${e}`, regions: [] })) },
    timeouts: { connectMs: 1_000, callMs: 1_000 },
    healthCheck: { intervalMs: 60_000, timeoutMs: 500, unhealthyAfter: 1, healthyAfter: 1 },
    regions: ['eu-west-1'],
    tags: [],
  },
});

const storeWith = (offset: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgate-report-'));
  dirs.push(dir);
  const store = SnapshotStore.open({ dir, region: 'eu-west-1', trustedSigningKeys: new Map([['cp-1', pem(signing.publicKey, 'spki')]]), regionKey: { keyId: 'eu-west-1/1', privateKeyPem: pem(region.privateKey, 'pkcs8') } });
  expect(store.offer(TENANT, signed(snapshot(offset, { upstreams: [upstream('srv_github000001', ['primary', 'backup']), upstream('srv_jira00000001', ['main'])] })), 'memory')).toEqual({ accepted: true });
  return store;
};

describe(buildProxyReport.name, () => {
  it('reports the enforced snapshot version per tenant and every endpoint with its health and last listed tools, in the contract schema', () => {
    const store = storeWith(7);
    const health = new EndpointHealth();
    const policy = { unhealthyAfter: 1, healthyAfter: 1, openMs: 60_000 };
    health.succeeded('srv_github000001', 'primary', policy);
    health.failed('srv_github000001', 'backup', policy, 'connect ECONNREFUSED 127.0.0.1:1');
    const listedAt = Date.parse('2026-11-25T10:00:00Z');
    const report = buildProxyReport({
      proxyId: 'proxy-eu-1',
      region: 'eu-west-1',
      startedAt: new Date('2026-11-25T09:00:00Z'),
      intervalSeconds: 10,
      store,
      health,
      toolLists: [
        {
          tenantId: TENANT,
          serverId: 'srv_github000001',
          endpointId: 'primary',
          listedAt,
          tools: [
            { name: 'create_issue', description: 'Open an issue', inputSchema: { type: 'object' }, annotations: { destructiveHint: false, title: 'Create issue' } },
            { name: 'search', annotations: { readOnlyHint: true } },
            { description: 'no name: not a tool' },
          ],
        },
        // a tenant this proxy no longer serves is not reported
        { tenantId: 'ten_gone000000000', serverId: 'srv_github000001', endpointId: 'primary', listedAt, tools: [{ name: 'x' }] },
      ],
      now: () => new Date('2026-11-25T10:00:05Z'),
    });
    expect(ProxyReport.parse(report)).toEqual(report);
    expect(report.snapshots).toEqual([{ tenantId: TENANT, version: expect.objectContaining({ logPosition: expect.stringContaining('7') }), appliedAt: expect.any(String) }]);
    expect(report.endpoints).toEqual([
      {
        tenantId: TENANT,
        upstreamServerId: 'srv_github000001',
        endpointId: 'primary',
        health: 'healthy',
        listedAt: '2026-11-25T10:00:00.000Z',
        tools: [
          { name: 'create_issue', title: 'Create issue', description: 'Open an issue', destructive: false },
          { name: 'search', readOnly: true },
        ],
      },
      { tenantId: TENANT, upstreamServerId: 'srv_github000001', endpointId: 'backup', health: 'unhealthy', lastError: 'connect ECONNREFUSED 127.0.0.1:1' },
      { tenantId: TENANT, upstreamServerId: 'srv_jira00000001', endpointId: 'main', health: 'unknown' },
    ]);
    expect(JSON.stringify(report)).not.toContain('inputSchema');
  });
});

describe(ProxyReporter.name, () => {
  it('reports at start, within a second of a snapshot swap, and keeps trying after a failed delivery', async () => {
    let version = 1;
    let failNext = true;
    const sent: number[] = [];
    const logged: string[] = [];
    const sut = new ProxyReporter({
      build: () => ({ version }) as unknown as ProxyReport,
      publish: async (report) => {
        if (failNext) {
          failNext = false;
          throw new Error('broker down');
        }
        sent.push((report as unknown as { version: number }).version);
      },
      intervalMs: 60_000,
      changes: () => version,
      log: (line) => logged.push(String(line['message'])),
    });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    expect(logged).toEqual(['cannot deliver the proxy report; retrying with the next one']);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    version = 2;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sent).toEqual([2]);
    expect(logged.at(-1)).toBe('proxy reports are delivered again');
    await sut.stop();
  });
});
