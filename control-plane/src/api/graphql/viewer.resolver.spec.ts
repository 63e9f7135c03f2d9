/**
 * `myPermissions`: what the console asks to show only what the caller may use. Real HTTP against an
 * embedded control plane, with development-login sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, PERMISSIONS } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { ViewerResolver } from './viewer.resolver.js';

describe(ViewerResolver.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-viewer-'));
  let sut: RunningControlPlane;

  const login = async (body: Record<string, unknown>) => {
    const res = await fetch(`${sut.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const gql = async (query: string, variables: Record<string, unknown>, cookie?: string) => {
    const res = await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] };
  };
  const myPermissions = 'query($t: ID) { myPermissions(tenantId: $t) }';

  beforeAll(async () => {
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }));
  });
  afterAll(async () => {
    await sut?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers UNAUTHENTICATED without a session', async () => {
    expect((await gql(myPermissions, {})).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('lists a platform admin’s permissions everywhere, and only role-bound ones for a member', async () => {
    const admin = await login({ subject: 'root' });
    expect((await gql(myPermissions, {}, admin)).data).toEqual({ myPermissions: [...PERMISSIONS] });

    const created = await gql('mutation { createTenant(input: { slug: "viewer", displayName: "Viewer", regions: ["eu-west-1"] }) { id } }', {}, admin);
    const tenantId = (created.data!['createTenant'] as { id: string }).id;
    await gql(
      'mutation($t: ID!, $s: JSONObject!) { createRoleBinding(tenantId: $t, subject: $s, role: "viewer") { version } }',
      { t: tenantId, s: { kind: 'user', issuer: 'urn:mcpgate:dev-login', subject: 'vera' } },
      admin,
    );
    const vera = await login({ subject: 'vera', platformAdmin: false });
    const inTenant = (await gql(myPermissions, { t: tenantId }, vera)).data!['myPermissions'] as string[];
    expect(inTenant).toContain('key:read');
    expect(inTenant).not.toContain('key:issue');
    // nothing outside her tenant: neither platform-wide nor in a tenant id she guesses
    expect((await gql(myPermissions, {}, vera)).data).toEqual({ myPermissions: [] });
    expect((await gql(myPermissions, { t: 'ten_unknown' }, vera)).data).toEqual({ myPermissions: [] });
  });
});
