/**
 * Agents against the proxy, part 1: virtual keys, sessions and malformed input, on the wire and
 * through the MCP SDK client. Real peers only: `server-everything` (Streamable HTTP, a child
 * process) and the conformance fixture as upstreams, a real proxy in front.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PolicySnapshot, SnapshotVirtualKey } from '@mcpgate/contracts';
import { startConformanceFixture, type StartedConformanceFixture } from '@mcpgate/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpUpstream, mcpHeaders, rawHttp, rawInitialize, rawRpc, startEverythingServer, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

const EVERYTHING = 'srv_everything0001';
const FIXTURE = 'srv_fixture000001';
const VS_TOOLS = 'vsr_tools00000001';
const VS_OTHER = 'vsr_other00000001';
const VS_OPEN = 'vsr_open000000001';
const VS_CONF = 'vsr_conf000000001';

/** A well-formed key secret no snapshot holds. */
const strangerSecret = () => `mcpg_${randomBytes(30).toString('hex').slice(0, 40)}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('agents against the proxy: virtual keys, sessions, malformed input', () => {
  let everything: StartedEverythingServer;
  let fixture: StartedConformanceFixture;
  let gw: TestProxy;
  const main = virtualKey('vk_main000000001', [VS_TOOLS]);
  const other = virtualKey('vk_other00000001', [VS_TOOLS]);
  const multi = virtualKey('vk_multi00000001', [VS_TOOLS, VS_OTHER]);
  const expired = virtualKey('vk_expired000001', [VS_TOOLS], { expiresAt: new Date(Date.now() - 60_000).toISOString() });
  const revocable = virtualKey('vk_revocable0001', [VS_TOOLS]);
  const conf = virtualKey('vk_conf000000001', [VS_CONF]);
  const standardKeys = (): SnapshotVirtualKey[] => [main.key, other.key, multi.key, expired.key, revocable.key, conf.key];

  const acme = (keys: SnapshotVirtualKey[] = standardKeys()): PolicySnapshot =>
    tenantSnapshot({
      upstreams: [httpUpstream(EVERYTHING, 'everything', everything.url), httpUpstream(FIXTURE, 'fixture', fixture.url)],
      virtualServers: [
        { id: VS_TOOLS, name: 'tools', prefixMode: 'never', upstreams: [{ serverId: EVERYTHING, tools: ['*'] }], anonymousAccess: false },
        { id: VS_OTHER, name: 'other', prefixMode: 'never', upstreams: [{ serverId: EVERYTHING, tools: ['echo'] }], anonymousAccess: false },
        { id: VS_OPEN, name: 'open', prefixMode: 'never', upstreams: [{ serverId: EVERYTHING, tools: ['echo', 'get-sum'] }], anonymousAccess: true },
        { id: VS_CONF, name: 'conf', prefixMode: 'never', upstreams: [{ serverId: FIXTURE, tools: ['*'] }], anonymousAccess: false },
      ],
      keys,
    });

  beforeAll(async () => {
    [everything, fixture, gw] = await Promise.all([
      startEverythingServer(),
      startConformanceFixture(),
      startTestProxy({ extra: { limits: { maxBodyBytes: 65_536, sessionLifetimeSeconds: 3600, maxStdioProcesses: 8, stdioIdleSeconds: 60 } } }),
    ]);
    gw.publish(acme());
    gw.publish(
      tenantSnapshot({
        tenantId: 'ten_globex00000000',
        slug: 'globex',
        upstreams: [httpUpstream('srv_globexevery01', 'everything', everything.url)],
        virtualServers: [{ id: 'vsr_globextools01', name: 'tools', prefixMode: 'never', upstreams: [{ serverId: 'srv_globexevery01', tools: ['*'] }], anonymousAccess: false }],
      }),
    );
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([everything?.close(), fixture?.close()]);
  });

  const clients: Client[] = [];
  /** An SDK client, closed after the test whatever happens. */
  const agent = async (url: string, secret?: string) => {
    const client = await connectAgent(url, secret);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  });

  const initParams = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-agent', version: '1.0.0' } };

  describe('virtual keys', () => {
    it('answers 401 with a WWW-Authenticate challenge when /mcp carries no credential', async () => {
      const res = await rawRpc(`${gw.url}/mcp`, 'initialize', initParams);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'auth.credentials_missing' } });
    });

    it('answers 401 auth.key_unknown to a well-formed key no snapshot holds, and auth.key_malformed to a mangled one', async () => {
      const unknown = await rawRpc(`${gw.url}/mcp`, 'initialize', initParams, { bearer: strangerSecret() });
      expect(unknown.status).toBe(401);
      expect(unknown.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(unknown.json?.error?.data).toEqual({ reason: 'auth.key_unknown' });
      const mangled = await rawRpc(`${gw.url}/mcp`, 'initialize', initParams, { bearer: 'mcpg_short!' });
      expect(mangled.status).toBe(401);
      expect(mangled.json?.error?.data).toEqual({ reason: 'auth.key_malformed' });
    });

    it('answers 401 auth.key_expired to a key whose expiresAt has passed', async () => {
      const res = await rawRpc(`${gw.url}/mcp`, 'initialize', initParams, { bearer: expired.secret });
      expect(res.status).toBe(401);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'auth.key_expired' } });
    });

    it('serves a good key on /mcp, /mcp/<vs> and /t/<tenant>/mcp/<vs>', async () => {
      for (const path of ['/mcp', '/mcp/tools', '/t/acme/mcp/tools']) {
        const client = await agent(`${gw.url}${path}`, main.secret);
        const result = await client.callTool({ name: 'echo', arguments: { message: `via ${path}` } });
        expect(result.content).toEqual([{ type: 'text', text: `Echo: via ${path}` }]);
      }
    });

    it('refuses a revoked key on the next request of an open session, as soon as the snapshot without it arrives', async () => {
      const url = `${gw.url}/mcp/tools`;
      const session = await rawInitialize(url, revocable.secret);
      const client = await agent(url, revocable.secret);
      expect((await rawRpc(url, 'tools/list', {}, { bearer: revocable.secret, session })).status).toBe(200);
      await client.listTools();
      try {
        gw.publish(acme(standardKeys().filter((k) => k.id !== revocable.key.id)));
        const res = await rawRpc(url, 'tools/list', {}, { bearer: revocable.secret, session });
        expect(res.status).toBe(401);
        expect(res.json?.error?.data).toEqual({ reason: 'auth.key_unknown' });
        await expect(client.callTool({ name: 'echo', arguments: { message: 'after revocation' } })).rejects.toMatchObject({ code: 401 });
        // the other keys of the tenant are untouched
        expect((await rawRpc(`${gw.url}/mcp`, 'initialize', initParams, { bearer: main.secret })).status).toBe(200);
      } finally {
        gw.publish(acme());
      }
    });

    it('accepts the previous secret of a rotated key until previousSecretValidUntil, then refuses it with auth.key_expired', async () => {
      // a rotation as the control plane makes it: a new secret (with its own prefix), the previous hash second
      const previous = virtualKey('vk_rotated000001', [VS_TOOLS]);
      const next = virtualKey('vk_rotated000001', [VS_TOOLS]);
      const graceEnds = Date.now() + 1_500;
      const rotated: SnapshotVirtualKey = {
        ...next.key,
        secretHashes: [sha256(next.secret), sha256(previous.secret)],
        previousSecretValidUntil: new Date(graceEnds).toISOString(),
      };
      gw.publish(acme([...standardKeys(), rotated]));
      try {
        const url = `${gw.url}/mcp/tools`;
        const duringGraceOld = await rawRpc(url, 'initialize', initParams, { bearer: previous.secret });
        const duringGraceNew = await rawRpc(url, 'initialize', initParams, { bearer: next.secret });
        expect(duringGraceNew.status).toBe(200);
        expect(duringGraceOld.status, `previous secret during the grace period: ${duringGraceOld.text}`).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds - Date.now()) + 100));
        const afterGraceOld = await rawRpc(url, 'initialize', initParams, { bearer: previous.secret });
        expect(afterGraceOld.status).toBe(401);
        expect(afterGraceOld.json?.error?.data).toEqual({ reason: 'auth.key_expired' });
        expect((await rawRpc(url, 'initialize', initParams, { bearer: next.secret })).status).toBe(200);
      } finally {
        gw.publish(acme());
      }
    });

    it('refuses a key on a virtual server outside its scope with 403 key.virtual_server_not_in_scope', async () => {
      const res = await rawRpc(`${gw.url}/mcp/other`, 'initialize', initParams, { bearer: main.secret });
      expect(res.status).toBe(403);
      expect(res.json?.error).toMatchObject({ code: -32003, data: { reason: 'key.virtual_server_not_in_scope' } });
      const tenantRoute = await rawRpc(`${gw.url}/t/acme/mcp/other`, 'initialize', initParams, { bearer: main.secret });
      expect(tenantRoute.status).toBe(403);
    });

    it('answers 400 route.virtual_server_ambiguous when a key reaching several virtual servers calls /mcp, and serves it on /mcp/<vs>', async () => {
      const res = await rawRpc(`${gw.url}/mcp`, 'initialize', initParams, { bearer: multi.secret });
      expect(res.status).toBe(400);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'route.virtual_server_ambiguous' } });
      expect(res.json?.error?.message).toMatch(/tools.*other|other.*tools/);
      const client = await agent(`${gw.url}/mcp/other`, multi.secret);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    });

    it('lets agents in without credentials only where the virtual server allows anonymous access', async () => {
      const closed = await rawRpc(`${gw.url}/t/acme/mcp/tools`, 'initialize', initParams);
      expect(closed.status).toBe(401);
      expect(closed.json?.error?.data).toEqual({ reason: 'auth.credentials_missing' });
      const client = await agent(`${gw.url}/t/acme/mcp/open`);
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo', 'get-sum']);
      expect(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } })).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('42') }] });
    });

    it("refuses one tenant's key on another tenant's route", async () => {
      const res = await rawRpc(`${gw.url}/t/globex/mcp/tools`, 'initialize', initParams, { bearer: main.secret });
      expect(res.status).toBe(401);
      expect(res.json?.error?.data).toEqual({ reason: 'auth.key_unknown' });
    });
  });

  describe('sessions', () => {
    const url = () => `${gw.url}/mcp/tools`;

    it('answers 400 to tools/list without Mcp-Session-Id', async () => {
      const res = await rawRpc(url(), 'tools/list', {}, { bearer: main.secret });
      expect(res.status).toBe(400);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.session_missing' } });
    });

    it('answers 404 to a garbage, a forged and a tampered session id', async () => {
      const real = await rawInitialize(url(), main.secret);
      const [prefix, tag, sealed] = real.split('.');
      expect(prefix).toBe('mcpg1');
      const forged = `${prefix}.${tag}.${randomBytes(Buffer.from(sealed!, 'base64url').length).toString('base64url')}`;
      const flipped = sealed!.slice(0, 20) + (sealed![20] === 'A' ? 'B' : 'A') + sealed!.slice(21);
      for (const session of ['not-a-session', forged, `${prefix}.${tag}.${flipped}`, `${prefix}.${tag}`, `${prefix}.nokey123.${sealed}`]) {
        const res = await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session });
        expect(res.status, session).toBe(404);
        expect(res.json?.error).toMatchObject({ code: -32001, data: { reason: 'mcp.session_not_found' } });
      }
      expect((await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session: real })).status).toBe(200);
    });

    it('answers 404 to a session id that differs from the issued one only by characters base64url decoding skips', async () => {
      const real = await rawInitialize(url(), main.secret);
      const [prefix, tag, sealed] = real.split('.');
      // the same bytes under a different id: one trailing character, or a character outside the alphabet
      for (const session of [`${real}x`, `${prefix}.${tag}.${sealed!.slice(0, 10)}*${sealed!.slice(10)}`]) {
        const res = await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session });
        expect(res.status, `${session.slice(0, 30)}…${session.slice(-12)} was accepted as a session id`).toBe(404);
      }
    });

    it('answers 404 when a session opened with one key is used with another', async () => {
      const session = await rawInitialize(url(), main.secret);
      const res = await rawRpc(url(), 'tools/call', { name: 'echo', arguments: { message: 'hijack' } }, { bearer: other.secret, session });
      expect(res.status).toBe(404);
      expect(res.json?.error?.code).toBe(-32001);
      // and on another virtual server of the same key holder
      const elsewhere = await rawRpc(`${gw.url}/mcp/other`, 'tools/list', {}, { bearer: multi.secret, session });
      expect(elsewhere.status).toBe(404);
    });

    it('ends the session on DELETE: a later tools/call is answered 404 (server-everything upstream)', async () => {
      const session = await rawInitialize(url(), main.secret);
      const before = await rawRpc(url(), 'tools/call', { name: 'echo', arguments: { message: 'before' } }, { bearer: main.secret, session });
      expect(before.status).toBe(200);
      expect(before.json?.result).toMatchObject({ content: [{ type: 'text', text: 'Echo: before' }] });
      const deleted = await rawHttp(url(), { method: 'DELETE', headers: mcpHeaders({ bearer: main.secret, session }) });
      expect(deleted.status).toBe(200);
      const after = await rawRpc(url(), 'tools/call', { name: 'echo', arguments: { message: 'after' } }, { bearer: main.secret, session });
      expect(after.status, `tools/call after DELETE: ${after.text}`).toBe(404);
      expect(after.json?.error?.code).toBe(-32001);
    });

    it('ends the session on DELETE: a later tools/list is answered 404 (server-everything upstream)', async () => {
      const session = await rawInitialize(url(), main.secret);
      expect((await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session })).status).toBe(200);
      expect((await rawHttp(url(), { method: 'DELETE', headers: mcpHeaders({ bearer: main.secret, session }) })).status).toBe(200);
      const after = await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session });
      expect(after.status, `tools/list after DELETE: ${after.text.slice(0, 300)}`).toBe(404);
      expect(after.json?.error?.code).toBe(-32001);
    });

    it('passes on the upstream 404 after DELETE (conformance fixture upstream), and the SDK client sees it', async () => {
      const confUrl = `${gw.url}/mcp/conf`;
      const session = await rawInitialize(confUrl, conf.secret);
      expect((await rawRpc(confUrl, 'tools/call', { name: 'test_simple_text', arguments: {} }, { bearer: conf.secret, session })).status).toBe(200);
      expect((await rawHttp(confUrl, { method: 'DELETE', headers: mcpHeaders({ bearer: conf.secret, session }) })).status).toBe(200);
      const after = await rawRpc(confUrl, 'tools/call', { name: 'test_simple_text', arguments: {} }, { bearer: conf.secret, session });
      expect({ status: after.status, code: after.json?.error?.code }).toEqual({ status: 404, code: -32001 });

      const client = await agent(confUrl, conf.secret);
      await client.callTool({ name: 'test_simple_text', arguments: {} });
      const transport = client.transport;
      expect(transport).toBeInstanceOf(StreamableHTTPClientTransport);
      await (transport as StreamableHTTPClientTransport).terminateSession();
      await expect(client.callTool({ name: 'test_simple_text', arguments: {} })).rejects.toBeInstanceOf(StreamableHTTPError);
    });
  });

  describe('malformed input', () => {
    const url = () => `${gw.url}/mcp/tools`;
    const post = (body: string | Buffer, headers: Record<string, string> = mcpHeaders({ bearer: main.secret }), chunked = false) =>
      rawHttp(url(), { method: 'POST', headers, body, chunked });

    it('answers 400 with -32700 to a body that is not JSON', async () => {
      const res = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, data: { reason: 'mcp.parse_error' } } });
    });

    it('answers 400 with -32600 to a message that is not JSON-RPC 2.0', async () => {
      const res = await post('{"jsonrpc":"1.0"}');
      expect(res.status).toBe(400);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.invalid_message' } });
      const noMethod = await post('{"jsonrpc":"2.0","id":7,"params":{}}');
      expect(noMethod.status).toBe(400);
      expect(noMethod.json?.error?.code).toBe(-32600);
    });

    it('answers 400 to a JSON-RPC batch in a session of a revision without batches (2025-06-18 on)', async () => {
      const session = await rawInitialize(url(), main.secret);
      const res = await post(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', id: 2, method: 'ping' }]), mcpHeaders({ bearer: main.secret, session }));
      expect(res.status).toBe(400);
      expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.batch_not_supported' } });
      const sessionless = await post(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }]));
      expect(sessionless.status).toBe(400);
      expect(sessionless.json?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.session_missing' } });
    });

    it('answers a JSON-RPC batch of a 2025-03-26 session with one JSON array: every request answered by id, notifications and bad elements as JSON-RPC says', async () => {
      const session = await rawInitialize(url(), main.secret, '2025-03-26');
      const headers = mcpHeaders({ bearer: main.secret, session });
      const res = await post(
        JSON.stringify([
          { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'echo', arguments: { message: 'batched' } } },
          { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
          { jsonrpc: '2.0', id: 'b', method: 'ping' },
          { jsonrpc: '1.0', id: 'c', method: 'ping' },
          { jsonrpc: '2.0', id: 'd', method: 'initialize', params: initParams },
          { jsonrpc: '2.0', id: 'e', method: 'tools/call', params: { name: 'no-such-tool', arguments: {} } },
        ]),
        headers,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      const answers = res.json as unknown as { id: string; result?: Record<string, unknown>; error?: { code: number; data?: { reason?: string } } }[];
      expect(answers.map((a) => a.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      const byId = new Map(answers.map((a) => [a.id, a]));
      expect(byId.get('a')?.result).toMatchObject({ content: [{ type: 'text', text: 'Echo: batched' }] });
      expect(byId.get('b')?.result).toEqual({});
      expect(byId.get('c')?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.invalid_message' } });
      expect(byId.get('d')?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.initialize_in_batch' } });
      // an unknown tool on a single-upstream `never` virtual server is the upstream's to answer (README, known gaps)
      expect(byId.get('e')?.error?.code ?? (byId.get('e')?.result as { isError?: boolean } | undefined)?.isError).toBeTruthy();
      // a batch of notifications only: 202, no body
      const quiet = await post(JSON.stringify([{ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }]), headers);
      expect({ status: quiet.status, text: quiet.text }).toEqual({ status: 202, text: '' });
      // batches are bounded
      const huge = await post(JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))), headers);
      expect(huge.json?.error).toMatchObject({ code: -32600, data: { reason: 'mcp.batch_too_large' } });
      expect((await post('[]', headers)).status).toBe(400);
    });

    it('turns the answer to a 2025-03-26 batch into an SSE stream when a member reports progress, with every answer on it', async () => {
      const session = await rawInitialize(url(), main.secret, '2025-03-26');
      const res = await post(
        JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'ping' },
          { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 }, _meta: { progressToken: 'p1' } } },
        ]),
        mcpHeaders({ bearer: main.secret, session }),
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/event-stream');
      const messages = res.text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { id?: number; method?: string; result?: unknown });
      expect(messages.filter((m) => m.method === 'notifications/progress')).toHaveLength(3);
      expect(messages.filter((m) => m.id !== undefined).map((m) => m.id).sort()).toEqual([1, 2]);
      expect(messages.at(-1)).toMatchObject({ id: 2, result: { content: [expect.objectContaining({ type: 'text' })] } });
    });

    it('answers 413 to a body over maxBodyBytes, declared or chunked', async () => {
      const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { ...initParams, padding: 'x'.repeat(70_000) } });
      const declared = await post(big);
      expect(declared.status).toBe(413);
      expect(declared.json?.error?.data).toEqual({ reason: 'http.body_too_large' });
      const chunked = await post(big, mcpHeaders({ bearer: main.secret }), true);
      expect(chunked.status).toBe(413);
      // just under the limit is fine
      const fits = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { ...initParams, padding: 'x'.repeat(60_000) } }));
      expect(fits.status).toBe(200);
    });

    it('answers 415 to a content type other than JSON', async () => {
      const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initParams }), { ...mcpHeaders({ bearer: main.secret }), 'content-type': 'text/plain' });
      expect(res.status).toBe(415);
      expect(res.json?.error?.data).toEqual({ reason: 'http.unsupported_media_type' });
    });

    it('answers 406 when Accept is missing or lacks text/event-stream', async () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initParams });
      const { accept: _omitted, ...withoutAccept } = mcpHeaders({ bearer: main.secret });
      const missing = await post(body, withoutAccept);
      expect(missing.status).toBe(406);
      expect(missing.json?.error?.data).toEqual({ reason: 'http.not_acceptable' });
      const jsonOnly = await post(body, { ...withoutAccept, accept: 'application/json' });
      expect(jsonOnly.status).toBe(406);
    });

    it('answers 405 with Allow to PUT', async () => {
      const res = await rawHttp(url(), { method: 'PUT', headers: mcpHeaders({ bearer: main.secret }), body: '{}' });
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('POST, GET, DELETE');
      expect(res.json?.error?.data).toEqual({ reason: 'http.method_not_allowed' });
    });

    it('answers 400 to an unsupported MCP-Protocol-Version', async () => {
      const session = await rawInitialize(url(), main.secret);
      const res = await rawRpc(url(), 'tools/list', {}, { bearer: main.secret, session, extra: { 'mcp-protocol-version': '1999-01-01' } });
      expect(res.status).toBe(400);
      expect(res.json?.error?.data).toEqual({ reason: 'mcp.unsupported_protocol_version' });
    });

    it('answers 403 to a foreign Host and to a foreign Origin (DNS rebinding)', async () => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initParams });
      const host = await post(body, { ...mcpHeaders({ bearer: main.secret }), host: 'evil.example.com' });
      expect(host.status).toBe(403);
      expect(host.json?.error?.data).toEqual({ reason: 'http.host_not_allowed' });
      const origin = await post(body, { ...mcpHeaders({ bearer: main.secret }), origin: 'http://evil.example.com' });
      expect(origin.status).toBe(403);
      expect(origin.json?.error?.data).toEqual({ reason: 'http.host_not_allowed' });
      const localOrigin = await post(body, { ...mcpHeaders({ bearer: main.secret }), origin: gw.url });
      expect(localOrigin.status).toBe(200);
    });

    it('still answers /healthz and serves a normal call after all of that', async () => {
      const health = await fetch(`${gw.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const client = await agent(url(), main.secret);
      expect(await client.callTool({ name: 'echo', arguments: { message: 'still here' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: still here' }] });
    });
  });

  describe('shutdown', () => {
    it('closes while an agent still holds its session and standalone GET stream', async () => {
      const second = await startTestProxy({ proxyId: 'closing-proxy' });
      second.publish(acme());
      const client = await connectAgent(`${second.url}/mcp/tools`, main.secret);
      await client.callTool({ name: 'echo', arguments: { message: 'about to close' } });
      // give the SDK client's GET stream (and the proxy's upstream GET behind it) time to open
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = second.close();
      const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still closing after 5 s'), 5_000))]);
      // release whatever close() waits for, so a failure here does not hang the suite
      await client.close().catch(() => {});
      await closing;
      expect(outcome).toBe('closed');
    });
  });
});
