/**
 * A budget holds across proxy replicas: two proxies of one region serve the same virtual key, whose
 * own budget allows 4 calls a day. Calls through the first reach the control plane's audit sink over
 * Kafka; the control plane counts them and pushes a signed usage report through the
 * mcpgate.control.budget-usage topic; the second proxy then lets through only what is left.
 * Without the report, each replica would allow 4 on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { startConformanceFixture, startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, REGION, startTestProxy, type TestProxy } from '../src/proxy-harness.js';

const SYSTEM = { actor: { kind: 'system', component: 'test' } } as const;

describe('a budget across two proxy replicas, through the audit trail and back', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  let controlPlane: RunningControlPlane;
  const proxies: TestProxy[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-budgets-'));
  let tenantId = '';
  let keyId = '';
  let secret = '';

  beforeAll(async () => {
    [kafka, postgres, fixture] = await Promise.all([startKafka(), startPostgres(), startConformanceFixture()]);
    controlPlane = await startControlPlane(
      controlPlaneConfigFromEnv({
        MCPGATE_DATA_DIR: dataDir,
        MCPGATE_API_PORT: '0',
        MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','),
        DATABASE_URL: await postgres.createDatabase('budgets'),
        MCPGATE_AUDIT_TOPIC_REFRESH_MS: '500',
        MCPGATE_BUDGET_USAGE_INTERVAL_MS: '200',
      }),
    );
    tenantId = (await controlPlane.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'budgeted', displayName: 'Budgeted', regions: [REGION] } }, SYSTEM)).createdId!;
    const server = await controlPlane.commands.execute(
      tenantId,
      {
        type: 'RegisterUpstreamServer',
        data: {
          config: {
            name: 'fixture',
            description: '',
            connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url, regions: [] }] },
            timeouts: { connectMs: 5_000, callMs: 60_000 },
            healthCheck: { intervalMs: 15_000, timeoutMs: 3_000, unhealthyAfter: 3, healthyAfter: 2 },
            regions: [REGION],
            tags: [],
          },
        },
      },
      SYSTEM,
    );
    const virtualServer = await controlPlane.commands.execute(
      tenantId,
      { type: 'CreateVirtualServer', data: { config: { name: 'tools', description: '', prefixMode: 'never', upstreams: [{ serverId: server.createdId!, tools: ['*'] }], anonymousAccess: false } } },
      SYSTEM,
    );
    const key = await controlPlane.commands.execute(
      tenantId,
      {
        type: 'IssueVirtualKey',
        data: { name: 'shared key', scopes: { virtualServerIds: [virtualServer.createdId!], tools: { allow: ['*'], deny: [] }, rateLimits: [], budget: { id: 'daily', scope: 'key', period: 'day', maxCalls: 4 } } },
      },
      SYSTEM,
    );
    keyId = key.createdId!;
    secret = key.secret!;
    const regionKey = controlPlane.developmentRegionKey(REGION)!;
    for (const proxyId of ['proxy-a', 'proxy-b']) {
      proxies.push(
        await startTestProxy({ proxyId, extra: { kafkaBrokers: kafka.brokers, trustedSigningKeys: Object.fromEntries(controlPlane.trustedSigningKeys), regionKey } }),
      );
    }
    await waitUntil('both proxies to serve the tenant from Kafka', () => proxies.every((p) => p.proxy.store.current(tenantId)?.snapshot.keys.length === 1), { timeoutMs: 60_000 });
  }, 180_000);
  afterAll(async () => {
    await Promise.allSettled(proxies.map((p) => p.close()));
    await controlPlane?.close();
    await fixture?.close();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the second proxy through only what the first left of the budget, once the usage report arrived', async () => {
    const [a, b] = proxies as [TestProxy, TestProxy];
    const agentA = await connectAgent(`${a.url}/mcp/tools`, secret);
    for (let i = 0; i < 3; i += 1) expect((await agentA.callTool({ name: 'test_simple_text', arguments: {} })).isError).toBeFalsy();
    await agentA.close();

    const today = new Date().toISOString().slice(0, 10);
    const budgetId = `key:${keyId}:daily`;
    await waitUntil(
      'the usage report with the first proxy’s 3 calls at the second proxy',
      () => b.proxy.budgetUsage.reportedUsage(tenantId)?.(budgetId, keyId, today)?.calls === 3,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const status = (await (await fetch(`${b.url}/status`)).json()) as { budgetUsage: { source: { kind: string }; tenants: { tenantId: string }[] } };
    expect(status.budgetUsage).toMatchObject({ source: { kind: 'kafka' }, tenants: [{ tenantId }] });

    const agentB = await connectAgent(`${b.url}/mcp/tools`, secret);
    expect((await agentB.callTool({ name: 'test_simple_text', arguments: {} })).isError).toBeFalsy();
    await expect(agentB.callTool({ name: 'test_simple_text', arguments: {} })).rejects.toThrow(`budget ${budgetId} exhausted`);
    await agentB.close();
  });
});
