/**
 * The admin API over real HTTP against an embedded control plane: sessions, fail-closed
 * authorization, tenant isolation, typed errors and abuse limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../start.js';

interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Polls until `probe` answers (read models follow the log within milliseconds). */
const waitFor = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the read model');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('GraphQL admin API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-api-'));
  let sut: RunningControlPlane;
  let admin: string;

  const login = async (body: Record<string, unknown> = {}) => {
    const res = await fetch(`${sut.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}, cookie?: string) => {
    const res = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphqlAnswer };
  };
  const codeOf = (answer: GraphqlAnswer) => answer.errors?.[0]?.extensions?.['code'];

  beforeAll(async () => {
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }));
    admin = await login();
  });
  afterAll(async () => {
    await sut?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an anonymous caller with UNAUTHENTICATED and answers `me` with null', async () => {
    expect(codeOf((await gql('{ tenants { nodes { id } } }')).body)).toBe('UNAUTHENTICATED');
    expect((await gql('{ me { subject } }')).body.data).toEqual({ me: null });
    expect((await gql('{ me { subject platformAdmin } }', {}, admin)).body.data).toEqual({ me: { subject: 'dev-admin', platformAdmin: true } });
  });

  it('runs an admin flow: tenant, upstream server, virtual server, key shown once, and the activity history', async () => {
    const created = await gql('mutation($input: CreateTenantInput!) { createTenant(input: $input) { id version logPosition } }', { input: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } }, admin);
    const tenantId = (created.body.data!['createTenant'] as { id: string }).id;
    expect(created.body.data).toMatchObject({ createTenant: { version: 1, logPosition: '0:0' } });
    const server = await gql(
      'mutation($t: ID!, $c: JSONObject!) { registerUpstreamServer(tenantId: $t, config: $c) { id } }',
      { t: tenantId, c: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: 'https://gh.example/mcp' }] } } },
      admin,
    );
    const serverId = (server.body.data!['registerUpstreamServer'] as { id: string }).id;
    const bundle = await gql('mutation($t: ID!, $c: JSONObject!) { createVirtualServer(tenantId: $t, config: $c) { id } }', { t: tenantId, c: { name: 'dev', upstreams: [{ serverId }] } }, admin);
    const virtualServerId = (bundle.body.data!['createVirtualServer'] as { id: string }).id;
    const key = await gql('mutation($i: IssueVirtualKeyInput!) { issueVirtualKey(input: $i) { keyId secret } }', { i: { tenantId, name: 'ci', scopes: { virtualServerIds: [virtualServerId] } } }, admin);
    const { secret } = key.body.data!['issueVirtualKey'] as { secret: string };
    expect(secret).toMatch(/^mcpg_/);

    const deadline = Date.now() + 10_000;
    let listed: GraphqlAnswer = {};
    while (Date.now() < deadline) {
      listed = (await gql('query($t: ID!) { upstreamServers(tenantId: $t) { nodes { name transport } } virtualKeys(tenantId: $t) { nodes { keyPrefix scopes status } } activity(tenantId: $t) { nodes { type actor } } }', { t: tenantId }, admin)).body;
      if ((listed.data?.['activity'] as { nodes: unknown[] } | undefined)?.nodes.length === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(listed.data?.['upstreamServers']).toEqual({ nodes: [{ name: 'github', transport: 'streamable-http' }] });
    expect(listed.data?.['virtualKeys']).toEqual({ nodes: [expect.objectContaining({ keyPrefix: secret.slice(0, 13), status: 'active' })] });
    expect((listed.data?.['activity'] as { nodes: { type: string }[] }).nodes.map((a) => a.type)).toEqual(expect.arrayContaining(['TenantCreated', 'VirtualKeyIssued']));
    expect(JSON.stringify(listed)).not.toContain(secret.slice(13));
  });

  it('keeps tenants apart: a tenant admin of one tenant can neither read nor change another', async () => {
    const a = await gql('mutation { createTenant(input: { slug: "alpha", displayName: "Alpha", regions: ["eu-west-1"] }) { id } }', {}, admin);
    const b = await gql('mutation { createTenant(input: { slug: "beta", displayName: "Beta", regions: ["eu-west-1"] }) { id } }', {}, admin);
    const alpha = (a.body.data!['createTenant'] as { id: string }).id;
    const beta = (b.body.data!['createTenant'] as { id: string }).id;
    await sut.commands.execute(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-admins' }, role: 'tenant-admin' } }, { actor: { kind: 'system', component: 'test' } });
    const alice = await login({ subject: 'alice', groups: ['alpha-admins'], platformAdmin: false });

    expect((await gql('{ tenants { nodes { slug } } }', {}, alice)).body.data).toEqual({ tenants: { nodes: [{ slug: 'alpha' }] } });
    expect((await gql('query($t: ID!) { tenant(tenantId: $t) { slug } }', { t: alpha }, alice)).body.data).toEqual({ tenant: { slug: 'alpha' } });
    const foreignRead = await gql('query($t: ID!) { tenant(tenantId: $t) { slug } }', { t: beta }, alice);
    const unknownRead = await gql('query($t: ID!) { tenant(tenantId: $t) { slug } }', { t: 'ten_doesnotexist0000' }, alice);
    expect([codeOf(foreignRead.body), codeOf(unknownRead.body)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(foreignRead.body.errors?.[0]?.message).toBe(unknownRead.body.errors?.[0]?.message);
    expect(codeOf((await gql('query($t: ID!) { virtualKeys(tenantId: $t) { nodes { id } } }', { t: beta }, alice)).body)).toBe('FORBIDDEN');
    expect(codeOf((await gql('mutation($t: ID!) { renameTenant(tenantId: $t, displayName: "pwned") { version } }', { t: beta }, alice)).body)).toBe('FORBIDDEN');
    expect(codeOf((await gql('mutation { createTenant(input: { slug: "gamma", displayName: "G", regions: ["eu-west-1"] }) { id } }', {}, alice)).body)).toBe('FORBIDDEN');
  });

  it('answers bad input with typed errors, never a stack trace', async () => {
    const malformed = await gql('{ tenants { id ', {}, admin);
    expect(codeOf(malformed.body)).toBe('VALIDATION');
    expect(codeOf((await gql('{ nosuchfield }', {}, admin)).body)).toBe('VALIDATION');
    const wrongType = await gql('mutation { createTenant(input: { slug: 42, displayName: "x", regions: [] }) { id } }', {}, admin);
    expect(codeOf(wrongType.body)).toBe('VALIDATION');
    const invalidConfig = await gql('mutation { createTenant(input: { slug: "Not A Slug", displayName: "x", regions: ["eu-west-1"] }) { id } }', {}, admin);
    expect(invalidConfig.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'input.invalid', issues: [{ path: ['data', 'slug'] }] });
    const unknownId = await gql('mutation { createTenant(input: { slug: "acme", displayName: "Another Acme", regions: ["eu-west-1"] }) { id } }', {}, admin);
    expect(unknownId.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'tenant.slug_taken' });
    expect(JSON.stringify([malformed, wrongType, invalidConfig, unknownId])).not.toMatch(/\bat .+\.ts:\d+|stacktrace/);
  });

  it('refuses abusive queries before running them: too many fields, too many items per page, too large a body', async () => {
    const fine = `query { ${Array.from({ length: 10 }, (_, i) => `a${i}: me { subject }`).join(' ')} }`;
    expect((await gql(fine, {}, admin)).body.errors).toBeUndefined();
    const tooMany = `query { ${Array.from({ length: 600 }, (_, i) => `f${i}: me { kind }`).join(' ')} }`;
    expect((await gql(tooMany, {}, admin)).body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'graphql.too_many_fields' });
    const page = await gql('query($t: ID!) { upstreamServers(tenantId: $t, first: 1000) { nodes { id } } }', { t: 'ten_doesnotexist0000' }, admin);
    expect(page.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'page.size_out_of_range' });
    const batch = await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }]) });
    expect(batch.status).toBe(400);
    const huge = await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ query: `{ me { kind } } #${'x'.repeat(2_000_000)}` }) });
    expect(huge.status).toBe(413);
  });

  it('vaults credentials: no query, error or activity entry ever shows the secret', async () => {
    const t = (await gql('mutation { createTenant(input: { slug: "vaulted", displayName: "V", regions: ["eu-west-1"] }) { id } }', {}, admin)).body.data!['createTenant'] as { id: string };
    const secret = 'ghp_TheActualSecretValue123';
    const stored = await gql('mutation($t: ID!, $s: String!) { storeCredential(tenantId: $t, name: "github-token", secret: $s) { id } }', { t: t.id, s: secret }, admin);
    expect(stored.body.errors).toBeUndefined();
    const everything = JSON.stringify(
      await Promise.all([
        gql('query($t: ID!) { credentials(tenantId: $t) { nodes { id name kind } } activity(tenantId: $t) { nodes { type data before after } } }', { t: t.id }, admin),
        gql('mutation($t: ID!, $s: String!) { storeCredential(tenantId: $t, name: "github-token", secret: $s) { id } }', { t: t.id, s: secret }, admin),
      ]),
    );
    expect(everything).toContain('credential.name_taken');
    expect(everything).not.toContain(secret);
  });

  it('answers the effective policy at a past position and the diff between two positions', async () => {
    const t = (await gql('mutation { createTenant(input: { slug: "pit", displayName: "PIT", regions: ["eu-west-1"] }) { id } }', {}, admin)).body.data!['createTenant'] as { id: string };
    const first = (await gql('mutation($t: ID!, $d: JSONObject!) { createPolicy(tenantId: $t, name: "default", document: $d) { id logPosition } }', { t: t.id, d: { toolRules: [] } }, admin)).body.data!['createPolicy'] as { id: string; logPosition: string };
    const deny = { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'] }] };
    const second = (await gql('mutation($t: ID!, $p: ID!, $d: JSONObject!) { updatePolicy(tenantId: $t, policyId: $p, document: $d, changeNote: "lock down") { logPosition } }', { t: t.id, p: first.id, d: deny }, admin)).body.data!['updatePolicy'] as { logPosition: string };
    const then = await gql('query($t: ID!, $at: String!) { effectivePolicyAt(tenantId: $t, at: $at) }', { t: t.id, at: first.logPosition }, admin);
    expect(then.body.data!['effectivePolicyAt']).toMatchObject({ effective: { toolRules: [] } });
    const diff = await gql('query($t: ID!, $f: String!, $to: String!) { policyDiff(tenantId: $t, from: $f, to: $to) }', { t: t.id, f: first.logPosition, to: second.logPosition }, admin);
    expect(JSON.stringify(diff.body.data)).toContain('no-deletes');
    const bad = await gql('query($t: ID!) { effectivePolicyAt(tenantId: $t, at: "yesterday") }', { t: t.id }, admin);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'point_in_time.invalid_position' });
  });

  it('authenticates service accounts by bearer API token, within their tenant and permissions only', async () => {
    const create = async (slug: string) => ((await gql(`mutation { createTenant(input: { slug: "${slug}", displayName: "${slug}", regions: ["eu-west-1"] }) { id } }`, {}, admin)).body.data!['createTenant'] as { id: string }).id;
    const home = await create('automation');
    const other = await create('elsewhere');
    const sa = (await gql('mutation($t: ID!) { createServiceAccount(tenantId: $t, name: "ci", permissions: ["server:read"]) { id } }', { t: home }, admin)).body.data!['createServiceAccount'] as { id: string };
    const issued = (await gql('mutation($t: ID!, $s: ID!) { issueApiToken(tenantId: $t, serviceAccountId: $s) { tokenId token } }', { t: home, s: sa.id }, admin)).body.data!['issueApiToken'] as { tokenId: string; token: string };
    expect(issued.token).toMatch(/^mcpgsa_[A-Za-z0-9]{40}$/);
    const bearer = async (query: string, variables: Record<string, unknown>, token = issued.token) => {
      const res = await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as GraphqlAnswer;
    };
    expect((await bearer('query($t: ID!) { upstreamServers(tenantId: $t) { nodes { id } } }', { t: home })).data).toEqual({ upstreamServers: { nodes: [] } });
    expect(codeOf(await bearer('query($t: ID!) { upstreamServers(tenantId: $t) { nodes { id } } }', { t: other }))).toBe('FORBIDDEN');
    expect(codeOf(await bearer('mutation($t: ID!) { renameTenant(tenantId: $t, displayName: "x") { version } }', { t: home }))).toBe('FORBIDDEN');
    expect(codeOf(await bearer('{ tenants { nodes { id } } }', {}, 'mcpgsa_' + 'x'.repeat(40)))).toBe('UNAUTHENTICATED');
    const listed = await gql('query($t: ID!) { serviceAccounts(tenantId: $t) { nodes { name permissions tokens { tokenPrefix status } } } }', { t: home }, admin);
    expect(JSON.stringify(listed.body)).not.toContain(issued.token.slice(15));
    // each authenticated request counts as a use of the token (written within seconds), shown as its last use
    const lastUsedAt = await waitFor(async () => {
      const answer = await gql('query($t: ID!) { serviceAccounts(tenantId: $t) { nodes { tokens { id lastUsedAt } } } }', { t: home }, admin);
      const [node] = (answer.body.data!['serviceAccounts'] as { nodes: { tokens: { id: string; lastUsedAt: string | null }[] }[] }).nodes;
      return node?.tokens.find((t) => t.id === issued.tokenId)?.lastUsedAt ?? undefined;
    }, 15_000);
    expect(Date.now() - Date.parse(lastUsedAt)).toBeLessThan(60_000);

    await gql('mutation($t: ID!, $s: ID!, $k: ID!) { revokeApiToken(tenantId: $t, serviceAccountId: $s, tokenId: $k, reason: "rotated") { version } }', { t: home, s: sa.id, k: issued.tokenId }, admin);
    expect(codeOf(await bearer('query($t: ID!) { upstreamServers(tenantId: $t) { nodes { id } } }', { t: home }))).toBe('UNAUTHENTICATED');

    await sut.commands.execute(home, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'automation-admins' }, role: 'tenant-admin' } }, { actor: { kind: 'system', component: 'test' } });
    const tenantAdmin = await login({ subject: 'tina', groups: ['automation-admins'], platformAdmin: false });
    const tooMuch = await gql('mutation($t: ID!) { createServiceAccount(tenantId: $t, name: "root", permissions: ["platform:tenants:manage"]) { id } }', { t: home }, tenantAdmin);
    expect(tooMuch.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'service_account.exceeds_creator' });
  });

  it("manages a tenant's identity providers: discovery of jwksUri, typed errors, security-admin may change them and viewers only read", async () => {
    // an issuer that publishes OpenID Connect discovery metadata, on this machine
    const idp = createServer((req, res) => {
      const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      if (req.url === '/.well-known/openid-configuration') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    try {
      const tenantId = ((await gql('mutation { createTenant(input: { slug: "idps", displayName: "IdPs", regions: ["eu-west-1"] }) { id } }', {}, admin)).body.data!['createTenant'] as { id: string }).id;
      for (const [group, role] of [['idps-security', 'security-admin'], ['idps-viewers', 'viewer']] as const) {
        await sut.commands.execute(tenantId, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group }, role } }, { actor: { kind: 'system', component: 'test' } });
      }
      const security = await login({ subject: 'sec', groups: ['idps-security'], platformAdmin: false });
      const viewer = await login({ subject: 'vic', groups: ['idps-viewers'], platformAdmin: false });
      const audience = 'https://mcp.example/t/idps/mcp/dev';
      const registerMutation = 'mutation($t: ID!, $i: RegisterIdentityProviderInput!) { registerIdentityProvider(tenantId: $t, input: $i) { id version } }';

      const registered = await gql(registerMutation, { t: tenantId, i: { id: 'corp', issuer, audiences: [audience] } }, security);
      expect(registered.body).toEqual({ data: { registerIdentityProvider: { id: 'corp', version: 1 } } });
      const repeated = await gql(registerMutation, { t: tenantId, i: { id: 'corp', issuer, audiences: [audience] } }, security);
      expect(repeated.body.data).toEqual({ registerIdentityProvider: { id: 'corp', version: 1 } });
      expect(codeOf((await gql(registerMutation, { t: tenantId, i: { id: 'other', issuer, jwksUri: `${issuer}/jwks`, audiences: [audience] } }, viewer)).body)).toBe('FORBIDDEN');

      const list = 'query($t: ID!) { identityProviders(tenantId: $t) { nodes { id issuer jwksUri audiences groupsClaim status } } }';
      const listed = await waitFor(async () => {
        const answer = (await gql(list, { t: tenantId }, viewer)).body;
        return (answer.data?.['identityProviders'] as { nodes: unknown[] } | undefined)?.nodes.length ? answer : undefined;
      });
      expect(listed.data).toEqual({ identityProviders: { nodes: [{ id: 'corp', issuer, jwksUri: `${issuer}/jwks`, audiences: [audience], groupsClaim: 'groups', status: 'active' }] } });

      const errors = await Promise.all([
        gql(registerMutation, { t: tenantId, i: { id: 'copy', issuer, audiences: [audience] } }, admin),
        gql(registerMutation, { t: tenantId, i: { id: 'corp', issuer, audiences: [audience], groupsClaim: 'roles' } }, admin),
        gql(registerMutation, { t: tenantId, i: { id: 'plain', issuer: 'http://idp.example', audiences: [audience] } }, admin),
        gql(registerMutation, { t: tenantId, i: { id: 'foreign', issuer: 'https://foreign.example', jwksUri: 'https://foreign.example/jwks', audiences: ['https://mcp.example/t/acme/mcp/dev'] } }, admin),
        gql(registerMutation, { t: tenantId, i: { id: 'silent', issuer: `${issuer}/nothing-here`, audiences: [audience] } }, admin),
        gql('mutation($t: ID!) { updateIdentityProvider(tenantId: $t, identityProviderId: "nope", input: { groupsClaim: "roles" }) { version } }', { t: tenantId }, admin),
      ]);
      expect(errors.map((e) => e.body.errors?.[0]?.extensions)).toEqual([
        expect.objectContaining({ code: 'CONFLICT', reason: 'identity_provider.issuer_taken' }),
        expect.objectContaining({ code: 'CONFLICT', reason: 'identity_provider.id_taken' }),
        expect.objectContaining({ code: 'VALIDATION', reason: 'input.invalid', issues: [expect.objectContaining({ path: ['data', 'issuer'] })] }),
        expect.objectContaining({ code: 'VALIDATION', reason: 'identity_provider.audience_other_tenant' }),
        expect.objectContaining({ code: 'UNAVAILABLE', reason: 'identity_provider.discovery_failed' }),
        expect.objectContaining({ code: 'NOT_FOUND', reason: 'identity_provider.not_found' }),
      ]);

      const updated = await gql('mutation($t: ID!) { updateIdentityProvider(tenantId: $t, identityProviderId: "corp", input: { groupsClaim: "roles" }) { version } }', { t: tenantId }, security);
      expect(updated.body.data).toEqual({ updateIdentityProvider: { version: 2 } });
      const removed = await gql('mutation($t: ID!) { removeIdentityProvider(tenantId: $t, identityProviderId: "corp") { version } }', { t: tenantId }, security);
      expect(removed.body.data).toEqual({ removeIdentityProvider: { version: 3 } });
      const afterRemoval = await waitFor(async () => {
        const answer = (await gql('query($t: ID!) { identityProviders(tenantId: $t, filter: { status: "removed" }) { nodes { id groupsClaim status } } }', { t: tenantId }, viewer)).body;
        return JSON.stringify(answer).includes('removed') ? answer : undefined;
      });
      expect(afterRemoval.data).toEqual({ identityProviders: { nodes: [{ id: 'corp', groupsClaim: 'roles', status: 'removed' }] } });
      expect((await gql(list, { t: tenantId }, viewer)).body.data).toEqual({ identityProviders: { nodes: [] } });
    } finally {
      idp.closeAllConnections();
      await new Promise<void>((resolve) => idp.close(() => resolve()));
    }
  });

  it('refuses cross-site request forgery: requests a foreign page could send with the session cookie', async () => {
    const mutation = 'mutation { createTenant(input: { slug: "csrf", displayName: "CSRF", regions: ["eu-west-1"] }) { id } }';
    const attempts = await Promise.all([
      fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie: admin }, body: JSON.stringify({ query: mutation }) }),
      fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin }, body: `query=${encodeURIComponent(mutation)}` }),
      fetch(`${sut.url}/graphql?query=${encodeURIComponent(mutation)}`, { headers: { cookie: admin } }),
      fetch(`${sut.url}/graphql?query=${encodeURIComponent('{ tenants { nodes { id } } }')}`, { headers: { cookie: admin } }),
    ]);
    expect(attempts.map((r) => r.status >= 400)).toEqual([true, true, true, true]);
    expect((await gql('{ tenants { nodes { slug } } }', {}, admin)).body.data!['tenants']).toEqual({ nodes: expect.not.arrayContaining([{ slug: 'csrf' }]) });
  });

  it('ends a session on logout', async () => {
    const cookie = await login({ subject: 'leaving' });
    expect((await fetch(`${sut.url}/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(200);
    expect(codeOf((await gql('{ tenants { nodes { id } } }', {}, cookie)).body)).toBe('UNAUTHENTICATED');
  });
});

describe('the development login outside development mode', () => {
  it('does not exist: 404 with a typed reason, and no session is created', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-api-prod-'));
    const dev = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }));
    await dev.close();
    const sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', MCPGATE_ENV: 'production' }));
    try {
      const res = await fetch(`${sut.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ reason: 'auth.dev_login_disabled' });
      expect(res.headers.get('set-cookie')).toBeNull();
    } finally {
      await sut.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
