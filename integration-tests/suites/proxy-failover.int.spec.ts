import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrefixMode } from '@mcpgate/contracts';
import { startEverythingServer, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

interface Replicated {
  proxy: TestProxy;
  primary: StartedEverythingServer;
  standby: StartedEverythingServer;
}

/**
 * A proxy in front of one upstream server (server-everything) with two endpoints, `primary` and
 * `standby`, on an anonymous virtual server `everything`; started before the describe's tests and
 * closed after them.
 */
const replicatedUpstream = (suffix: string, prefixMode: PrefixMode): Replicated => {
  const setup = {} as Replicated;
  beforeAll(async () => {
    setup.primary = await startEverythingServer();
    setup.standby = await startEverythingServer();
    setup.proxy = await startTestProxy();
    setup.proxy.publish(
      tenantSnapshot({
        upstreams: [
          {
            id: `srv_replicated${suffix}`,
            config: {
              name: 'everything',
              connection: { transport: 'streamable-http', endpoints: [{ id: 'primary', url: setup.primary.url }, { id: 'standby', url: setup.standby.url }] },
              timeouts: { connectMs: 2_000, callMs: 5_000 },
              healthCheck: { intervalMs: 60_000, timeoutMs: 1_000, unhealthyAfter: 2, healthyAfter: 2 },
              regions: ['eu-west-1'],
            },
          },
        ],
        virtualServers: [{ id: `vsr_replicated${suffix}`, name: 'everything', prefixMode, upstreams: [{ serverId: `srv_replicated${suffix}`, tools: ['*'] }], anonymousAccess: true }],
      }),
    );
  });
  afterAll(async () => {
    await setup.proxy?.close();
    await setup.primary?.close();
    await setup.standby?.close();
  });
  return setup;
};

/** One upstream server with two endpoints; the one sessions opened on is killed while calls run. */
describe('failover between the endpoints of one upstream', () => {
  const setup = replicatedUpstream('01', 'never');

  it('moves sessions to the healthy endpoint when the primary is killed mid-load', async () => {
    const { proxy, primary } = setup;
    const agents = await Promise.all(Array.from({ length: 4 }, () => connectAgent(`${proxy.url}/t/acme/mcp/everything`)));
    let ok = 0;
    const failures: string[] = [];
    const call = async (agent: (typeof agents)[number], i: number) => {
      try {
        const result = await agent.callTool({ name: 'get-sum', arguments: { a: i, b: 1 } });
        if (JSON.stringify(result).includes(`${i + 1}`)) ok += 1;
        else failures.push(JSON.stringify(result));
      } catch (error) {
        failures.push(String(error));
      }
    };
    // load before, during and after the kill
    for (let round = 0; round < 30; round += 1) {
      if (round === 10) primary.kill();
      await Promise.all(agents.map((agent, i) => call(agent, round * 10 + i)));
    }
    // the primary's failures are counted until its circuit opens (2 failures), then every call goes to the standby
    expect(failures.length).toBeLessThanOrEqual(4 * 2);
    expect(failures.every((f) => /unreachable|UpstreamUnavailable|-32004|ECONNREFUSED|did not answer/i.test(f))).toBe(true);
    expect(ok).toBeGreaterThanOrEqual(120 - 8);
    // the last rounds all succeeded
    const after = await Promise.all(agents.map((agent) => agent.callTool({ name: 'get-sum', arguments: { a: 20, b: 22 } })));
    expect(after.every((r) => JSON.stringify(r).includes('42'))).toBe(true);
    const status = (await (await fetch(`${proxy.url}/status`)).json()) as { upstreamEndpoints: { endpoint: string; state: string }[] };
    expect(status.upstreamEndpoints).toContainEqual(expect.objectContaining({ endpoint: 'srv_replicated01/primary', state: 'open' }));
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    expect(metrics).toMatch(/mcpgate_upstream_endpoint_unhealthy\{endpoint="srv_replicated01\/primary",state="open"/);
    for (const agent of agents) await agent.close();
  });
});

/**
 * Retries only where safe: a call that reached no endpoint is sent again on the other endpoint only
 * when the upstream lists the tool as read-only or idempotent (server-everything annotates its
 * tools: `get-sum` read-only and idempotent, `toggle-simulated-logging` neither).
 */
describe('retrying a tool call on another endpoint', () => {
  // on-collision (the default): the tool is resolved through the catalogue, which knows its annotations
  const setup = replicatedUpstream('02', 'on-collision');

  it('sends a read-only tool call again on the standby, but not a tool call that may change something', async () => {
    const { proxy, primary } = setup;
    const agent = await connectAgent(`${proxy.url}/t/acme/mcp/everything`);
    expect(JSON.stringify(await agent.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }))).toContain('3');
    primary.kill();
    // first failure on the primary: not retried, the agent is told the upstream is unavailable
    const unsafe = await agent.callTool({ name: 'toggle-simulated-logging', arguments: {} }).then(
      (result) => ({ ok: JSON.stringify(result) }),
      (error: unknown) => ({ error: String(error) }),
    );
    expect(unsafe).toEqual({ error: expect.stringMatching(/unreachable|-32004|ECONNREFUSED/i) as unknown });
    // second failure on the primary: retried on the standby, the agent gets its answer
    expect(JSON.stringify(await agent.callTool({ name: 'get-sum', arguments: { a: 20, b: 22 } }))).toContain('42');
    // the primary's circuit is open now: every call goes to the standby
    expect(JSON.stringify(await agent.callTool({ name: 'toggle-simulated-logging', arguments: {} }))).not.toContain('isError":true');
    await agent.close();
  });
});
