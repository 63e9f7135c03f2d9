import { runConformanceSuite, startConformanceFixture, startRoundRobinBalancer } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

/**
 * The official MCP conformance suite (server side) through the proxy, in front of the project's
 * conformance fixture: once through one proxy, once through two replicas behind a round-robin
 * balancer with no stickiness (any replica serves any request of any session).
 */
describe('MCP conformance through the proxy', () => {
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  const proxies: TestProxy[] = [];

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    const snapshot = tenantSnapshot({
      upstreams: [{ id: 'srv_fixture00001', config: { name: 'fixture', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] }, regions: ['eu-west-1'] } }],
      virtualServers: [{ id: 'vsr_conformance01', name: 'conformance', prefixMode: 'never', upstreams: [{ serverId: 'srv_fixture00001', tools: ['*'] }], anonymousAccess: true }],
    });
    for (const proxyId of ['replica-a', 'replica-b']) {
      const proxy = await startTestProxy({ proxyId });
      proxy.publish(snapshot);
      proxies.push(proxy);
    }
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await fixture?.close();
  });

  it('serves an SDK client through the proxy', async () => {
    const client = await connectAgent(`${proxies[0]!.url}/t/acme/mcp/conformance`);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('test_simple_text');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([expect.objectContaining({ type: 'text' })]);
    await client.close();
  });

  it('passes every scenario through one proxy', async () => {
    const result = await runConformanceSuite({ url: `${proxies[0]!.url}/t/acme/mcp/conformance`, timeoutMs: 180_000 });
    console.log(`conformance (through one proxy): ${result.passed}/${result.passed + result.failed} checks`);
    expect(result.scenarios.filter((s) => s.failed > 0)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.scenarios.length).toBeGreaterThanOrEqual(30);
  }, 200_000);

  it('passes every scenario through two replicas behind a round-robin balancer', async () => {
    const balancer = await startRoundRobinBalancer(proxies.map((p) => p.url));
    try {
      const result = await runConformanceSuite({ url: `${balancer.url}/t/acme/mcp/conformance`, timeoutMs: 180_000 });
      console.log(`conformance (two replicas, round robin): ${result.passed}/${result.passed + result.failed} checks`);
      expect(result.scenarios.filter((s) => s.failed > 0)).toEqual([]);
      expect(result.failed).toBe(0);
      expect(result.scenarios.length).toBeGreaterThanOrEqual(30);
      expect(Math.min(...balancer.hits())).toBeGreaterThan(20);
    } finally {
      await balancer.close();
    }
  }, 200_000);
});
