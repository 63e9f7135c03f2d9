import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

/** Opening sessions is limited per caller at the HTTP level: 429 with Retry-After (there is no session to carry a JSON-RPC error yet). */
describe('new-session limit', () => {
  let proxy: TestProxy;
  const first = virtualKey('vk_limited000001', ['vsr_limited00001']);
  const second = virtualKey('vk_limited000002', ['vsr_limited00001']);

  beforeAll(async () => {
    proxy = await startTestProxy({
      extra: { limits: { maxBodyBytes: 1_048_576, sessionLifetimeSeconds: 3600, maxStdioProcesses: 8, stdioIdleSeconds: 60, newSessionsPerSecond: 0.01, newSessionsBurst: 2 } },
    });
    proxy.publish(
      tenantSnapshot({
        upstreams: [{ id: 'srv_unreachable1', config: { name: 'down', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: 'http://127.0.0.1:9/mcp' }] }, timeouts: { connectMs: 500, callMs: 1000 }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_limited00001', name: 'limited', prefixMode: 'never', upstreams: [{ serverId: 'srv_unreachable1', tools: ['*'] }], anonymousAccess: false }],
        keys: [first.key, second.key],
      }),
    );
  });
  afterAll(async () => proxy?.close());

  const initialize = (secret: string) =>
    fetch(`${proxy.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });

  it('answers 429 with Retry-After once a key opened its burst of sessions, and counts each key apart', async () => {
    for (let i = 0; i < 2; i += 1) expect((await initialize(first.secret)).status).toBe(200);
    const refused = await initialize(first.secret);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: -32029, data: { reason: 'limit.new_sessions' } } });
    expect((await initialize(second.secret)).status).toBe(200);
  });
});
