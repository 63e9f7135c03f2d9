/**
 * The audit sink role in Kafka mode: a control plane on Kafka and PostgreSQL consumes every
 * mcpgate.audit.<region> topic. Tool calls through a real proxy (spool → Kafka) and proxy-like
 * events produced to a region topic that appears later both become queryable over GraphQL; a
 * malformed record is quarantined, and the trail verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, type AuditEvent } from '@mcpgate/contracts';
import { startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { startConformanceFixture, startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const tenantId = 'ten_auditkafka0001';

const proxyLikeEvent = (n: number): AuditEvent => ({
  schemaVersion: 1,
  eventId: randomUUID(),
  time: new Date(Date.UTC(2026, 10, 25, 12, 0, n)).toISOString(),
  tenantId,
  region: 'us-east-1',
  proxyId: 'proxy-us-1',
  principal: { kind: 'virtual-key', keyId: 'vk_useast0000001', keyPrefix: 'mcpg_useast' },
  virtualServerId: 'vsr_audited00001',
  method: 'tools/call',
  tool: n % 2 === 0 ? 'search' : 'delete_everything',
  decision: n % 2 === 0 ? { outcome: 'allowed', reason: 'policy.allowed' } : { outcome: 'denied', reason: 'policy.tool_denied', ruleId: 'no-deletes' },
  latencyMs: 3 + n,
  policyVersion: { logPosition: '0:42', contentHash: 'd'.repeat(64) },
});

describe('audit sink in Kafka mode, queried over GraphQL', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  let controlPlane: RunningControlPlane;
  let proxy: TestProxy;
  let producer: Producer;
  let cookie: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-audit-kafka-'));
  const key = virtualKey('vk_audited000001', ['vsr_audited00001']);

  const gql = async (query: string, variables: Record<string, unknown>): Promise<Answer> =>
    (await (await fetch(`${controlPlane.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as Answer;
  const records = async (filter: Record<string, unknown>) => {
    const answer = await gql('query($t: ID!, $f: AuditFilterInput) { auditEvents(tenantId: $t, filter: $f, first: 100) { totalCount edges { node { eventId region tool method decision { outcome ruleId } principal } } } }', { t: tenantId, f: filter });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!['auditEvents'] as { totalCount: number; edges: { node: { eventId: string; region: string; tool: string; method: string; decision: { outcome: string }; principal: Record<string, unknown> } }[] };
  };

  beforeAll(async () => {
    [kafka, postgres, fixture] = await Promise.all([startKafka(), startPostgres(), startConformanceFixture()]);
    controlPlane = await startControlPlane(
      controlPlaneConfigFromEnv({
        MCPGATE_DATA_DIR: dataDir,
        MCPGATE_API_PORT: '0',
        MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','),
        DATABASE_URL: await postgres.createDatabase('audit_kafka'),
        MCPGATE_AUDIT_TOPIC_REFRESH_MS: '500',
        MCPGATE_AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
      }),
    );
    const res = await fetch(`${controlPlane.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    proxy = await startTestProxy({ extra: { kafkaBrokers: kafka.brokers } });
    proxy.publish(
      tenantSnapshot({
        tenantId,
        upstreams: [{ id: 'srv_audited00001', config: { name: 'fixture', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_audited00001', name: 'audited', prefixMode: 'never', upstreams: [{ serverId: 'srv_audited00001', tools: ['*'] }], anonymousAccess: false }],
        keys: [key.key],
      }),
    );
    producer = new Kafka({ clientId: 'audit-test-producer', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect().catch(() => {});
    await proxy?.close();
    await controlPlane?.close();
    await fixture?.close();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores tool calls shipped by a real proxy through mcpgate.audit.eu-west-1, queryable over GraphQL', async () => {
    const client = await connectAgent(`${proxy.url}/mcp/audited`, key.secret);
    for (let i = 0; i < 3; i += 1) await client.callTool({ name: 'test_simple_text', arguments: { round: i } });
    await client.close();
    const calls = await waitUntil('the proxy’s tool calls in the audit trail', async () => {
      const page = await records({ region: 'eu-west-1', method: 'tools/call' });
      return page.totalCount >= 3 ? page : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    expect(calls.totalCount).toBe(3);
    expect(calls.edges.map((e) => e.node)).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ region: 'eu-west-1', tool: 'test_simple_text', decision: expect.objectContaining({ outcome: 'allowed' }), principal: expect.objectContaining({ kind: 'virtual-key', keyId: 'vk_audited000001' }) })),
    );
    expect(JSON.stringify(calls)).not.toContain(key.secret);
  });

  it('finds a region topic created later, stores its events once, and quarantines a malformed record', async () => {
    const events = Array.from({ length: 6 }, (_, n) => proxyLikeEvent(n));
    // a second region's proxies create their topic as they start (the broker does not create topics on use)
    const admin = new Kafka({ clientId: 'audit-test-admin', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'mcpgate.audit.us-east-1', numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await producer.send({
      topic: 'mcpgate.audit.us-east-1',
      messages: [
        ...events.map((e) => ({ key: tenantId, value: JSON.stringify(e) })),
        { key: tenantId, value: '{"not":"an audit event"}' },
        // a redelivery of the first event: stored once
        { key: tenantId, value: JSON.stringify(events[0]) },
      ],
    });
    const stored = await waitUntil('the us-east-1 events in the audit trail', async () => {
      const page = await records({ region: 'us-east-1' });
      return page.totalCount >= 6 ? page : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    expect(stored.totalCount).toBe(6);
    expect(new Set(stored.edges.map((e) => e.node.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
    expect((await records({ region: 'us-east-1', outcome: 'denied' })).totalCount).toBe(3);

    // quarantined, not dropped: in the table beside the trail (read through the control plane's own connection)
    const quarantined = await waitUntil('the malformed record in quarantine', async () => {
      const rows = await controlPlane.audit.sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_quarantine WHERE kafka_topic = 'mcpgate.audit.us-east-1'`);
      return Number(rows[0]!.n) >= 1 ? Number(rows[0]!.n) : undefined;
    });
    expect(quarantined).toBe(1);

    const verification = await gql('query($t: ID!) { auditVerification(tenantId: $t) { ok records problem { kind } } }', { t: tenantId });
    expect(verification.data).toEqual({ auditVerification: { ok: true, records: 9, problem: null } });
    const sink = controlPlane.audit.status() as { kafka?: { topics: string[] } };
    expect(sink.kafka?.topics).toEqual(expect.arrayContaining(['mcpgate.audit.eu-west-1', 'mcpgate.audit.us-east-1']));
  });
});
