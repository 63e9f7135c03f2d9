import { auth, discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthBearerVerifier } from './oauth-bearer.js';
import type { SnapshotIdentityProvider } from './oauth-bearer.js';
import {
  AuthorizationServerMetadataError,
  AuthorizationServerMetadataRelay,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  wwwAuthenticateHeader,
} from './protected-resource.js';
import { closedOrigin, json, startServer } from './test/http-server.js';
import type { TestServer } from './test/http-server.js';
import { AGENT_GROUPS, CLIENT_SECRET, startTestIdp } from './test/test-idp.js';
import type { TestIdp } from './test/test-idp.js';

const RESOURCE = 'https://proxy.example/t/acme/mcp/github';

const provider = (issuer: string, audiences: string[], id = 'idp_1'): SnapshotIdentityProvider => ({
  id,
  issuer,
  jwksUri: `${issuer}/jwks`,
  audiences,
  groupsClaim: 'groups',
});

describe(protectedResourceMetadataPath.name, () => {
  it('inserts the well-known prefix before the resource path (RFC 9728 §3.1)', () => {
    expect(protectedResourceMetadataPath(new URL(RESOURCE))).toBe('/.well-known/oauth-protected-resource/t/acme/mcp/github');
    expect(protectedResourceMetadataPath(new URL(`${RESOURCE}/`))).toBe('/.well-known/oauth-protected-resource/t/acme/mcp/github');
    expect(protectedResourceMetadataPath(new URL('https://proxy.example/'))).toBe('/.well-known/oauth-protected-resource');
    expect(protectedResourceMetadataUrl(new URL(RESOURCE))).toBe(
      'https://proxy.example/.well-known/oauth-protected-resource/t/acme/mcp/github',
    );
  });
});

describe(protectedResourceMetadata.name, () => {
  it('lists the issuers that accept this resource, once each', () => {
    const sut = protectedResourceMetadata(
      RESOURCE,
      [
        provider('https://acme.okta.example', [RESOURCE], 'idp_okta'),
        provider('https://acme.okta.example', [RESOURCE, 'https://proxy.example/t/acme/mcp/jira'], 'idp_okta_2'),
        provider('https://login.entra.example/acme/v2.0', ['https://proxy.example/t/acme/mcp/jira'], 'idp_entra'),
      ],
      ['mcp:tools'],
    );

    expect(sut).toEqual({
      resource: RESOURCE,
      authorization_servers: ['https://acme.okta.example'],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
      resource_name: 'mcpgate',
    });
  });

  it('leaves scopes_supported out when none are given', () => {
    expect(protectedResourceMetadata(RESOURCE, [])).toEqual({
      resource: RESOURCE,
      authorization_servers: [],
      bearer_methods_supported: ['header'],
      resource_name: 'mcpgate',
    });
  });
});

describe(wwwAuthenticateHeader.name, () => {
  const resourceMetadataUrl = protectedResourceMetadataUrl(new URL(RESOURCE));

  it('is a bare challenge with the metadata URL when no credentials were sent', () => {
    expect(wwwAuthenticateHeader({ resourceMetadataUrl })).toBe(`Bearer resource_metadata="${resourceMetadataUrl}"`);
  });

  it('carries error, description and scope', () => {
    expect(wwwAuthenticateHeader({ resourceMetadataUrl, error: 'insufficient_scope', description: 'insufficient scope', scope: 'mcp:tools mcp:admin' })).toBe(
      `Bearer error="insufficient_scope", error_description="insufficient scope", scope="mcp:tools mcp:admin", resource_metadata="${resourceMetadataUrl}"`,
    );
  });

  it('escapes quotes and backslashes and drops control characters', () => {
    const header = wwwAuthenticateHeader({ resourceMetadataUrl, error: 'invalid_token', description: 'say "hi" \\ bye\r\nSet-Cookie: x=1' });

    expect(header).toBe(`Bearer error="invalid_token", error_description="say \\"hi\\" \\\\ byeSet-Cookie: x=1", resource_metadata="${resourceMetadataUrl}"`);
  });

  it('is read back by the MCP SDK client', () => {
    const response = new Response(null, {
      status: 401,
      headers: { 'www-authenticate': wwwAuthenticateHeader({ resourceMetadataUrl, error: 'invalid_token', description: 'token expired', scope: 'mcp:tools' }) },
    });

    expect(extractWWWAuthenticateParams(response)).toEqual({ resourceMetadataUrl: new URL(resourceMetadataUrl), scope: 'mcp:tools', error: 'invalid_token' });
  });
});

describe(AuthorizationServerMetadataRelay.name, () => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await startTestIdp({ registration: true });
  });
  afterAll(() => idp.close());

  const metadataFetches = () => idp.requests.filter((path) => path.startsWith('/.well-known/')).length;

  it("relays the IdP's metadata as published, registration endpoint included, and caches it", async () => {
    let clock = 1_000_000;
    const sut = new AuthorizationServerMetadataRelay({ allowInsecureHttpIssuers: true, now: () => clock });
    const published = (await (await fetch(`${idp.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    const before = metadataFetches();

    const [first, concurrent] = await Promise.all([sut.get(idp.issuer), sut.get(idp.issuer)]);
    const second = await sut.get(idp.issuer);

    expect(first).toEqual(published);
    expect(first).toMatchObject({ issuer: idp.issuer, token_endpoint: `${idp.issuer}/token`, registration_endpoint: `${idp.issuer}/reg` });
    expect(concurrent).toBe(first);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(metadataFetches()).toBe(before + 1);

    clock += 5 * 60_000 + 1;
    await sut.get(idp.issuer);
    expect(metadataFetches()).toBe(before + 2);
  });

  describe('discovery order and failures', () => {
    let server: TestServer;
    /** What the fake IdP answers per path; anything else is 404. */
    let routes: Record<string, (origin: string) => [number, unknown]> = {};
    beforeAll(async () => {
      server = await startServer((req, res, origin) => {
        const route = routes[req.url ?? ''];
        if (!route) return json(res, 404, { error: 'not_found' });
        const [status, body] = route(origin);
        json(res, status, body);
      });
    });
    afterAll(() => server.close());
    const relay = () => new AuthorizationServerMetadataRelay({ allowInsecureHttpIssuers: true, fetchTimeoutMs: 1_000 });
    const failureOf = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(AuthorizationServerMetadataError);
      return error as AuthorizationServerMetadataError;
    };

    it('inserts the well-known path before an issuer path (RFC 8414 §3.1)', async () => {
      routes = { '/.well-known/oauth-authorization-server/tenant1': (o) => [200, { issuer: `${o}/tenant1`, token_endpoint: `${o}/tenant1/token` }] };
      server.requests.length = 0;

      const metadata = await relay().get(`${server.origin}/tenant1`);

      expect(metadata).toEqual({ issuer: `${server.origin}/tenant1`, token_endpoint: `${server.origin}/tenant1/token` });
      expect(server.requests).toEqual(['/.well-known/oauth-authorization-server/tenant1']);
    });

    it('falls back to OpenID Connect discovery', async () => {
      routes = { '/tenant1/.well-known/openid-configuration': (o) => [200, { issuer: `${o}/tenant1`, token_endpoint: `${o}/tenant1/token` }] };
      server.requests.length = 0;

      expect(await relay().get(`${server.origin}/tenant1`)).toMatchObject({ issuer: `${server.origin}/tenant1` });
      expect(server.requests).toEqual([
        '/.well-known/oauth-authorization-server/tenant1',
        '/.well-known/openid-configuration/tenant1',
        '/tenant1/.well-known/openid-configuration',
      ]);
    });

    it('refuses metadata that names another issuer', async () => {
      routes = { '/.well-known/oauth-authorization-server': () => [200, { issuer: 'https://evil.example', token_endpoint: 'https://evil.example/token' }] };

      expect((await failureOf(relay().get(server.origin))).code).toBe('metadata_invalid');
    });

    it('says not found when every location answers 404, and unreachable on a 5xx or a refused connection', async () => {
      routes = {};
      expect((await failureOf(relay().get(server.origin))).code).toBe('metadata_not_found');

      routes = { '/.well-known/oauth-authorization-server': () => [503, { error: 'down' }] };
      expect((await failureOf(relay().get(server.origin))).code).toBe('issuer_unreachable');

      const refused = await failureOf(relay().get(await closedOrigin()));
      expect(refused.code).toBe('issuer_unreachable');
      expect(refused.cause).toBeInstanceOf(TypeError);
    });

    it('remembers a failure briefly instead of asking a dead IdP on every request', async () => {
      routes = { '/.well-known/oauth-authorization-server': () => [503, { error: 'down' }] };
      let clock = 0;
      const sut = new AuthorizationServerMetadataRelay({ allowInsecureHttpIssuers: true, failureTtlMs: 15_000, now: () => clock });
      server.requests.length = 0;

      await failureOf(sut.get(server.origin));
      await failureOf(sut.get(server.origin));
      expect(server.requests).toHaveLength(1);

      clock += 15_001;
      routes = { '/.well-known/oauth-authorization-server': (o) => [200, { issuer: o }] };
      expect(await sut.get(server.origin)).toEqual({ issuer: server.origin });
    });

    it('refuses http issuers unless allowed, and issuers with a query', async () => {
      expect((await failureOf(new AuthorizationServerMetadataRelay().get(server.origin))).code).toBe('issuer_not_allowed');
      expect((await failureOf(relay().get(`${server.origin}/?tenant=1`))).code).toBe('issuer_not_allowed');
    });
  });
});

describe('MCP SDK client discovery against our documents', () => {
  let idp: TestIdp;
  let proxy: TestServer;
  let resource: string;
  beforeAll(async () => {
    idp = await startTestIdp();
    // a stand-in for the proxy: the PRM document at its well-known path, 401 on the MCP endpoint
    proxy = await startServer((req, res, origin) => {
      const resourceUrl = new URL('/t/acme/mcp/github', origin);
      const providers = [provider(idp.issuer, [resourceUrl.href])];
      if (req.url === protectedResourceMetadataPath(resourceUrl)) return json(res, 200, protectedResourceMetadata(resourceUrl.href, providers, ['mcp:tools']));
      if (req.url === resourceUrl.pathname) {
        res.setHeader('www-authenticate', wwwAuthenticateHeader({ resourceMetadataUrl: protectedResourceMetadataUrl(resourceUrl) }));
        return json(res, 401, { error: 'invalid_token' });
      }
      json(res, 404, {});
    });
    resource = `${proxy.origin}/t/acme/mcp/github`;
  });
  afterAll(async () => {
    await proxy.close();
    await idp.close();
  });

  it('finds our protected resource metadata from the 401 and the IdP from it', async () => {
    const challenge = await fetch(resource, { method: 'POST' });
    const { resourceMetadataUrl } = extractWWWAuthenticateParams(challenge);
    expect(challenge.status).toBe(401);
    expect(resourceMetadataUrl?.href).toBe(`${proxy.origin}/.well-known/oauth-protected-resource/t/acme/mcp/github`);

    const byPath = await discoverOAuthProtectedResourceMetadata(resource);
    const byChallenge = await discoverOAuthProtectedResourceMetadata(resource, { resourceMetadataUrl: resourceMetadataUrl ?? '' });

    expect(byChallenge).toEqual(byPath);
    expect(byPath).toMatchObject({ resource, authorization_servers: [idp.issuer], scopes_supported: ['mcp:tools'], bearer_methods_supported: ['header'] });
    expect(checkResourceAllowed({ requestedResource: resource, configuredResource: byPath.resource })).toBe(true);
    expect(await discoverAuthorizationServerMetadata(byPath.authorization_servers?.[0] ?? '')).toMatchObject({ token_endpoint: `${idp.issuer}/token` });
  });

  it('gets a token through SDK auth() that our verifier accepts for the resource', async () => {
    const client = new ClientCredentialsProvider({ clientId: 'agent-svc', clientSecret: CLIENT_SECRET, scope: 'mcp:tools', expectedIssuer: idp.issuer });

    expect(await auth(client, { serverUrl: resource })).toBe('AUTHORIZED');

    const token = (await client.tokens())?.access_token ?? '';
    const principal = await new OAuthBearerVerifier({ allowInsecureHttpIssuers: true }).verify(
      token,
      [provider(idp.issuer, [resource])],
      resource,
      ['mcp:tools'],
    );
    expect(principal).toMatchObject({ subject: 'agent-svc', clientId: 'agent-svc', groups: [...AGENT_GROUPS], scopes: ['mcp:tools'] });
  });
});
