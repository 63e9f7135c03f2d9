/**
 * Admin login through a real OpenID Provider (oidc-provider in this process) shaped like Okta and
 * like Entra ID, over real HTTP redirects and cookies: authorization code + PKCE, state, nonce,
 * groups → roles in a tenant, Entra's group overage, RP-initiated logout, and tampering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { browser } from '../test/browser.js';
import { TestIdp } from '../test/test-idp.js';

const system = { kind: 'system', component: 'test' } as const;

describe('OIDC admin login', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-oidc-'));
  let okta: TestIdp;
  let entra: TestIdp;
  let sut: RunningControlPlane;
  let baseUrl = '';
  const gql = async (cookie: string, query: string, variables: Record<string, unknown> = {}) =>
    (await (await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as {
      data?: Record<string, unknown> | null;
      errors?: { extensions?: Record<string, unknown> }[];
    };

  beforeAll(async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    baseUrl = `http://127.0.0.1:${port}`;
    okta = await TestIdp.start('mcpgate-okta', 'okta-secret', () => `${baseUrl}/auth/oidc/okta/callback`, () => `${baseUrl}/`);
    entra = await TestIdp.start('mcpgate-entra', 'entra-secret', () => `${baseUrl}/auth/oidc/entra/callback`, () => `${baseUrl}/`);
    const providers = [
      { id: 'okta', preset: 'okta', issuer: okta.issuer, clientId: 'mcpgate-okta', clientSecret: 'okta-secret', scopes: ['openid', 'profile', 'email', 'groups'], platformAdminGroups: ['mcpgate-platform'] },
      { id: 'entra', preset: 'entra', issuer: entra.issuer, clientId: 'mcpgate-entra', clientSecret: 'entra-secret', scopes: ['openid', 'profile', 'email', 'groups'] },
    ];
    sut = await startControlPlane(
      controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: String(port), MCPGATE_OIDC_PROVIDERS: JSON.stringify(providers) }),
    );
    await sut.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } }, { actor: system });
    const acme = tenantIdForSlug('acme');
    await sut.commands.execute(acme, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'okta', group: 'acme-admins' }, role: 'tenant-admin' } }, { actor: system });
    // Entra sends group object ids, and app roles in `roles`
    await sut.commands.execute(acme, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'entra', group: '7f3c2a10-0000-4000-8000-000000000001' }, role: 'compliance-auditor' } }, { actor: system });
  });
  afterAll(async () => {
    await sut?.close();
    await Promise.allSettled([okta?.stop(), entra?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the identity providers for the login page', async () => {
    expect(await (await fetch(`${sut.url}/auth/providers`)).json()).toEqual({
      providers: [
        { id: 'okta', displayName: 'okta', preset: 'okta' },
        { id: 'entra', displayName: 'entra', preset: 'entra' },
      ],
      devLogin: true,
    });
  });

  it('signs in an Okta user, maps its groups to roles in the tenant, and returns to the page it came from', async () => {
    okta.nextUser = { sub: '00u1alice', claims: { name: 'Alice Admin', email: 'alice@acme.test', groups: ['acme-admins', 'Everyone'] } };
    const b = browser();
    const landed = await b.visit(`${sut.url}/auth/oidc/okta/login?returnTo=/tenants`);
    expect(new URL(landed.url).pathname).toBe('/tenants');
    expect(b.jar.has('mcpgate_session')).toBe(true);
    expect(b.jar.has('mcpgate_login')).toBe(false);
    const answer = await gql(b.cookie(), '{ me { kind subject groups platformAdmin } tenants { nodes { slug } } }');
    expect(answer.data).toEqual({ me: { kind: 'user', subject: '00u1alice', groups: ['acme-admins', 'Everyone'], platformAdmin: false }, tenants: { nodes: [{ slug: 'acme' }] } });
    const created = await gql(b.cookie(), 'mutation { createTenant(input: { slug: "nope", displayName: "x", regions: ["eu-west-1"] }) { id } }');
    expect(created.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('makes members of the configured platform-admin group platform admins, and records users just in time', async () => {
    okta.nextUser = { sub: '00u1root', claims: { name: 'Root', groups: ['mcpgate-platform'] } };
    const b = browser();
    await b.visit(`${sut.url}/auth/oidc/okta/login`);
    expect((await gql(b.cookie(), '{ me { platformAdmin } }')).data).toEqual({ me: { platformAdmin: true } });
    const users = ((await gql(b.cookie(), '{ users { nodes { subject idpId displayName loginCount } } }')).data!['users'] as { nodes: { subject: string }[] }).nodes;
    expect(users).toContainEqual({ subject: '00u1root', idpId: 'okta', displayName: 'Root', loginCount: 1 });
    expect(users.map((u) => u.subject)).toContain('00u1alice');
  });

  it('signs in an Entra ID user by group object id with read-only auditor rights', async () => {
    entra.nextUser = { sub: 'AAAAAAAAAAAAAAAAAAAAAFbob', claims: { name: 'Bob', groups: ['7f3c2a10-0000-4000-8000-000000000001'], roles: ['MCP.Reader'], tid: '72f988bf-0000-0000-0000-000000000000' } };
    const b = browser();
    await b.visit(`${sut.url}/auth/oidc/entra/login`);
    const acme = tenantIdForSlug('acme');
    const me = await gql(b.cookie(), '{ me { groups } }');
    expect(me.data).toEqual({ me: { groups: ['7f3c2a10-0000-4000-8000-000000000001', 'MCP.Reader'] } });
    expect((await gql(b.cookie(), 'query($t: ID!) { activity(tenantId: $t) { nodes { type } } }', { t: acme })).errors).toBeUndefined();
    const write = await gql(b.cookie(), 'mutation($t: ID!) { renameTenant(tenantId: $t, displayName: "x") { version } }', { t: acme });
    expect(write.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('refuses an Entra group overage with an explicit error instead of signing in without groups', async () => {
    entra.nextUser = {
      sub: 'AAAAAAAAAAAAAAAAAAAAAFcarol',
      claims: { name: 'Carol', _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph.microsoft.com/v1.0/users/carol/getMemberObjects' } } },
    };
    const b = browser();
    const landed = await b.visit(`${sut.url}/auth/oidc/entra/login`);
    expect(landed.status).toBe(403);
    expect(JSON.parse(landed.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'auth.entra_group_overage' });
    expect(b.jar.has('mcpgate_session')).toBe(false);
  });

  it('refuses a callback without its login transaction or with a forged state', async () => {
    const forged = await fetch(`${sut.url}/auth/oidc/okta/callback?code=abc&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'auth.login_expired' });

    okta.nextUser = { sub: '00u1mallory', claims: { groups: ['acme-admins'] } };
    const b = browser();
    const start = await fetch(`${sut.url}/auth/oidc/okta/login`, { redirect: 'manual' });
    const loginCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const [name, value] = loginCookie.split('=');
    b.jar.set(name!, value!);
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('state', 'tampered-state');
    const landed = await b.visit(authorize.href);
    expect(landed.status).toBe(401);
    expect(JSON.parse(landed.body)).toMatchObject({ reason: 'auth.callback_invalid' });
    expect(b.jar.has('mcpgate_session')).toBe(false);
  });

  it('refuses returnTo targets outside the console (no open redirect)', async () => {
    okta.nextUser = { sub: '00u1alice', claims: { groups: [] } };
    const b = browser();
    const landed = await b.visit(`${sut.url}/auth/oidc/okta/login?returnTo=//evil.example/steal`);
    expect(new URL(landed.url).origin).toBe(new URL(sut.url).origin);
    // back to the root of this origin, which sends a browser on to the console
    expect(new URL(landed.url).pathname).toBe('/console/');
  });

  it('logs out locally and hands back the IdP end-session URL (RP-initiated logout)', async () => {
    okta.nextUser = { sub: '00u1alice', claims: { groups: ['acme-admins'] } };
    const b = browser();
    await b.visit(`${sut.url}/auth/oidc/okta/login`);
    const res = await fetch(`${sut.url}/auth/logout`, { method: 'POST', headers: { cookie: b.cookie() } });
    const body = (await res.json()) as { endSessionUrl: string };
    expect(new URL(body.endSessionUrl).origin).toBe(okta.issuer);
    expect(new URL(body.endSessionUrl).searchParams.get('id_token_hint')).toBeTruthy();
    expect((await gql(b.cookie(), '{ me { subject } }')).data).toEqual({ me: null });
  });
});
