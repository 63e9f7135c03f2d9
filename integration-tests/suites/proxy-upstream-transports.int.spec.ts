import { createRequire } from 'node:module';
import { startRoundRobinBalancer } from '@mcpgate/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverythingServer, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** The same reference server over each upstream transport, one virtual server over all three. */
describe('upstream transports: stdio, legacy SSE and Streamable HTTP in one virtual server', () => {
  let proxy: TestProxy;
  let second: TestProxy;
  const servers: StartedEverythingServer[] = [];

  beforeAll(async () => {
    const sse = await startEverythingServer({}, 'sse');
    const http = await startEverythingServer();
    servers.push(sse, http);
    proxy = await startTestProxy();
    second = await startTestProxy({ proxyId: 'second' });
    const snapshot =
      tenantSnapshot({
        upstreams: [
          { id: 'srv_everystdio01', config: { name: 'every-stdio', connection: { transport: 'stdio', endpoints: [{ id: 'local', command: process.execPath, args: [everything, 'stdio'] }] }, regions: ['eu-west-1'] } },
          { id: 'srv_everysse0001', config: { name: 'every-sse', connection: { transport: 'sse', endpoints: [{ id: 'main', url: sse.url }] }, regions: ['eu-west-1'] } },
          { id: 'srv_everyhttp001', config: { name: 'every-http', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: http.url }] }, regions: ['eu-west-1'] } },
        ],
        virtualServers: [
          {
            id: 'vsr_alltransport',
            name: 'all',
            prefixMode: 'always',
            upstreams: [
              { serverId: 'srv_everystdio01', tools: ['*'] },
              { serverId: 'srv_everysse0001', tools: ['echo', 'get-sum'] },
              { serverId: 'srv_everyhttp001', tools: ['get-*'] },
            ],
            anonymousAccess: true,
          },
          { id: 'vsr_sseonly00001', name: 'sse-only', prefixMode: 'never', upstreams: [{ serverId: 'srv_everysse0001', tools: ['*'] }], anonymousAccess: true },
        ],
      });
    proxy.publish(snapshot);
    second.publish(snapshot);
  });
  afterAll(async () => {
    await proxy?.close();
    await second?.close();
    for (const server of servers) await server.close();
  });

  it('aggregates three upstreams with prefixed names and routes each call to its upstream', async () => {
    const client = await connectAgent(`${proxy.url}/t/acme/mcp/all`);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['every-stdio__echo', 'every-sse__echo', 'every-sse__get-sum', 'every-http__get-sum']));
    expect(names).not.toContain('every-sse__get-env');
    expect(names.filter((n) => n.startsWith('every-http__')).every((n) => n.startsWith('every-http__get-'))).toBe(true);
    for (const prefix of ['every-stdio', 'every-sse', 'every-http']) {
      const result = await client.callTool({ name: `${prefix}__get-sum`, arguments: { a: 1, b: prefix.length } });
      expect(result).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining(String(1 + prefix.length)) }] });
    }
    // filtered by the virtual server's globs: not callable, whatever the caller's policies say
    const hidden = await client.callTool({ name: 'every-sse__get-env', arguments: {} }).catch((error: unknown) => error);
    expect(String(hidden)).toMatch(/Unknown tool/);
    await client.close();
  });

  it('speaks to a legacy SSE upstream for prompts and resources too', async () => {
    const client = await connectAgent(`${proxy.url}/t/acme/mcp/sse-only`);
    const prompts = await client.listPrompts();
    expect(prompts.prompts.length).toBeGreaterThan(0);
    const resources = await client.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const first = resources.resources[0]!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]).toMatchObject({ uri: first.uri });
    await client.close();
  });

  it('serves legacy HTTP+SSE agents (GET /sse, POST /messages), also through two round-robin replicas', async () => {
    const balancer = await startRoundRobinBalancer([proxy.url, second.url]);
    try {
      for (const base of [proxy.url, balancer.url]) {
        const client = new Client({ name: 'legacy-agent', version: '1.0.0' });
        await client.connect(new SSEClientTransport(new URL(`${base}/t/acme/sse/all`)));
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain('every-http__get-sum');
        for (let i = 0; i < 4; i += 1) {
          const result = await client.callTool({ name: 'every-stdio__echo', arguments: { message: `legacy ${i}` } });
          expect(result).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining(`legacy ${i}`) }] });
        }
        await client.close();
      }
      expect(Math.min(...balancer.hits())).toBeGreaterThan(2);
    } finally {
      await balancer.close();
    }
  });
});
