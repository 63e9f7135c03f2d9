/**
 * Console sessions shared through PostgreSQL: two control-plane instances on one database (as two
 * replicas behind a load balancer), a login on one, the cookie used on the other, logout on the
 * other ends it on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { startPostgres, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../../start.js';

describe('console sessions across two control-plane instances', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'mcpgate-session-a-')), mkdtempSync(join(tmpdir(), 'mcpgate-session-b-'))];
  let postgres: StartedPostgres;
  const instances: RunningControlPlane[] = [];

  const me = async (url: string, cookie: string) =>
    (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query: '{ me { subject platformAdmin } }' }) })).json()) as {
      data?: { me: { subject: string; platformAdmin: boolean } | null };
    };

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase('sessions');
    // one after the other: the first applies the migrations
    for (const dir of dirs) instances.push(await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dir, MCPGATE_API_PORT: '0', DATABASE_URL: databaseUrl })));
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(instances.map((i) => i.close()));
    await postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in on one instance, is signed in on the other, and a logout on either ends it on both', async () => {
    const [a, b] = instances as [RunningControlPlane, RunningControlPlane];
    const login = await fetch(`${a.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'grace', platformAdmin: true }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await me(b.url, cookie)).data).toEqual({ me: { subject: 'grace', platformAdmin: true } });
    expect((await me(a.url, cookie)).data).toEqual({ me: { subject: 'grace', platformAdmin: true } });

    const logout = await fetch(`${b.url}/auth/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(logout.status).toBe(200);
    expect((await me(a.url, cookie)).data).toEqual({ me: null });
    expect((await me(b.url, cookie)).data).toEqual({ me: null });
    const again = await fetch(`${a.url}/auth/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(401);
  });
});
