/**
 * Agents against the proxy, part 2: which tools an agent sees and may call (key scopes, policy
 * rules, empty catalogues, prefixed names across upstreams), the audit event of every call, and
 * rate limits. Real peers only: two `server-everything` processes told apart by an environment
 * marker (their `get-env` tool shows it) and the conformance fixture, behind a real proxy, with
 * the MCP SDK client as the agent.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent, PolicySnapshot } from '@mcpgate/contracts';
import { startConformanceFixture, type StartedConformanceFixture } from '@mcpgate/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, httpUpstream, startEverythingServer, type MemoryAudit, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

const ALPHA = 'srv_alpha00000001';
const BETA = 'srv_beta000000001';
const FIXTURE = 'srv_fixture000001';
const VS_SCOPED = 'vsr_scoped0000001';
const VS_ALWAYS = 'vsr_always0000001';
const VS_COLLIDE = 'vsr_collide000001';
const VS_AUDITED = 'vsr_audited000001';

/** What the SDK client rejects with when the proxy answers a JSON-RPC error. */
const rpcFailure = async (call: Promise<unknown>): Promise<McpError> => {
  try {
    await call;
  } catch (error) {
    if (error instanceof McpError) return error;
    throw error;
  }
  throw new Error('the call succeeded; a JSON-RPC error was expected');
};

const textOf = (result: unknown): string => ((result as { content?: { type: string; text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('\n');

describe('agents against the proxy: tools, audit, limits', () => {
  let alpha: StartedEverythingServer;
  let beta: StartedEverythingServer;
  let fixture: StartedConformanceFixture;
  let gw: TestProxy;
  let audit: MemoryAudit;
  let acme: PolicySnapshot;
  let initech: PolicySnapshot;
  /** Tool names server-everything lists for a client that declares no capabilities. */
  let everythingTools: string[];
  const clients: Client[] = [];
  const agent = async (path: string, secret: string) => {
    const client = await connectAgent(`${gw.url}${path}`, secret);
    clients.push(client);
    return client;
  };

  const scoped = virtualKey('vk_scoped0000001', [VS_SCOPED], { scopes: { virtualServerIds: [VS_SCOPED], tools: { allow: ['echo', 'get-*'], deny: ['get-env'] }, rateLimits: [] } });
  const nothing = virtualKey('vk_nothing000001', [VS_SCOPED], { scopes: { virtualServerIds: [VS_SCOPED], tools: { allow: ['no-such-tool'], deny: [] }, rateLimits: [] } });
  const limited = virtualKey('vk_limited000001', [VS_SCOPED], {
    scopes: { virtualServerIds: [VS_SCOPED], tools: { allow: ['*'], deny: [] }, rateLimits: [{ id: 'r1', scope: 'key', capacity: 2, refillPerSecond: 0.001 }] },
  });
  const auditor = virtualKey('vk_auditor000001', [VS_AUDITED], { scopes: { virtualServerIds: [VS_AUDITED], tools: { allow: ['*'], deny: ['get-env'] }, rateLimits: [] } });
  const prefixed = virtualKey('vk_prefixed00001', [VS_ALWAYS, VS_COLLIDE]);
  const policed = virtualKey('vk_policed000001', [VS_SCOPED]);
  const spender = virtualKey('vk_spender000001', [VS_SCOPED], {
    scopes: { virtualServerIds: [VS_SCOPED], tools: { allow: ['*'], deny: [] }, rateLimits: [], budget: { id: 'spend', scope: 'key', period: 'day', maxCost: 5 } },
  });
  const secrets = [scoped, nothing, limited, auditor, prefixed, policed, spender].map((k) => k.secret);

  beforeAll(async () => {
    [alpha, beta, fixture, gw] = await Promise.all([
      startEverythingServer({ UPSTREAM_MARKER: 'alpha' }),
      startEverythingServer({ UPSTREAM_MARKER: 'beta' }),
      startConformanceFixture(),
      startTestProxy(),
    ]);
    audit = auditOf(gw.proxy);
    const upstreams = [httpUpstream(ALPHA, 'alpha', alpha.url), httpUpstream(BETA, 'beta', beta.url), httpUpstream(FIXTURE, 'fixture', fixture.url)];
    acme = tenantSnapshot({
      upstreams,
      virtualServers: [
        { id: VS_SCOPED, name: 'scoped', prefixMode: 'never', upstreams: [{ serverId: ALPHA, tools: ['*'] }], anonymousAccess: false },
        {
          id: VS_ALWAYS,
          name: 'always',
          prefixMode: 'always',
          upstreams: [
            { serverId: ALPHA, tools: ['echo', 'get-env'] },
            { serverId: BETA, tools: ['echo', 'get-env'] },
          ],
          anonymousAccess: false,
        },
        {
          id: VS_COLLIDE,
          name: 'collide',
          prefixMode: 'on-collision',
          upstreams: [
            { serverId: ALPHA, tools: ['echo', 'get-sum'] },
            { serverId: BETA, tools: ['echo', 'get-env'] },
            { serverId: FIXTURE, tools: ['test_simple_text'] },
          ],
          anonymousAccess: false,
        },
        {
          id: VS_AUDITED,
          name: 'audited',
          prefixMode: 'never',
          upstreams: [
            { serverId: ALPHA, tools: ['echo', 'get-sum', 'get-env'] },
            { serverId: FIXTURE, tools: ['test_error_handling'] },
          ],
          anonymousAccess: false,
        },
      ],
      keys: [scoped.key, nothing.key, limited.key, auditor.key, prefixed.key],
    });
    // a policy that denies echo to everyone lives in a tenant of its own, so it touches no other test
    initech = tenantSnapshot({
      tenantId: 'ten_initech0000000',
      slug: 'initech',
      upstreams: [httpUpstream(ALPHA, 'alpha', alpha.url)],
      virtualServers: [{ id: VS_SCOPED, name: 'scoped', prefixMode: 'never', upstreams: [{ serverId: ALPHA, tools: ['*'] }], anonymousAccess: false }],
      keys: [policed.key, spender.key],
      policies: [
        {
          id: 'pol_noecho00000001',
          name: 'no-echo-policy',
          document: { toolRules: [{ id: 'no-echo', effect: 'deny', subjects: { roles: [], groups: [], users: [], keys: [] }, tools: ['echo'] }], toolCosts: [{ id: 'sum', tools: 'get-sum', cost: 2 }] },
        },
      ],
    });
    gw.publish(acme);
    gw.publish(initech);

    // the upstream's own list, straight from server-everything, to compare the proxy's filtering with
    const direct = await connectAgent(alpha.url);
    everythingTools = (await direct.listTools()).tools.map((t) => t.name);
    await direct.close();
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([alpha?.close(), beta?.close(), fixture?.close()]);
  });

  describe('filtering and denials', () => {
    it("lists exactly the tools a key's scope allows (allow echo and get-*, deny get-env)", async () => {
      const expected = everythingTools.filter((name) => name === 'echo' || (name.startsWith('get-') && name !== 'get-env')).sort();
      expect(expected).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image']));
      expect(everythingTools).toContain('get-env');
      const client = await agent('/mcp/scoped', scoped.secret);
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(expected);
      expect(names).not.toContain('get-env');
    });

    it('denies a call outside the key scope with -32003 key.tool_not_in_scope, rule key-scope and the policy version', async () => {
      const client = await agent('/mcp/scoped', scoped.secret);
      const error = await rpcFailure(client.callTool({ name: 'get-env', arguments: {} }));
      expect(error.code).toBe(-32003);
      expect(error.data).toEqual({ reason: 'key.tool_not_in_scope', ruleId: 'key-scope', policyVersion: acme.version });
      // a tool the upstream has but the scope does not allow
      const toggle = await rpcFailure(client.callTool({ name: 'toggle-simulated-logging', arguments: {} }));
      expect(toggle.code).toBe(-32003);
      expect(toggle.data).toMatchObject({ reason: 'key.tool_not_in_scope' });
      // allowed ones still work in the same session
      expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: 19, b: 23 } }))).toContain('42');
    });

    it('denies a tool a policy rule denies with -32003 policy.tool_denied and the rule id, and hides it from tools/list', async () => {
      const client = await agent('/t/initech/mcp/scoped', policed.secret);
      const error = await rpcFailure(client.callTool({ name: 'echo', arguments: { message: 'blocked' } }));
      expect(error.code).toBe(-32003);
      expect(error.data).toMatchObject({ reason: 'policy.tool_denied', ruleId: 'no-echo', policy: 'no-echo-policy', policyVersion: initech.version });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).not.toContain('echo');
      expect(names).toContain('get-sum');
    });

    it('answers -32602 to an unknown tool', async () => {
      // several upstreams: the proxy's catalogue knows every name
      const several = await agent('/mcp/collide', prefixed.secret);
      const error = await rpcFailure(several.callTool({ name: 'no-such-tool', arguments: {} }));
      expect(error.code).toBe(-32602);
      expect(error.data).toMatchObject({ reason: 'tool.unknown' });
      // one upstream and `never`: the proxy does not list before forwarding, so the upstream's own
      // answer arrives (server-everything's SDK server reports -32602 as a tool error)
      const single = await agent('/mcp/scoped', scoped.secret);
      const upstreamSays = await single.callTool({ name: 'get-nothing-here', arguments: {} });
      expect(upstreamSays.isError).toBe(true);
      expect(textOf(upstreamSays)).toMatch(/-32602.*not found/);
      // outside the key's scope, a missing tool looks like any other tool out of scope: no way to probe names
      expect((await rpcFailure(single.callTool({ name: 'no-such-tool', arguments: {} }))).data).toMatchObject({ reason: 'key.tool_not_in_scope' });
    });

    it('returns an empty tools/list when every tool is filtered, and says why in /status and in an audit event', async () => {
      const client = await agent('/mcp/scoped', nothing.secret);
      expect((await client.listTools()).tools).toEqual([]);
      const status = (await (await fetch(`${gw.url}/status`)).json()) as { emptyCatalogues: { virtualServer: string; principal: string; reason: string; detail: string }[] };
      expect(status.emptyCatalogues).toContainEqual(
        expect.objectContaining({ virtualServer: 'scoped', principal: `key:${nothing.key.id}`, reason: 'catalogue.all_filtered', detail: expect.stringContaining('filtered') }),
      );
      const event = await audit.waitFor((e) => e.method === 'tools/list' && e.principal.kind === 'virtual-key' && e.principal.keyId === nothing.key.id);
      expect(event.decision).toMatchObject({ reason: 'catalogue.all_filtered' });
      expect(event.virtualServerId).toBe(VS_SCOPED);
    });
  });

  describe('prefix modes across upstreams that share tool names', () => {
    it("'always' prefixes every tool with its server's name and routes each call to that server", async () => {
      const client = await agent('/mcp/always', prefixed.secret);
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['alpha__echo', 'alpha__get-env', 'beta__echo', 'beta__get-env']);
      expect(textOf(await client.callTool({ name: 'alpha__echo', arguments: { message: 'to alpha' } }))).toBe('Echo: to alpha');
      expect(textOf(await client.callTool({ name: 'beta__echo', arguments: { message: 'to beta' } }))).toBe('Echo: to beta');
      expect(textOf(await client.callTool({ name: 'alpha__get-env', arguments: {} }))).toMatch(/"UPSTREAM_MARKER":\s*"alpha"/);
      expect(textOf(await client.callTool({ name: 'beta__get-env', arguments: {} }))).toMatch(/"UPSTREAM_MARKER":\s*"beta"/);
      // the unprefixed name is not a tool of this virtual server
      expect((await rpcFailure(client.callTool({ name: 'echo', arguments: { message: 'x' } }))).code).toBe(-32602);
    });

    it("'on-collision' prefixes only the names several upstreams share", async () => {
      const client = await agent('/mcp/collide', prefixed.secret);
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['alpha__echo', 'beta__echo', 'get-env', 'get-sum', 'test_simple_text']);
      expect(textOf(await client.callTool({ name: 'beta__echo', arguments: { message: 'shared' } }))).toBe('Echo: shared');
      expect(textOf(await client.callTool({ name: 'get-env', arguments: {} }))).toMatch(/"UPSTREAM_MARKER":\s*"beta"/);
      expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }))).toContain('3');
      expect(textOf(await client.callTool({ name: 'test_simple_text', arguments: {} }))).toMatch(/simple text/i);
      expect((await rpcFailure(client.callTool({ name: 'echo', arguments: { message: 'x' } }))).code).toBe(-32602);
    });
  });

  describe('audit', () => {
    const hashOf = (args: Record<string, unknown>) => createHash('sha256').update(JSON.stringify(args)).digest('hex');
    const callEvent = (tool: string, sessionId?: string) => (e: AuditEvent) =>
      e.method === 'tools/call' && e.tool === tool && e.principal.kind === 'virtual-key' && e.principal.keyId === auditor.key.id && (sessionId === undefined || e.sessionId === sessionId);

    it('records every tools/call, allowed, denied and failed, with principal, tool, decision, argument hash, policy version and session', async () => {
      const client = await agent('/mcp/audited', auditor.secret);
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'audit me' } }))).toBe('Echo: audit me');
      const allowed = await audit.waitFor(callEvent('echo'));
      const sessionId = allowed.sessionId!;
      expect(sessionId).toMatch(/^[\w-]{8,64}$/);

      expect((await rpcFailure(client.callTool({ name: 'get-env', arguments: { probe: 1 } }))).code).toBe(-32003);
      const failedResult = await client.callTool({ name: 'test_error_handling', arguments: {} });
      expect(failedResult.isError).toBe(true);
      expect((await rpcFailure(client.callTool({ name: 'not-a-tool', arguments: {} }))).code).toBe(-32602);

      const denied = await audit.waitFor(callEvent('get-env', sessionId));
      const failed = await audit.waitFor(callEvent('test_error_handling', sessionId));
      const unknown = await audit.waitFor(callEvent('not-a-tool', sessionId));
      const principal = { kind: 'virtual-key', keyId: auditor.key.id, keyPrefix: auditor.key.prefix };
      const common = { schemaVersion: 1, tenantId: acme.tenantId, region: 'eu-west-1', proxyId: 'test-proxy', virtualServerId: VS_AUDITED, policyVersion: acme.version, sessionId, principal };
      expect(allowed).toMatchObject({ ...common, tool: 'echo', upstreamServerId: ALPHA, argumentsHash: hashOf({ message: 'audit me' }), decision: { outcome: 'allowed', reason: 'policy.default_allow' } });
      expect(denied).toMatchObject({ ...common, tool: 'get-env', argumentsHash: hashOf({ probe: 1 }), decision: { outcome: 'denied', reason: 'key.tool_not_in_scope', ruleId: 'key-scope' } });
      expect(failed).toMatchObject({ ...common, tool: 'test_error_handling', upstreamServerId: FIXTURE, argumentsHash: hashOf({}), decision: { outcome: 'failed', reason: 'tool.is_error' } });
      expect(unknown).toMatchObject({ ...common, tool: 'not-a-tool', decision: { outcome: 'denied', reason: 'tool.unknown' } });
      for (const event of [allowed, denied, failed, unknown]) expect(event.latencyMs).toBeGreaterThanOrEqual(0);
      // time-ordered ids (UUID version 7): the audit store's event-id index grows at its right edge
      const ids = [allowed, denied, failed, unknown].map((e) => e.eventId);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const millis = ids.map((id) => parseInt(id.replace('-', '').slice(0, 12), 16));
      expect(millis).toEqual([...millis].sort((a, b) => a - b));
      expect(Math.abs(millis[0]! - Date.parse(allowed.time))).toBeLessThan(1_000);
    });

    it('never puts a key secret into an audit event', () => {
      expect(audit.events.length).toBeGreaterThan(0);
      const all = JSON.stringify(audit.events);
      for (const secret of secrets) expect(all).not.toContain(secret);
    });
  });

  describe('rate limits', () => {
    it("refuses the call after a key's bucket is empty with -32029 limit.rate_exceeded and retryAfterMs", async () => {
      const client = await agent('/mcp/scoped', limited.secret);
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'one' } }))).toBe('Echo: one');
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'two' } }))).toBe('Echo: two');
      const error = await rpcFailure(client.callTool({ name: 'echo', arguments: { message: 'three' } }));
      expect(error.code).toBe(-32029);
      expect(error.data).toMatchObject({ reason: 'limit.rate_exceeded', limitId: `key:${limited.key.id}:r1`, policyVersion: acme.version });
      expect((error.data as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
      // the bucket belongs to the key, not the session
      const second = await agent('/mcp/scoped', limited.secret);
      expect((await rpcFailure(second.callTool({ name: 'get-sum', arguments: { a: 1, b: 1 } }))).code).toBe(-32029);
      const event = await audit.waitFor((e) => e.principal.kind === 'virtual-key' && e.principal.keyId === limited.key.id && e.decision.outcome === 'denied');
      expect(event.decision).toMatchObject({ reason: 'limit.rate_exceeded', ruleId: `key:${limited.key.id}:r1` });
    });
  });

  describe('budgets', () => {
    it("prices calls by the policy's toolCosts, records the cost in the audit event, and refuses the call after the key's cost budget is spent", async () => {
      const client = await agent('/t/initech/mcp/scoped', spender.secret);
      await client.callTool({ name: 'get-tiny-image', arguments: {} }); // unpriced: costs nothing
      for (let i = 0; i < 3; i += 1) expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: i, b: 1 } }))).toContain(String(i + 1));
      // 3 × 2 = 6 units spent of 5: the next call, priced or not, is refused until the UTC day ends
      const error = await rpcFailure(client.callTool({ name: 'get-tiny-image', arguments: {} }));
      expect(error.code).toBe(-32029);
      expect(error.data).toMatchObject({ reason: 'limit.budget_exhausted', limitId: `key:${spender.key.id}:spend` });
      const retryAfterMs = (error.data as { retryAfterMs: number }).retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(86_400_000);
      const mine = () => audit.events.filter((e) => e.principal.kind === 'virtual-key' && e.principal.keyId === spender.key.id && e.method === 'tools/call');
      await audit.waitFor((e) => e.principal.kind === 'virtual-key' && e.principal.keyId === spender.key.id && e.decision.outcome === 'denied');
      expect(mine().map((e) => [e.tool, e.decision.outcome, e.cost])).toEqual([
        ['get-tiny-image', 'allowed', undefined],
        ['get-sum', 'allowed', 2],
        ['get-sum', 'allowed', 2],
        ['get-sum', 'allowed', 2],
        ['get-tiny-image', 'denied', undefined],
      ]);
    });
  });
});
