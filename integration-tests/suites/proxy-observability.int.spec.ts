import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '@mcpgate/contracts';
import { startConformanceFixture } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

/** Trace context from the agent through the proxy to the upstream, and the same trace id in the audit event. */
describe('tracing through the proxy', () => {
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  let spy: Server;
  const seen: string[] = [];
  let proxy: TestProxy;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    const target = new URL(fixture.url);
    // a pass-through in front of the upstream that records the traceparent of every request
    spy = createServer((req, res) => {
      if (typeof req.headers.traceparent === 'string') seen.push(req.headers.traceparent);
      const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    const spyUrl = `http://127.0.0.1:${(spy.address() as AddressInfo).port}/mcp`;
    proxy = await startTestProxy();
    proxy.publish(
      tenantSnapshot({
        upstreams: [{ id: 'srv_traced000001', config: { name: 'traced', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: spyUrl }] }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_traced000001', name: 'traced', prefixMode: 'never', upstreams: [{ serverId: 'srv_traced000001', tools: ['*'] }], anonymousAccess: true }],
      }),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    spy?.closeAllConnections();
    spy?.close();
    await fixture?.close();
  });

  it('continues the agent trace upstream and records its trace id in the audit event', async () => {
    const url = `${proxy.url}/t/acme/mcp/traced`;
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
    const init = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) });
    const session = init.headers.get('mcp-session-id')!;
    const traceId = 'a'.repeat(31) + 'b';
    const agentSpan = '1234567890abcdef';
    const call = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': session, traceparent: `00-${traceId}-${agentSpan}-01` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_simple_text', arguments: {} } }),
    });
    expect(await call.text()).toContain('result');
    const upstreamHop = seen.find((header) => header.includes(traceId));
    expect(upstreamHop).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // the upstream sees the proxy's own span as parent, not the agent's
    expect(upstreamHop).not.toContain(agentSpan);
    const audit = (proxy.proxy.audit as unknown as { events: AuditEvent[] }).events;
    expect(audit.find((e) => e.tool === 'test_simple_text')).toMatchObject({ traceId, decision: { outcome: 'allowed' } });
  });
});
