import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startConformanceFixture } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

/** Protocol revision 2026-07-28 with the SDK v2 client: no session, header routing, any replica. */
describe('protocol 2026-07-28 (SDK v2 client)', () => {
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  let proxy: TestProxy;
  const key = virtualKey('vk_modern0000001', ['vsr_modern000001'], { scopes: { virtualServerIds: ['vsr_modern000001'], tools: { allow: ['*'], deny: ['test_error_handling'] }, rateLimits: [] } });

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    proxy = await startTestProxy();
    proxy.publish(
      tenantSnapshot({
        upstreams: [{ id: 'srv_modernfix001', config: { name: 'fixture', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_modern000001', name: 'modern', prefixMode: 'never', upstreams: [{ serverId: 'srv_modernfix001', tools: ['*'] }], anonymousAccess: false }],
        keys: [key.key],
      }),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await fixture?.close();
  });

  it('negotiates 2026-07-28 through server/discover and lists and calls tools without a session', async () => {
    const client = new Client({ name: 'v2-agent', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${proxy.url}/mcp/modern`), { requestInit: { headers: { authorization: `Bearer ${key.secret}` } } }));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('test_simple_text');
    expect(tools.tools.map((t) => t.name)).not.toContain('test_error_handling');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content).toEqual([expect.objectContaining({ type: 'text' })]);
    await client.close();
  });

  it('authorizes from the headers before the body, and refuses a body that disagrees with them', async () => {
    const headers = {
      authorization: `Bearer ${key.secret}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
    };
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
    // a denied tool is refused on its Mcp-Name alone: the body is not even JSON
    const denied = await fetch(`${proxy.url}/mcp/modern`, { method: 'POST', headers: { ...headers, 'mcp-method': 'tools/call', 'mcp-name': 'test_error_handling' }, body: 'not json at all' });
    expect(await denied.json()).toMatchObject({ error: { code: -32003, data: { reason: 'key.tool_not_in_scope' } } });
    const mismatch = await fetch(`${proxy.url}/mcp/modern`, {
      method: 'POST',
      headers: { ...headers, 'mcp-method': 'tools/call', 'mcp-name': 'test_simple_text' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'test_error_handling', arguments: {}, _meta: meta } }),
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ error: { code: -32020 } });
    const noMeta = await fetch(`${proxy.url}/mcp/modern`, {
      method: 'POST',
      headers: { ...headers, 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(noMeta.status).toBe(400);
    expect(await noMeta.json()).toMatchObject({ error: { code: -32602 } });
  });

  it('still lets a v2 client in legacy mode (its default) use the 2025 handshake', async () => {
    const client = new Client({ name: 'v2-legacy', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${proxy.url}/mcp/modern`), { requestInit: { headers: { authorization: `Bearer ${key.secret}` } } }));
    expect(client.getNegotiatedProtocolVersion()).not.toBe('2026-07-28');
    expect((await client.listTools()).tools.length).toBeGreaterThan(3);
    await client.close();
  });
});
