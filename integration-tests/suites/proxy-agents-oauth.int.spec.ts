/**
 * Agents against the proxy, part 3: OAuth 2.1 bearer tokens from a tenant's identity provider.
 * Real peers only: oidc-provider in-process issuing RFC 9068 JWT access tokens for the proxy's
 * resource indicator, `server-everything` upstream, and the MCP SDK client as the agent, once
 * with a token in hand and once discovering everything from the proxy's 401 by itself.
 */
import type { PolicySnapshot } from '@mcpgate/contracts';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// the proxy's own test IdP (oidc-provider), shared rather than copied; it is not part of the proxy's
// public surface, hence the boundary exception (moving it to @mcpgate/testing would lift it)
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AGENT_GROUPS, CLIENT_SECRET, startTestIdp, type TestIdp } from '../../proxy/src/auth/oauth/test/test-idp.js';
import { auditOf, httpUpstream, rawRpc, startEverythingServer, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

const EVERYTHING = 'srv_everything0001';
const VS_TOOLS = 'vsr_tools00000001';
const initParams = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-agent', version: '1.0.0' } };

describe('agents against the proxy: OAuth bearer tokens', () => {
  let idp: TestIdp;
  let everything: StartedEverythingServer;
  let gw: TestProxy;
  let snapshot: PolicySnapshot;
  /** The resource indicator of the tenant's virtual server: the audience its tokens must carry. */
  let resource: string;
  const tokens: string[] = [];
  const tokenFor = async (options: { resource: string; clientId?: string }) => {
    const token = await idp.token(options);
    tokens.push(token);
    return token;
  };

  const clients: Client[] = [];
  const track = (client: Client) => {
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    [idp, everything, gw] = await Promise.all([startTestIdp(), startEverythingServer(), startTestProxy({ extra: { insecureHttpIdentityProviders: true } })]);
    resource = `${gw.url}/t/acme/mcp/tools`;
    snapshot = tenantSnapshot({
      upstreams: [httpUpstream(EVERYTHING, 'everything', everything.url)],
      virtualServers: [{ id: VS_TOOLS, name: 'tools', prefixMode: 'never', upstreams: [{ serverId: EVERYTHING, tools: ['echo', 'get-sum', 'get-tiny-image'] }], anonymousAccess: false }],
      identityProviders: [{ id: 'test-idp', issuer: idp.issuer, jwksUri: idp.jwksUri, audiences: [resource], groupsClaim: 'groups' }],
      policies: [
        {
          id: 'pol_platform000001',
          name: 'platform-rules',
          document: { toolRules: [{ id: 'no-images-for-platform', effect: 'deny', subjects: { roles: [], groups: ['platform-eng'], users: [], keys: [] }, tools: ['get-tiny-image'] }] },
        },
      ],
    });
    gw.publish(snapshot);
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([everything?.close(), idp?.close()]);
  });

  it('answers 401 without a token, pointing to protected resource metadata that names the issuer', async () => {
    const res = await rawRpc(resource, 'initialize', initParams);
    expect(res.status).toBe(401);
    expect(res.json?.error?.data).toEqual({ reason: 'auth.credentials_missing' });
    const metadataUrl = `${gw.url}/.well-known/oauth-protected-resource/t/acme/mcp/tools`;
    expect(res.headers['www-authenticate']).toBe(`Bearer resource_metadata="${metadataUrl}"`);
    const metadata = await fetch(metadataUrl);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toEqual({ resource, authorization_servers: [idp.issuer], bearer_methods_supported: ['header'], resource_name: 'mcpgate' });
  });

  it('serves an SDK client that holds a good token: it lists and calls tools', async () => {
    const token = await tokenFor({ resource });
    const client = track(await connectAgent(resource, token));
    // get-tiny-image is hidden from agent-svc by a group rule (next test)
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo', 'get-sum']);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'with a token' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: with a token' }] });
    const event = await auditOf(gw.proxy).waitFor((e) => e.method === 'tools/call' && e.tool === 'echo' && e.principal.kind === 'oauth');
    expect(event.principal).toEqual({ kind: 'oauth', issuer: idp.issuer, subject: 'agent-svc', clientId: 'agent-svc', groups: [...AGENT_GROUPS] });
    expect(event.decision).toMatchObject({ outcome: 'allowed' });
  });

  it("applies policy rules to the token's groups claim", async () => {
    const platform = track(await connectAgent(resource, await tokenFor({ resource })));
    const denied = await platform.callTool({ name: 'get-tiny-image', arguments: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(denied).toBeInstanceOf(McpError);
    expect((denied as McpError).code).toBe(-32003);
    expect((denied as McpError).data).toMatchObject({ reason: 'policy.tool_denied', ruleId: 'no-images-for-platform', policyVersion: snapshot.version });
    expect((await platform.listTools()).tools.map((t) => t.name)).not.toContain('get-tiny-image');
    // another client of the IdP, without the group, may call it
    const outsider = track(await connectAgent(resource, await tokenFor({ resource, clientId: 'other-svc' })));
    expect((await outsider.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo', 'get-sum', 'get-tiny-image']);
    expect((await outsider.callTool({ name: 'get-tiny-image', arguments: {} })).isError).toBeFalsy();
  });

  it('answers 401 invalid_token to a token for another audience', async () => {
    const token = await tokenFor({ resource: `${gw.url}/t/acme/mcp/elsewhere` });
    const res = await rawRpc(resource, 'initialize', initParams, { bearer: token });
    expect(res.status).toBe(401);
    expect(res.json?.error).toMatchObject({ code: -32600, data: { reason: 'auth.invalid_token' } });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/t\/acme\/mcp\/tools"$/);
  });

  it('answers 401 invalid_token to an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idp.sign({ iss: idp.issuer, sub: 'agent-svc', client_id: 'agent-svc', aud: resource, scope: 'mcp:tools', iat: now - 7200, exp: now - 3600, jti: 'expired-1' });
    tokens.push(token);
    const res = await rawRpc(resource, 'initialize', initParams, { bearer: token });
    expect(res.status).toBe(401);
    expect(res.json?.error?.data).toEqual({ reason: 'auth.invalid_token' });
    expect(res.json?.error?.message).toMatch(/expired/);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('refuses an OAuth token on a route without a tenant', async () => {
    const res = await rawRpc(`${gw.url}/mcp/tools`, 'initialize', initParams, { bearer: await tokenFor({ resource }) });
    expect(res.status).toBe(401);
    expect(res.json?.error?.data).toEqual({ reason: 'auth.tenant_route_required' });
  });

  it("lets the SDK's ClientCredentialsProvider discover everything from the 401 and connect", async () => {
    const before = idp.requests.length;
    const authProvider = new ClientCredentialsProvider({ clientId: 'agent-svc', clientSecret: CLIENT_SECRET, scope: 'mcp:tools', expectedIssuer: idp.issuer });
    const client = track(new Client({ name: 'discovering-agent', version: '1.0.0' }));
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider }));
    expect(await client.callTool({ name: 'get-sum', arguments: { a: 40, b: 2 } })).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('42') }] });
    const issued = authProvider.tokens();
    expect(issued?.access_token).toBeTruthy();
    tokens.push(issued!.access_token);
    // it found the authorization server through the proxy's metadata and got its token from the IdP
    expect(idp.requests.slice(before)).toContain('/token');
  });

  it("relays the IdP's authorization server metadata on the tenant's well-known path", async () => {
    const relayed = await fetch(`${gw.url}/.well-known/oauth-authorization-server/t/acme`);
    expect(relayed.status).toBe(200);
    const body = (await relayed.json()) as { issuer: string; token_endpoint: string; jwks_uri: string };
    const own = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string; jwks_uri: string };
    expect(body).toMatchObject({ issuer: idp.issuer, token_endpoint: own.token_endpoint, jwks_uri: own.jwks_uri });
    expect(body.token_endpoint).toBe(`${idp.issuer}/token`);
  });

  it('never puts a bearer token into an audit event', () => {
    const events = auditOf(gw.proxy).events;
    expect(events.length).toBeGreaterThan(0);
    expect(tokens.length).toBeGreaterThan(3);
    const all = JSON.stringify(events);
    for (const token of tokens) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(token.split('.')[2]);
    }
  });
});
