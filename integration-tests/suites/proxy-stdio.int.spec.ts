import { createRequire } from 'node:module';
import { startRoundRobinBalancer } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, sealSecret, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** server-everything as a stdio upstream: children per session on the session's home replica. */
describe('stdio upstreams through the proxy', () => {
  const proxies: TestProxy[] = [];
  const snapshot = tenantSnapshot({
    upstreams: [
      {
        id: 'srv_everything001',
        config: {
          name: 'everything',
          connection: { transport: 'stdio', endpoints: [{ id: 'local', command: process.execPath, args: [everything, 'stdio'], env: { PLAIN_SETTING: 'visible' } }] },
          credential: { credentialId: 'cred_stdiotoken01', inject: { as: 'env', name: 'UPSTREAM_TOKEN' } },
          regions: ['eu-west-1'],
        },
      },
    ],
    virtualServers: [{ id: 'vsr_everything01', name: 'everything', prefixMode: 'never', upstreams: [{ serverId: 'srv_everything001', tools: ['*'] }], anonymousAccess: true }],
    secrets: [sealSecret('cred_stdiotoken01', 'stdio-upstream-secret')],
  });

  beforeAll(async () => {
    for (const proxyId of ['stdio-a', 'stdio-b']) {
      const proxy = await startTestProxy({ proxyId });
      proxy.publish(snapshot);
      proxies.push(proxy);
    }
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
  });

  it('lists and calls tools, injects the credential into the child only, and keeps the proxy environment out', async () => {
    process.env['MCPGATE_REGION_KEY'] = 'must-not-leak';
    const client = await connectAgent(`${proxies[0]!.url}/t/acme/mcp/everything`);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env']));
    expect(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } })).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('42') }] });
    const env = JSON.stringify(await client.callTool({ name: 'get-env', arguments: {} }));
    expect(env).toContain('stdio-upstream-secret');
    expect(env).toContain('visible');
    expect(env).not.toContain('must-not-leak');
    await client.close();
  });

  it('serves one session through two replicas: requests reach the home replica that holds the child', async () => {
    const balancer = await startRoundRobinBalancer(proxies.map((p) => p.url));
    const children = async () => Promise.all(proxies.map(async (p) => ((await (await fetch(`${p.url}/status`)).json()) as { stdioChildren: number }).stdioChildren));
    const before = await children();
    try {
      const client = await connectAgent(`${balancer.url}/t/acme/mcp/everything`);
      for (let i = 0; i < 6; i += 1) {
        const result = await client.callTool({ name: 'echo', arguments: { message: `hop ${i}` } });
        expect(result).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining(`hop ${i}`) }] });
      }
      expect(Math.min(...balancer.hits())).toBeGreaterThan(2);
      // one child for the session, on one replica: the other relayed instead of starting its own
      const after = await children();
      expect(after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBe(1);
      await client.close();
    } finally {
      await balancer.close();
    }
  });

  it('keeps a session going when its home replica is gone: another replica starts the child afresh', async () => {
    const home = await startTestProxy({ proxyId: 'stdio-home' });
    home.publish(snapshot);
    const client = await connectAgent(`${home.url}/t/acme/mcp/everything`);
    expect((await client.listTools()).tools.length).toBeGreaterThan(5);
    const sessionId = (client.transport as unknown as { sessionId: string }).sessionId;
    await home.close();
    const other = await fetch(`${proxies[1]!.url}/t/acme/mcp/everything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { message: 'adopted' } } }),
    });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('adopted');
  });
});
