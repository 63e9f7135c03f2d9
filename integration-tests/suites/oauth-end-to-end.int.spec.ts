/**
 * OAuth 2.1 from end to end, as a tenant admin sets it up: everything through the GraphQL API of an
 * embedded control plane, which signs snapshots for an in-process proxy (the wiring of
 * deploy/src/main.ts). The tenant registers its identity provider (oidc-provider in-process, its
 * jwksUri discovered by the control plane), an agent with a client-credentials token from that IdP
 * lists and calls tools of a real upstream (the conformance fixture) with the MCP SDK client, a role
 * binding on the IdP's groups feeds a policy, and removing the IdP revokes the token with the next
 * snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, ProxyConfig } from '@mcpgate/contracts';
import { InMemorySnapshotPublisher, startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { startProxy, type RunningProxy } from '@mcpgate/proxy';
import { startConformanceFixture, waitUntil, type StartedConformanceFixture } from '@mcpgate/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the proxy's own test IdP (oidc-provider), shared rather than copied; it is not part of the proxy's
// public surface, hence the boundary exception (moving it to @mcpgate/testing would lift it)
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AGENT_GROUPS, startTestIdp, type TestIdp } from '../../proxy/src/auth/oauth/test/test-idp.js';
import { rawRpc } from '../src/mcp-peers.js';

const REGION = 'local';
const SLUG = 'oauth-e2e';

interface GraphqlAnswer {
  data?: Record<string, { id?: string | null; version?: number } | null> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('OAuth from end to end: a tenant registers its IdP through GraphQL, agents call tools with its tokens', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-oauth-e2e-'));
  let idp: TestIdp;
  let upstream: StartedConformanceFixture;
  let controlPlane: RunningControlPlane;
  let proxy: RunningProxy;
  let cookie = '';
  let tenantId = '';
  /** The virtual server's resource indicator: the audience the IdP puts into tokens for it. */
  let resource = '';
  const clients: Client[] = [];

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> => {
    const res = await fetch(`${controlPlane.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GraphqlAnswer;
  };
  /** Runs a mutation and returns its result, failing the test with the API's typed error otherwise. */
  const mutate = async (field: string, query: string, variables: Record<string, unknown> = {}) => {
    const answer = await gql(query, variables);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data![field]!;
  };
  const served = () => proxy.store.current(tenantId)?.snapshot;
  const connect = async (token: string) => {
    const client = new Client({ name: 'oauth-e2e-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    [idp, upstream] = await Promise.all([startTestIdp(), startConformanceFixture()]);
    // the control plane and the proxy meet through the in-process snapshot channel, as in `npm start`
    const channel = new InMemorySnapshotPublisher();
    controlPlane = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }), { snapshotPublisher: channel });
    const regionKey = controlPlane.developmentRegionKey(REGION);
    if (!regionKey) throw new Error('the embedded control plane runs in development mode and holds the region key');
    proxy = await startProxy(
      ProxyConfig.parse({
        region: REGION,
        proxyId: 'oauth-e2e',
        listen: { host: '127.0.0.1', port: 0 },
        dataDir: join(dataDir, 'proxy'),
        trustedSigningKeys: Object.fromEntries(controlPlane.trustedSigningKeys),
        regionKey,
        // the test IdP serves its keys over http on 127.0.0.1
        insecureHttpIdentityProviders: true,
      }),
      { snapshotFeed: (deliver) => channel.subscribe(deliver) },
    );
    resource = `${proxy.url}/t/${SLUG}/mcp/tools`;
    const login = await fetch(`${controlPlane.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await proxy?.close();
    await controlPlane?.close();
    await Promise.allSettled([upstream?.close(), idp?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets up the tenant through GraphQL: upstream, virtual server, a role binding and a policy on IdP groups, and the IdP', async () => {
    tenantId = (await mutate('createTenant', `mutation { createTenant(input: { slug: "${SLUG}", displayName: "OAuth E2E", regions: ["${REGION}"] }) { id } }`)).id!;
    const connection = { transport: 'streamable-http', endpoints: [{ id: 'primary', url: upstream.url }] };
    const serverId = (await mutate('registerUpstreamServer', 'mutation($t: ID!, $c: JSONObject!) { registerUpstreamServer(tenantId: $t, config: $c) { id } }', { t: tenantId, c: { name: 'conformance', regions: [REGION], connection } })).id!;
    await mutate('createVirtualServer', 'mutation($t: ID!, $c: JSONObject!) { createVirtualServer(tenantId: $t, config: $c) { id } }', {
      t: tenantId,
      c: { name: 'tools', prefixMode: 'never', upstreams: [{ serverId, tools: ['test_simple_text', 'test_image_content'] }] },
    });
    // the IdP's group `platform-eng` (agent-svc has it) gets a role by the IdP's id, and a policy denies that role one tool
    await mutate('createRoleBinding', 'mutation($t: ID!, $s: JSONObject!) { createRoleBinding(tenantId: $t, subject: $s, role: "developer") { id } }', {
      t: tenantId,
      s: { kind: 'group', idpId: 'corp-idp', group: 'platform-eng' },
    });
    await mutate('createPolicy', 'mutation($t: ID!, $d: JSONObject!) { createPolicy(tenantId: $t, name: "no-images-for-developers", document: $d) { id } }', {
      t: tenantId,
      d: { toolRules: [{ id: 'developers-no-images', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['test_image_content'] }] },
    });
    // no jwksUri: the control plane discovers it from the issuer's metadata
    const registered = await mutate('registerIdentityProvider', 'mutation($t: ID!, $i: RegisterIdentityProviderInput!) { registerIdentityProvider(tenantId: $t, input: $i) { id version } }', {
      t: tenantId,
      i: { id: 'corp-idp', issuer: idp.issuer, audiences: [resource] },
    });
    expect(registered).toEqual({ id: 'corp-idp', version: 1 });

    const listed = await waitUntil('the identity provider in the read model', async () => {
      const answer = await gql('query($t: ID!) { identityProviders(tenantId: $t) { nodes { id issuer jwksUri audiences groupsClaim status } } }', { t: tenantId });
      const rows = (answer.data?.['identityProviders'] as unknown as { nodes: unknown[] } | undefined)?.nodes;
      return rows?.length ? rows : undefined;
    });
    expect(listed).toEqual([{ id: 'corp-idp', issuer: idp.issuer, jwksUri: idp.jwksUri, audiences: [resource], groupsClaim: 'groups', status: 'active' }]);
    const snapshot = await waitUntil('the proxy to serve the snapshot with the IdP and the policy', () => {
      const current = served();
      return current?.identityProviders.length && current.policies.length ? current : undefined;
    });
    expect(snapshot.identityProviders).toEqual([{ id: 'corp-idp', issuer: idp.issuer, jwksUri: idp.jwksUri, audiences: [resource], groupsClaim: 'groups' }]);
  });

  it('serves an MCP SDK client holding a client-credentials token from the IdP: it lists and calls tools', async () => {
    const client = await connect(await idp.token({ resource }));
    // test_image_content is hidden: agent-svc is in platform-eng, bound to developer, which the policy denies it
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['test_simple_text']);
    expect(await client.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
    const denied: unknown = await client.callTool({ name: 'test_image_content', arguments: {} }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(McpError);
    expect(denied).toMatchObject({ code: -32003, data: { reason: 'policy.tool_denied', ruleId: 'developers-no-images' } });
    expect(AGENT_GROUPS).toContain('platform-eng');

    // another client of the IdP, without the group, sees both tools
    const outsider = await connect(await idp.token({ resource, clientId: 'other-svc' }));
    expect((await outsider.listTools()).tools.map((t) => t.name).sort()).toEqual(['test_image_content', 'test_simple_text']);
  });

  it('refuses a token for another virtual server of the tenant, which the IdP is not registered for', async () => {
    const token = await idp.token({ resource: `${proxy.url}/t/${SLUG}/mcp/elsewhere` });
    const res = await rawRpc(resource, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-agent', version: '1.0.0' } }, { bearer: token });
    expect(res.status).toBe(401);
    expect(res.json?.error?.data).toMatchObject({ reason: 'auth.invalid_token' });
  });

  it('revokes by snapshot: once the IdP is removed through GraphQL, the next request with its token is 401', async () => {
    const token = await idp.token({ resource });
    const client = await connect(token);
    expect((await client.listTools()).tools.length).toBe(1);

    const removedAt = performance.now();
    const removed = await mutate('removeIdentityProvider', 'mutation($t: ID!) { removeIdentityProvider(tenantId: $t, identityProviderId: "corp-idp") { version } }', { t: tenantId });
    expect(removed).toEqual({ version: 2 });
    await waitUntil('the proxy to serve the snapshot without the IdP', () => served()?.identityProviders.length === 0, { timeoutMs: 10_000, intervalMs: 10 });
    expect(performance.now() - removedAt).toBeLessThan(10_000);

    // the session opened with the token fails on its next request, and so does a new one
    await expect(client.listTools()).rejects.toMatchObject({ code: 401 });
    const fresh = await rawRpc(resource, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-agent', version: '1.0.0' } }, { bearer: token });
    expect(fresh.status).toBe(401);
    expect(fresh.json?.error?.data).toMatchObject({ reason: 'auth.invalid_token' });
    expect(fresh.headers['www-authenticate']).toMatch(/^Bearer /);
    const history = await gql('query($t: ID!) { active: identityProviders(tenantId: $t) { nodes { id status } } removed: identityProviders(tenantId: $t, filter: { status: "removed" }) { nodes { id status } } }', { t: tenantId });
    expect(JSON.stringify(history.data)).toMatch(/"corp-idp".*"(active|removed)"/);
  });
});
