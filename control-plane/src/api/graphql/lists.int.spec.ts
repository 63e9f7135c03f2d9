/**
 * The list queries over the real GraphQL API on PostgreSQL: cursor pages walked to the end while
 * rows are being added, filters, sorting both ways, typed errors for bad cursors, tenant isolation
 * through cursors and ids; the activity history with each aggregate before and after a change (and
 * no secret in it); key usage from real recorded tool calls; and policy simulation over recorded
 * calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ControlCommand, controlPlaneConfigFromEnv, type AuditEvent } from '@mcpgate/contracts';
import { startPostgres, waitUntil, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { adminApi, dataOf, type Answer } from '../test/graphql-client.js';

interface Connection<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const alpha = tenantIdForSlug('lists-alpha');
const beta = tenantIdForSlug('lists-beta');
const actor = { kind: 'system', component: 'test' } as const;
const policyName = (i: number) => `policy-${String(i).padStart(3, '0')}`;

describe('list queries, activity, key usage and simulation on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-lists-'));
  let postgres: StartedPostgres;
  let sut: RunningControlPlane;
  let admin: string;
  let alphaAdmin: string;

  const { login, gql } = adminApi(() => sut.url);
  const data = dataOf;
  const errorOf = (answer: Answer) => answer.errors?.[0]?.extensions;

  const POLICIES = `query($t: ID!, $first: Int!, $after: String, $filter: PolicyFilter, $orderBy: NamedOrder) {
    policies(tenantId: $t, first: $first, after: $after, filter: $filter, orderBy: $orderBy) { nodes { id name } pageInfo { endCursor hasNextPage } totalCount } }`;
  const policies = async (variables: Record<string, unknown>, cookie = admin) =>
    data(await gql(cookie, POLICIES, { t: alpha, first: 50, ...variables }))['policies'] as Connection<{ id: string; name: string }>;
  const walk = async (variables: Record<string, unknown>, onPage: () => Promise<void> = async () => {}) => {
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      const answer: Connection<{ name: string }> = await policies({ ...variables, after });
      names.push(...answer.nodes.map((n) => n.name));
      await onPage();
      if (!answer.pageInfo.hasNextPage) return names;
      after = answer.pageInfo.endCursor;
    }
    throw new Error('the pages never ended');
  };
  /** A command as the API would send it: parsed by the contracts, defaults filled in. */
  const execute = (tenantId: string | undefined, command: Record<string, unknown>) => sut.commands.execute(tenantId, ControlCommand.parse(command), { actor });
  const createPolicy = (tenantId: string, name: string) => execute(tenantId, { type: 'CreatePolicy', data: { name, document: { toolRules: [] }, description: '' } });

  let createdWhileWalking = 0;

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase('lists_api');
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', DATABASE_URL: databaseUrl }));
    admin = await login();
    for (const slug of ['lists-alpha', 'lists-beta']) await execute(undefined, { type: 'CreateTenant', data: { slug, displayName: slug, regions: ['eu-west-1'] } });
    await execute(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-admins' }, role: 'tenant-admin' } });
    alphaAdmin = await login({ subject: 'ada', groups: ['alpha-admins'], platformAdmin: false });
    for (let i = 0; i < 24; i += 2) await createPolicy(alpha, policyName(i));
    for (let i = 0; i < 3; i += 1) await createPolicy(beta, `beta-secret-policy-${i}`);
    await waitUntil('the policies in the read model', async () => (await policies({ first: 1 })).totalCount === 12 || undefined);
  }, 120_000);
  afterAll(async () => {
    await sut?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('walks every page to the end without a duplicate or a gap while rows are inserted between pages', async () => {
    const existing = Array.from({ length: 12 }, (_, i) => policyName(i * 2));
    let next = 1;
    // odd names land between the pages already read and those still to come
    const names = await walk({ first: 5 }, async () => {
      if (next < 24) {
        await createPolicy(alpha, policyName(next));
        createdWhileWalking += 1;
      }
      next += 4;
    });
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(existing));
    const total = (await policies({ first: 1 })).totalCount;
    expect(total).toBeGreaterThan(12);
  });

  it('filters, sorts both ways, and limits the page size', async () => {
    // the read model is projected asynchronously: the policies the test above created must all be in it
    await waitUntil('the policies created while walking in the read model', async () => (await policies({ first: 1 })).totalCount === 12 + createdWhileWalking || undefined);
    const ascending = await walk({ first: 7 });
    const descending = await walk({ first: 7, orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(descending).toEqual([...ascending].reverse());
    const byCreation = await walk({ first: 4, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(byCreation.slice(0, 3)).toEqual([policyName(0), policyName(2), policyName(4)]);
    const filtered = await policies({ filter: { nameContains: 'POLICY-01' } });
    expect(filtered.nodes.map((n) => n.name)).toEqual(ascending.filter((n) => n.startsWith('policy-01')));
    expect(filtered.totalCount).toBe(filtered.nodes.length);
    expect(errorOf(await gql(admin, POLICIES, { t: alpha, first: 101 }))).toMatchObject({ code: 'VALIDATION', reason: 'page.size_out_of_range' });
  });

  it('answers a forged cursor, a cursor of another ordering and an unknown sort field with VALIDATION', async () => {
    const first = await policies({ first: 2 });
    for (const after of ['not-a-cursor', Buffer.from('{"f":"name","k":[1]}').toString('base64url')]) {
      expect(errorOf(await gql(admin, POLICIES, { t: alpha, first: 2, after }))).toMatchObject({ code: 'VALIDATION', reason: 'page.invalid_cursor' });
    }
    const otherOrder = await gql(admin, POLICIES, { t: alpha, first: 2, after: first.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(errorOf(otherOrder)).toMatchObject({ code: 'VALIDATION', reason: 'page.invalid_cursor' });
    expect(errorOf(await gql(admin, POLICIES, { t: alpha, first: 2, orderBy: { field: 'SECRET', direction: 'ASC' } }))).toMatchObject({ code: 'VALIDATION' });
  });

  it('keeps tenants apart through cursors and ids', async () => {
    const betaPage = data(await gql(admin, POLICIES, { t: beta, first: 1 }))['policies'] as Connection<{ name: string }>;
    expect(betaPage.pageInfo.hasNextPage).toBe(true);
    // beta's cursor, used with alpha, positions inside alpha only
    const throughCursor = await policies({ first: 50, after: betaPage.pageInfo.endCursor }, alphaAdmin);
    expect(JSON.stringify(throughCursor)).not.toContain('beta-secret');
    const foreign = await gql(alphaAdmin, POLICIES, { t: beta, first: 5, after: betaPage.pageInfo.endCursor });
    expect(errorOf(foreign)).toMatchObject({ code: 'FORBIDDEN' });
    const tenants = data(await gql(alphaAdmin, '{ tenants(first: 10) { nodes { slug } totalCount } }'))['tenants'];
    expect(tenants).toEqual({ nodes: [{ slug: 'lists-alpha' }], totalCount: 1 });
  });

  describe('with a key, recorded calls and admin changes', () => {
    let keyId: string;
    let secret: string;
    const recorded: AuditEvent[] = [];
    const callBy = (i: number, tool: string, outcome: 'allowed' | 'denied'): AuditEvent => ({
      schemaVersion: 1,
      eventId: randomUUID(),
      time: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
      tenantId: alpha,
      region: 'eu-west-1',
      proxyId: 'proxy-a',
      principal: { kind: 'virtual-key', keyId, keyPrefix: secret.slice(0, 13) },
      method: 'tools/call',
      tool,
      decision: { outcome, reason: outcome === 'allowed' ? 'policy.allowed' : 'policy.tool_denied', ...(outcome === 'denied' ? { ruleId: 'no-deletes' } : {}) },
      latencyMs: 3,
      policyVersion: { logPosition: '0:1', contentHash: 'a'.repeat(64) },
    });

    beforeAll(async () => {
      const server = await execute(alpha, {
        type: 'RegisterUpstreamServer',
        data: { config: { name: 'files', regions: ['eu-west-1'], tags: ['storage'], connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: 'https://files.example/mcp' }] } } },
      });
      const bundle = await execute(alpha, { type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId! }] } } });
      const issued = await execute(alpha, { type: 'IssueVirtualKey', data: { name: 'ci', scopes: { virtualServerIds: [bundle.createdId!] } } });
      keyId = issued.createdId!;
      secret = issued.secret!;
      await execute(alpha, { type: 'IssueVirtualKey', data: { name: 'unused', scopes: { virtualServerIds: [bundle.createdId!] } } });
      await gql(admin, 'mutation($t: ID!) { renameTenant(tenantId: $t, displayName: "Alpha Renamed") { version } }', { t: alpha });
      await gql(admin, 'mutation($t: ID!, $k: ID!) { revokeVirtualKey(tenantId: $t, keyId: $k, reason: "left the team") { version } }', { t: alpha, k: keyId });
      recorded.push(callBy(0, 'fs__read', 'allowed'), callBy(1, 'fs__write', 'allowed'), callBy(2, 'fs__write', 'allowed'), callBy(3, 'fs__delete', 'denied'));
      expect(await sut.audit.ingest(recorded)).toMatchObject({ appended: 4 });
    }, 60_000);

    const ACTIVITY = `query($t: ID!, $filter: ActivityFilter, $first: Int!, $after: String) {
      activity(tenantId: $t, filter: $filter, first: $first, after: $after) { nodes { eventId type streamId actor time before after data } pageInfo { endCursor hasNextPage } totalCount } }`;
    type ActivityRow = { eventId: string; type: string; streamId: string; time: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
    const activity = async (filter: Record<string, unknown>, first = 50, after: string | null = null) =>
      data(await gql(admin, ACTIVITY, { t: alpha, filter, first, after }))['activity'] as Connection<ActivityRow>;

    it('shows each change with the aggregate before and after, and no secret', async () => {
      const renamed = await waitUntil('the rename in the activity history', async () => (await activity({ types: ['TenantRenamed'] })).nodes[0]);
      expect(renamed.before).toMatchObject({ status: 'active', displayName: 'lists-alpha' });
      expect(renamed.after).toMatchObject({ status: 'active', displayName: 'Alpha Renamed' });
      const revoked = await waitUntil('the revocation in the activity history', async () => (await activity({ types: ['VirtualKeyRevoked'] })).nodes[0]);
      expect(revoked.before).toMatchObject({ status: 'active', name: 'ci', secretHash: '[redacted]' });
      expect(revoked.after).toMatchObject({ status: 'revoked', revokedReason: 'left the team', secretHash: '[redacted]' });
      const issued = (await activity({ types: ['VirtualKeyIssued'] })).nodes;
      expect(issued.map((a) => a.before)).toEqual([null, null]);
      const everything = JSON.stringify(await walkActivity({}));
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice(13));
      expect(everything).not.toMatch(/"secretHash":"[0-9a-f]{64}"/);
    });

    const walkActivity = async (filter: Record<string, unknown>) => {
      const rows: ActivityRow[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Connection<ActivityRow> = await activity(filter, 3, after);
        rows.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) return rows;
        after = page.pageInfo.endCursor;
      }
    };

    it('filters the activity by actor, event type, aggregate kind and time range, newest first', async () => {
      const all = await walkActivity({});
      expect(new Set(all.map((a) => a.eventId)).size).toBe(all.length);
      expect(all.map((a) => a.time)).toEqual([...all.map((a) => a.time)].sort().reverse());
      const byAdmin = await walkActivity({ actor: 'dev-admin' });
      expect(byAdmin.map((a) => a.type).sort()).toEqual(['TenantRenamed', 'VirtualKeyRevoked']);
      const keys = await walkActivity({ aggregate: 'virtual-key' });
      expect(keys.every((a) => a.streamId.startsWith('virtual-key-'))).toBe(true);
      expect(keys).toHaveLength(3);
      const roles = await walkActivity({ aggregate: 'role' });
      expect(roles).toEqual([]);
      const revokedAt = new Date(keys[0]!.time);
      const since = await walkActivity({ from: revokedAt.toISOString() });
      expect(since.map((a) => a.type)).toContain('VirtualKeyRevoked');
      expect(since.every((a) => new Date(a.time) >= revokedAt)).toBe(true);
      expect(errorOf(await gql(admin, ACTIVITY, { t: alpha, first: 5, filter: { aggregate: 'nonsense' } }))).toMatchObject({ code: 'VALIDATION' });
    });

    it('shows each key’s usage from the recorded calls, one audit query per page', async () => {
      const KEYS = `query($t: ID!, $from: DateTime) { virtualKeys(tenantId: $t, first: 10, orderBy: { field: NAME, direction: ASC }) {
        nodes { id name status usage { calls denied firstUsedAt lastUsedAt } recent: usage(from: $from) { calls } } } }`;
      const answer = await waitUntil('the recorded calls', async () => {
        const keys = (data(await gql(admin, KEYS, { t: alpha, from: recorded[2]!.time }))['virtualKeys'] as Connection<{ name: string; usage: { calls: number } | null }>).nodes;
        return keys.find((k) => k.name === 'ci')?.usage ? keys : undefined;
      });
      expect(answer).toEqual([
        { id: keyId, name: 'ci', status: 'revoked', usage: { calls: 4, denied: 1, firstUsedAt: recorded[0]!.time, lastUsedAt: recorded[3]!.time }, recent: { calls: 2 } },
        expect.objectContaining({ name: 'unused', usage: null, recent: null }),
      ]);
      const revokedOnly = data(await gql(admin, 'query($t: ID!) { virtualKeys(tenantId: $t, first: 10, filter: { status: "revoked" }) { nodes { name } totalCount } }', { t: alpha }))['virtualKeys'];
      expect(revokedOnly).toEqual({ nodes: [{ name: 'ci' }], totalCount: 1 });
    });

    it('simulates a candidate deny rule over the recorded calls: allowed writes become denied, and the totals say so', async () => {
      const SIMULATE = `query($t: ID!, $c: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {
        simulatePolicyChange(tenantId: $t, candidate: $c, calls: $calls, from: $from, limit: $limit) {
          source examined changed newlyDenied newlyAllowed sampleResults
          changedCalls { eventId time tool principal recordedOutcome before after ruleBefore ruleAfter } } }`;
      const candidate = { toolRules: [{ id: 'no-writes', effect: 'deny', subjects: {}, tools: ['fs__write'] }] };
      const simulation = data(await gql(admin, SIMULATE, { t: alpha, c: candidate, limit: 100 }))['simulatePolicyChange'] as Record<string, unknown>;
      expect(simulation).toMatchObject({ source: 'recorded', examined: 4, changed: 2, newlyDenied: 2, newlyAllowed: 0, sampleResults: [] });
      expect(simulation['changedCalls']).toEqual([recorded[2]!, recorded[1]!].map((c) => ({
        eventId: c.eventId,
        time: c.time,
        tool: 'fs__write',
        principal: c.principal,
        recordedOutcome: 'allowed',
        before: 'allowed',
        after: 'denied',
        ruleBefore: null,
        ruleAfter: 'no-writes',
      })));
      const recent = data(await gql(admin, SIMULATE, { t: alpha, c: candidate, limit: 100, from: recorded[2]!.time }))['simulatePolicyChange'];
      expect(recent).toMatchObject({ examined: 2, changed: 1, newlyDenied: 1 });
      const sample = data(await gql(admin, SIMULATE, { t: alpha, c: candidate, limit: 100, calls: [{ tool: 'fs__write', user: 'bob' }] }))['simulatePolicyChange'];
      expect(sample).toMatchObject({ source: 'sample', examined: 1, changed: 1, newlyDenied: 1, changedCalls: [] });
      expect(errorOf(await gql(admin, SIMULATE, { t: alpha, c: candidate, limit: 100_000 }))).toMatchObject({ code: 'VALIDATION' });
      expect(errorOf(await gql(alphaAdmin, SIMULATE, { t: beta, c: candidate, limit: 10 }))).toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
