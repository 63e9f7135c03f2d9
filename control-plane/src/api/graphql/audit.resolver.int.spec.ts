/**
 * The audit trail over the real GraphQL API, on PostgreSQL: filters, cursor pages, aggregates on
 * known data, detail, tenant isolation and permissions, verification of a row tampered with in the
 * database, and the live tail over WebSocket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { controlPlaneConfigFromEnv, type AuditEvent } from '@mcpgate/contracts';
import { startPostgres, waitUntil, type StartedPostgres } from '@mcpgate/testing';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { adminApi, codeOf, dataOf } from '../test/graphql-client.js';


const BASE = Date.UTC(2026, 10, 1, 10, 0, 0);
const alpha = tenantIdForSlug('audit-alpha');
const beta = tenantIdForSlug('audit-beta');
const actor = { kind: 'system', component: 'test' } as const;

/**
 * Thirty tool calls of alpha a minute apart from 10:00 UTC: tools fs__read / fs__write / gh__delete
 * in turn, every gh__delete denied by rule no-deletes, call 4 failed; even calls by a virtual key,
 * odd ones by OAuth user alice; calls 0-19 in eu-west-1, 20-29 in us-east-1; policy 0:100 for the
 * first fifteen, 0:200 after; latency i + 1 ms.
 */
const call = (i: number, tenantId = alpha, overrides: Partial<AuditEvent> = {}): AuditEvent => {
  const tool = ['fs__read', 'fs__write', 'gh__delete'][i % 3]!;
  const outcome = tool === 'gh__delete' ? 'denied' : i === 4 ? 'failed' : 'allowed';
  return {
    schemaVersion: 1,
    eventId: randomUUID(),
    time: new Date(BASE + i * 60_000).toISOString(),
    tenantId,
    region: i < 20 ? 'eu-west-1' : 'us-east-1',
    proxyId: 'proxy-a',
    principal: i % 2 === 0 ? { kind: 'virtual-key', keyId: 'vk_alpha0000001', keyPrefix: 'mcpg_alpha' } : { kind: 'oauth', issuer: 'https://idp.example.com', subject: 'alice', groups: [] },
    virtualServerId: 'vsr_tools000001',
    upstreamServerId: 'srv_fs000000001',
    method: 'tools/call',
    tool,
    decision: { outcome, reason: outcome === 'allowed' ? 'policy.allowed' : outcome === 'denied' ? 'policy.tool_denied' : 'upstream.timeout', ...(outcome === 'denied' ? { ruleId: 'no-deletes' } : {}) },
    latencyMs: i + 1,
    policyVersion: { logPosition: i < 15 ? '0:100' : '0:200', contentHash: 'b'.repeat(64) },
    ...overrides,
  };
};

describe('audit GraphQL API on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-audit-api-'));
  let postgres: StartedPostgres;
  let databaseUrl: string;
  let sut: RunningControlPlane;
  let admin: string;
  const calls = Array.from({ length: 30 }, (_, i) => call(i));
  const clients: Client[] = [];

  const { login, gql } = adminApi(() => sut.url);
  const data = dataOf;

  const LIST = `query($t: ID!, $f: AuditFilterInput, $first: Int, $after: String, $order: AuditOrder) {
    auditEvents(tenantId: $t, filter: $f, first: $first, after: $after, order: $order) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { eventId seq time kind tool region principal decision { outcome reason ruleId policyVersion { logPosition } } latencyMs change } }
    } }`;
  type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { eventId: string; tool: string | null; kind: string; change: Record<string, unknown> | null } }[] };
  const list = async (filter: Record<string, unknown>, extra: Record<string, unknown> = {}, cookie = admin) => data(await gql(cookie, LIST, { t: alpha, f: filter, first: 100, ...extra }))['auditEvents'] as Page;

  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('audit_api');
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', DATABASE_URL: databaseUrl }));
    admin = await login();
    for (const slug of ['audit-alpha', 'audit-beta']) await sut.commands.execute(undefined, { type: 'CreateTenant', data: { slug, displayName: slug, regions: ['eu-west-1'] } }, { actor });
    await sut.commands.execute(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-auditors' }, role: 'compliance-auditor' } }, { actor });
    await sut.commands.execute(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-devs' }, role: 'developer' } }, { actor });
    expect(await sut.audit.ingest(calls)).toEqual({ appended: 30, duplicates: 0, quarantined: 0 });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await sut?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages through every tool call in a stable order, across pages, with the total', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page = data(await gql(admin, LIST, { t: alpha, f: { kind: 'TOOL_CALL' }, first: 7, after, order: 'OLDEST_FIRST' }))['auditEvents'] as Page;
      expect(page.totalCount).toBe(30);
      seen.push(...page.edges.map((e) => e.node.eventId));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(calls.map((c) => c.eventId));
    const newest = (await list({ kind: 'TOOL_CALL' }, { first: 2 })).edges.map((e) => e.node.eventId);
    expect(newest).toEqual([calls[29]!.eventId, calls[28]!.eventId]);
  });

  it('filters by tool, outcome, key, principal, region, policy version, method, time and combinations', async () => {
    const total = async (filter: Record<string, unknown>) => (await list(filter)).totalCount;
    expect(await total({ tool: 'gh__delete' })).toBe(10);
    expect(await total({ outcome: 'denied' })).toBe(10);
    expect(await total({ outcome: 'failed' })).toBe(1);
    expect(await total({ keyId: 'vk_alpha0000001' })).toBe(15);
    expect(await total({ principal: { kind: 'virtual-key', keyId: 'vk_alpha0000001' } })).toBe(15);
    expect(await total({ principal: { kind: 'oauth', subject: 'alice' } })).toBe(15);
    expect(await total({ region: 'us-east-1' })).toBe(10);
    expect(await total({ policyVersion: '0:100' })).toBe(15);
    expect(await total({ method: 'tools/call' })).toBe(30);
    expect(await total({ from: new Date(BASE + 5 * 60_000).toISOString(), to: new Date(BASE + 10 * 60_000).toISOString() })).toBe(5);
    expect(await total({ tool: 'fs__read', region: 'eu-west-1' })).toBe(7);
    expect(await total({ tool: 'nope' })).toBe(0);
    const denied = await list({ outcome: 'denied' });
    expect(denied.edges.map((e) => (e.node as unknown as { decision: { ruleId: string; reason: string } }).decision)).toEqual(
      Array.from({ length: 10 }, () => expect.objectContaining({ outcome: 'denied', reason: 'policy.tool_denied', ruleId: 'no-deletes' })),
    );
  });

  it('records admin changes in the same trail: who, what, when', async () => {
    const admins = await waitUntil('the admin records of alpha', async () => {
      const page = await list({ kind: 'ADMIN' });
      return page.totalCount >= 3 ? page : undefined;
    });
    const types = admins.edges.map((e) => (e.node.change as { type: string }).type);
    expect(types).toEqual(expect.arrayContaining(['TenantCreated', 'RoleBindingCreated']));
    expect(admins.edges[0]!.node).toMatchObject({ kind: 'ADMIN', tool: null, principal: { kind: 'admin', actor } });
    expect((await list({ method: 'admin/TenantCreated' })).totalCount).toBe(1);
  });

  it('answers aggregates for charts on known data', async () => {
    const answer = data(
      await gql(
        admin,
        `query($t: ID!, $f: AuditFilterInput) {
          auditCallsOverTime(tenantId: $t, filter: $f, interval: FIVE_MINUTES) { start total allowed denied failed }
          auditTopTools(tenantId: $t, filter: $f, first: 5) { tool calls denied failed }
          auditDenialsByReason(tenantId: $t, filter: $f) { reason ruleId count }
          auditLatency(tenantId: $t, filter: $f) { count p50 p95 p99 max mean }
        }`,
        { t: alpha, f: {} },
      ),
    );
    const buckets = answer['auditCallsOverTime'] as { start: string; total: number; allowed: number; denied: number; failed: number }[];
    expect(buckets.map((b) => [b.start, b.total])).toEqual(Array.from({ length: 6 }, (_, k) => [new Date(BASE + k * 300_000).toISOString(), 5]));
    expect(buckets[0]).toEqual({ start: new Date(BASE).toISOString(), total: 5, allowed: 3, denied: 1, failed: 1 });
    expect(buckets.reduce((n, b) => n + b.denied, 0)).toBe(10);
    expect(answer['auditTopTools']).toEqual([
      { tool: 'fs__read', calls: 10, denied: 0, failed: 0 },
      { tool: 'fs__write', calls: 10, denied: 0, failed: 1 },
      { tool: 'gh__delete', calls: 10, denied: 10, failed: 0 },
    ]);
    expect(answer['auditDenialsByReason']).toEqual([{ reason: 'policy.tool_denied', ruleId: 'no-deletes', count: 10 }]);
    const latency = answer['auditLatency'] as Record<string, number>;
    expect(latency).toMatchObject({ count: 30, p50: 15.5, max: 30, mean: 15.5 });
    expect(latency['p95']).toBeCloseTo(28.55, 6);
    expect(latency['p99']).toBeCloseTo(29.71, 6);
    const eu = data(await gql(admin, 'query($t: ID!) { auditLatency(tenantId: $t, filter: { region: "eu-west-1" }) { count p50 } }', { t: alpha }))['auditLatency'];
    expect(eu).toEqual({ count: 20, p50: 10.5 });
  });

  it('shows one record in detail: the rule and policy version that decided it, its chain links and checkpoint', async () => {
    await sut.audit.sink!.checkpointNow();
    const denied = calls[2]!;
    const detail = data(
      await gql(admin, 'query($t: ID!, $e: ID!) { auditEvent(tenantId: $t, eventId: $e) { eventId seq tool decision { outcome ruleId policyVersion { logPosition contentHash } } hash prevHash macKeyId checkpoint { seq keyId } event } }', {
        t: alpha,
        e: denied.eventId,
      }),
    )['auditEvent'] as Record<string, unknown>;
    expect(detail).toMatchObject({
      eventId: denied.eventId,
      tool: 'gh__delete',
      decision: { outcome: 'denied', ruleId: 'no-deletes', policyVersion: { logPosition: '0:100', contentHash: 'b'.repeat(64) } },
      hash: expect.stringMatching(/^[a-f0-9]{64}$/),
      prevHash: expect.stringMatching(/^[a-f0-9]{64}$/),
      checkpoint: { seq: expect.any(Number), keyId: [...sut.trustedSigningKeys.keys()][0] },
      event: expect.objectContaining({ eventId: denied.eventId, latencyMs: 3 }),
    });
    expect((detail['checkpoint'] as { seq: number }).seq).toBeGreaterThanOrEqual(detail['seq'] as number);
    // another tenant's event id is not found in this tenant
    const foreign = call(0, beta);
    await sut.audit.ingest([foreign]);
    expect(data(await gql(admin, 'query($t: ID!, $e: ID!) { auditEvent(tenantId: $t, eventId: $e) { eventId } }', { t: alpha, e: foreign.eventId }))).toEqual({ auditEvent: null });
  });

  it('refuses callers without audit:read, and another tenant’s id, with FORBIDDEN', async () => {
    const auditor = await login({ subject: 'carol', groups: ['alpha-auditors'], platformAdmin: false });
    const developer = await login({ subject: 'bob', groups: ['alpha-devs'], platformAdmin: false });
    expect((await list({ kind: 'TOOL_CALL' }, {}, auditor)).totalCount).toBe(30);
    const foreign = await gql(auditor, LIST, { t: beta, f: {}, first: 10 });
    expect(codeOf(foreign)).toBe('FORBIDDEN');
    expect(foreign.data?.['auditEvents'] ?? null).toBeNull();
    expect(codeOf(await gql(developer, LIST, { t: alpha, f: {}, first: 10 }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(developer, 'query($t: ID!) { auditLatency(tenantId: $t) { count } }', { t: alpha }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(developer, 'query($t: ID!) { auditVerification(tenantId: $t) { ok } }', { t: alpha }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(auditor, 'query($t: ID!) { auditVerification(tenantId: $t) { ok } }', { t: beta }))).toBe('FORBIDDEN');
    expect(data(await gql(auditor, 'query($t: ID!) { auditVerification(tenantId: $t) { ok } }', { t: alpha }))).toEqual({ auditVerification: { ok: true } });
    expect(codeOf(await gql('', LIST, { t: alpha, f: {}, first: 10 }))).toBe('UNAUTHENTICATED');
  });

  it('answers bad input with VALIDATION errors', async () => {
    expect(await gql(admin, LIST, { t: alpha, f: {}, first: 10, after: 'not-a-cursor' })).toMatchObject({ errors: [{ extensions: { code: 'VALIDATION', reason: 'audit.invalid_cursor' } }] });
    const desc = await list({}, { first: 1 });
    expect(codeOf(await gql(admin, LIST, { t: alpha, f: {}, first: 1, after: desc.pageInfo.endCursor, order: 'OLDEST_FIRST' }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, LIST, { t: alpha, f: {}, first: 0 }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, LIST, { t: alpha, f: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, first: 5 }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, LIST, { t: alpha, f: { keyId: 'vk_a', principal: { keyId: 'vk_b' } }, first: 5 }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, 'query($t: ID!) { auditCallsOverTime(tenantId: $t, interval: MINUTE, filter: { from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { total } }', { t: alpha }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, 'query($t: ID!) { auditEvent(tenantId: $t, eventId: "nope") { eventId } }', { t: alpha }))).toBe('VALIDATION');
  });

  it('verifies a tenant’s trail, and finds a row altered directly in PostgreSQL', async () => {
    const gamma = tenantIdForSlug('audit-gamma');
    await sut.audit.ingest(Array.from({ length: 12 }, (_, i) => call(i, gamma)));
    const VERIFY = 'query($t: ID!) { auditVerification(tenantId: $t) { ok records checkpoints unsignedTail macChecked problem { kind seq detail eventId time } } }';
    expect(data(await gql(admin, VERIFY, { t: gamma }))['auditVerification']).toEqual({ ok: true, records: 12, checkpoints: 0, unsignedTail: 12, macChecked: true, problem: null });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // the trigger refuses the change; a database owner switching triggers off is the attacker verification is for
      await expect(db.query(`UPDATE audit_event SET outcome = 'allowed' WHERE tenant_id = $1 AND seq = 3`, [gamma])).rejects.toThrow(/append-only/);
      await db.query('BEGIN');
      await db.query('SET LOCAL session_replication_role = replica');
      await db.query(`UPDATE audit_event SET event = jsonb_set(event::jsonb, '{latencyMs}', '0.5')::json WHERE tenant_id = $1 AND seq = 4`, [gamma]);
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
    const tampered = data(await gql(admin, VERIFY, { t: gamma }))['auditVerification'] as { ok: boolean; records: number; problem: { kind: string; seq: number; detail: string; eventId: string } };
    expect(tampered).toMatchObject({ ok: false, problem: { kind: 'altered', seq: 4, eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), time: expect.any(String) } });
    // the problem names the stored record, so the console can open it
    const pointed = data(await gql(admin, 'query($t: ID!, $e: ID!) { auditEvent(tenantId: $t, eventId: $e) { seq } }', { t: gamma, e: tampered.problem.eventId }));
    expect(pointed).toEqual({ auditEvent: { seq: 4 } });
    expect(tampered.records).toBe(3);
  });

  it('tails a tenant’s trail live over WebSocket: records written after subscribing, matching the filter', async () => {
    const client = createClient({
      url: `${sut.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie: admin } });
        }
      },
      retryAttempts: 0,
    });
    clients.push(client);
    const received: { data?: { auditTail: { eventId: string; tool: string; kind: string } }; errors?: unknown }[] = [];
    let failure: unknown;
    const stop = client.subscribe(
      { query: 'subscription($t: ID!, $f: AuditFilterInput) { auditTail(tenantId: $t, filter: $f) { eventId tool kind decision { outcome } } }', variables: { t: alpha, f: { tool: 'fs__read' } } },
      { next: (value) => void received.push(value as (typeof received)[number]), error: (error) => (failure = error), complete: () => {} },
    );
    const sent: string[] = [];
    // keep writing until the subscription is surely in place: each round a call it must skip and one it must show
    const first = await waitUntil(
      'a live record',
      async () => {
        if (received.length > 0 || failure) return received[0] ?? { errors: failure };
        const skipped = call(31, alpha, { time: new Date().toISOString() });
        const shown = call(30, alpha, { time: new Date().toISOString() });
        sent.push(shown.eventId);
        await sut.audit.ingest([skipped, shown]);
        return undefined;
      },
      { timeoutMs: 20_000, intervalMs: 300 },
    );
    stop();
    expect(first.errors).toBeUndefined();
    expect(first.data!.auditTail).toMatchObject({ tool: 'fs__read', kind: 'TOOL_CALL' });
    expect(sent).toContain(first.data!.auditTail.eventId);
    expect(received.every((r) => r.data?.auditTail.tool === 'fs__read')).toBe(true);
  });
});
