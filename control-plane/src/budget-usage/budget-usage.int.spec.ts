/**
 * Budget usage from the audit trail to the proxies, on both storage backends: tool calls ingested
 * by the audit sink become signed usage reports per budget, subject and period, published when the
 * usage changes; denied calls, other tenants' calls and admin records do not count.
 */
import { randomUUID, verify, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetUsageReport, controlPlaneConfigFromEnv, type AuditEvent, type SignedSnapshot } from '@mcpgate/contracts';
import { startPostgres, waitUntil, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySnapshotPublisher } from '../snapshot/in-memory-snapshot-publisher.js';
import { startControlPlane, type RunningControlPlane } from '../start.js';

const SYSTEM = { actor: { kind: 'system', component: 'test' } } as const;

describe.each([
  ['embedded PGlite', false],
  ['PostgreSQL', true],
] as const)('budget usage counted from the audit trail (%s)', (_name, onPostgres) => {
  let postgres: StartedPostgres | undefined;
  let sut: RunningControlPlane;
  const usage = new InMemorySnapshotPublisher();
  const received: { tenantId: string; signed: SignedSnapshot }[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-budget-usage-'));
  let tenantId = '';
  let keyId = '';
  let virtualServerId = '';

  const reports = (tenant: string) =>
    received
      .filter((r) => r.tenantId === tenant)
      .map(({ signed }) => {
        const publicKey = createPublicKey(sut.trustedSigningKeys.get(signed.signature.keyId)!);
        expect(verify(null, Buffer.from(signed.payload), publicKey, Buffer.from(signed.signature.value, 'base64'))).toBe(true);
        return BudgetUsageReport.parse(JSON.parse(signed.payload));
      });
  const call = (tenant: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
    schemaVersion: 1,
    eventId: randomUUID(),
    time: new Date().toISOString(),
    tenantId: tenant,
    region: 'eu-west-1',
    proxyId: 'proxy-1',
    principal: { kind: 'virtual-key', keyId, keyPrefix: 'mcpg_test' },
    virtualServerId,
    method: 'tools/call',
    tool: 'search',
    decision: { outcome: 'allowed', reason: 'policy.allowed' },
    cost: 2.5, // what the proxy records for `search` under the policy's toolCosts
    latencyMs: 3,
    policyVersion: { logPosition: '0:1', contentHash: 'a'.repeat(64) },
    ...over,
  });

  beforeAll(async () => {
    if (onPostgres) postgres = await startPostgres();
    sut = await startControlPlane(
      controlPlaneConfigFromEnv({
        MCPGATE_DATA_DIR: dataDir,
        MCPGATE_API_PORT: '0',
        MCPGATE_BUDGET_USAGE_INTERVAL_MS: '100',
        ...(postgres ? { DATABASE_URL: await postgres.createDatabase('budget_usage') } : {}),
      }),
      { usagePublisher: usage },
    );
    usage.subscribe((tenant, signed) => received.push({ tenantId: tenant, signed }));
    const tenant = await sut.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'budgeted', displayName: 'Budgeted', regions: ['eu-west-1'] } }, SYSTEM);
    tenantId = tenant.createdId!;
    const server = await sut.commands.execute(
      tenantId,
      {
        type: 'RegisterUpstreamServer',
        data: {
          config: {
            name: 'search',
            description: '',
            connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: 'http://127.0.0.1:9/mcp', regions: [] }] },
            timeouts: { connectMs: 5_000, callMs: 60_000 },
            healthCheck: { intervalMs: 15_000, timeoutMs: 3_000, unhealthyAfter: 3, healthyAfter: 2 },
            regions: ['eu-west-1'],
            tags: [],
          },
        },
      },
      SYSTEM,
    );
    virtualServerId = (
      await sut.commands.execute(
        tenantId,
        { type: 'CreateVirtualServer', data: { config: { name: 'all', description: '', prefixMode: 'never', upstreams: [{ serverId: server.createdId!, tools: ['*'] }], anonymousAccess: false } } },
        SYSTEM,
      )
    ).createdId!;
    keyId = (
      await sut.commands.execute(
        tenantId,
        {
          type: 'IssueVirtualKey',
          data: { name: 'budgeted key', scopes: { virtualServerIds: [virtualServerId], tools: { allow: ['*'], deny: [] }, rateLimits: [], budget: { id: 'daily', scope: 'key', period: 'day', maxCalls: 100 } } },
        },
        SYSTEM,
      )
    ).createdId!;
    await sut.commands.execute(
      tenantId,
      { type: 'CreatePolicy', data: { name: 'spend', description: '', document: { toolRules: [], rateLimits: [], budgets: [{ id: 'per-tool', scope: 'tool', period: 'month', maxCalls: 1000 }], toolCosts: [{ id: 'search', tools: 'search', cost: 2.5 }], audit: { argumentCapture: 'hash', onAuditFailure: 'closed' } } } },
      SYSTEM,
    );
  }, 120_000);
  afterAll(async () => {
    await sut?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the calls that went through and their cost per budget and subject, signed, and again when they grow', async () => {
    const other = 'ten_someoneelse0000';
    await sut.audit.ingest([
      ...Array.from({ length: 3 }, () => call(tenantId)),
      call(tenantId, { tool: 'write', decision: { outcome: 'failed', reason: 'upstream.error' }, cost: undefined }),
      call(tenantId, { tool: 'delete', decision: { outcome: 'denied', reason: 'policy.tool_denied', ruleId: 'no-deletes' }, cost: undefined }),
      call(other),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const month = `${today.slice(0, 7)}-01`;
    // the policy's budget reaches the tracker with the policy's snapshot, so an early report may lack it
    const expected = [
      { budgetId: `key:${keyId}:daily`, subject: keyId, periodStart: today, calls: 4, cost: 7.5 },
      { budgetId: 'policy:spend:per-tool', subject: 'search', periodStart: month, calls: 3, cost: 7.5 },
      { budgetId: 'policy:spend:per-tool', subject: 'write', periodStart: month, calls: 1, cost: 0 },
    ];
    const first = await waitUntil('a usage report of the four calls that went through, under both budgets', () => reports(tenantId).find((r) => JSON.stringify(r.usage) === JSON.stringify(expected)));
    expect(first.usage).toEqual(expected);
    expect(reports(other)).toEqual([]);

    await sut.audit.ingest([call(tenantId), call(tenantId, { principal: { kind: 'oauth', issuer: 'https://idp.example', subject: 'alice', groups: [] } })]);
    const second = await waitUntil('the next report', () => reports(tenantId).find((r) => BigInt(r.throughSeq) > BigInt(first.throughSeq)));
    expect(second.usage).toEqual([
      { budgetId: `key:${keyId}:daily`, subject: keyId, periodStart: today, calls: 5, cost: 10 },
      { budgetId: 'policy:spend:per-tool', subject: 'search', periodStart: month, calls: 5, cost: 12.5 },
      { budgetId: 'policy:spend:per-tool', subject: 'write', periodStart: month, calls: 1, cost: 0 },
    ]);
    // nothing changed since: no new report (admin records of the commands above do not count either)
    const published = reports(tenantId).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reports(tenantId)).toHaveLength(published);
  });

  it('shows admins every budget with what it used, over GraphQL', async () => {
    const login = await fetch(`${sut.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const answer = (await (
      await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          query: 'query($t: ID!) { budgetUsage(tenantId: $t) { tenantId countedThroughSeq budgets { budgetId id keyId policyName scope period maxCalls maxCost subjectCount subjects { subject calls cost spent } } } }',
          variables: { t: tenantId },
        }),
      })
    ).json()) as { data?: { budgetUsage: { countedThroughSeq: string; budgets: unknown[] } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(Number(answer.data!.budgetUsage.countedThroughSeq)).toBeGreaterThan(0);
    expect(answer.data!.budgetUsage.budgets).toEqual([
      { budgetId: `key:${keyId}:daily`, id: 'daily', keyId, policyName: null, scope: 'key', period: 'day', maxCalls: 100, maxCost: null, subjectCount: 1, subjects: [{ subject: keyId, calls: 5, cost: 10, spent: false }] },
      {
        budgetId: 'policy:spend:per-tool',
        id: 'per-tool',
        keyId: null,
        policyName: 'spend',
        scope: 'tool',
        period: 'month',
        maxCalls: 1000,
        maxCost: null,
        subjectCount: 2,
        subjects: [
          { subject: 'search', calls: 5, cost: 12.5, spent: false },
          { subject: 'write', calls: 1, cost: 0, spent: false },
        ],
      },
    ]);
  });
});
