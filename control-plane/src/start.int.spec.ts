/**
 * The same control plane on production infrastructure, switched by configuration alone: Kafka for
 * the event log and the compacted snapshot topic, PostgreSQL for the read models.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, SignedSnapshot } from '@mcpgate/contracts';
import { startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from './core/ids.js';
import type { LogRecord } from './event-log/event-log.port.js';
import { KafkaEventLog } from './event-log/kafka-event-log.js';
import { verifySignedSnapshot } from './infra/crypto/snapshot-signer.js';
import { DEFAULT_SNAPSHOT_TOPIC } from './snapshot/kafka-snapshot-publisher.js';
import { startControlPlane, type RunningControlPlane } from './start.js';

const actor = { kind: 'system', component: 'test' } as const;

describe('control plane on Kafka and PostgreSQL', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let sut: RunningControlPlane;
  let snapshots: KafkaEventLog;
  const received: LogRecord[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-start-int-'));

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startKafka(), startPostgres()]);
    const config = controlPlaneConfigFromEnv({
      MCPGATE_DATA_DIR: dataDir,
      MCPGATE_API_PORT: '0',
      MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','),
      DATABASE_URL: await postgres.createDatabase('control_plane'),
    });
    sut = await startControlPlane(config);
    snapshots = await KafkaEventLog.open({ brokers: kafka.brokers, topic: DEFAULT_SNAPSHOT_TOPIC, cleanupPolicy: 'compact', clientId: 'test-proxy' });
    await snapshots.subscribe(new Map(), async (record) => void received.push(record));
  });
  afterAll(async () => {
    await snapshots?.close();
    await sut?.close();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes commands to the Kafka log, projects them into PostgreSQL and publishes signed snapshots to the compacted topic', async () => {
    expect(await (await fetch(`${sut.url}/readyz`)).json()).toMatchObject({ status: 'ok', eventLog: 'kafka', database: 'postgres' });
    const tenantId = tenantIdForSlug('globex');
    const started = performance.now();
    await sut.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'globex', displayName: 'Globex', regions: ['us-east-1'] } }, { actor });
    await sut.commands.execute(tenantId, { type: 'SuspendTenant', data: { tenantId, reason: 'audit' } }, { actor });

    const latest = await waitUntil('a snapshot of the suspended tenant', () => {
      const mine = received.filter((r) => r.key === tenantId).map((r) => SignedSnapshot.parse(JSON.parse(r.value.toString('utf8'))));
      const last = mine.at(-1);
      return last && JSON.parse(last.payload).status === 'suspended' ? last : undefined;
    });
    console.log(`command → signed snapshot on Kafka: ${Math.round(performance.now() - started)} ms for two commands`);
    expect(verifySignedSnapshot(latest, sut.trustedSigningKeys)).toMatchObject({ ok: true, snapshot: { tenantId, status: 'suspended' } });

    await waitUntil('the read model', async () => (await sut.database.prisma.tenant.findUnique({ where: { id: tenantId } }))?.status === 'suspended');
    expect(await sut.database.prisma.adminActivity.count({ where: { tenantId } })).toBe(2);
  });

  it('serves Prometheus metrics: the log, the projector, the audit sink and GraphQL operations by root field and outcome', async () => {
    const graphql = (query: string) => fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect((await graphql('{ tenants { nodes { id } } }')).status).toBeLessThan(500); // nobody signed in
    await graphql('{ tenants { id } '); // not GraphQL
    const scrape = async () => {
      const res = await fetch(`${sut.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const sample = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()[\]|+.?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    // the admin records of the first test's two commands reach the audit sink asynchronously
    const text = await waitUntil('the audit sink has appended the admin records', async () => {
      const t = await scrape();
      return sample(t, 'mcpgate_audit_sink_appended_events_total') >= 2 ? t : undefined;
    });
    expect(sample(text, 'mcpgate_control_log_applied_commits_total')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'mcpgate_control_projector_projected_commits_total')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'mcpgate_audit_sink_state{state="ok"}')).toBe(1);
    expect(sample(text, 'mcpgate_audit_sink_state{state="halted"}')).toBe(0);
    expect(sample(text, 'mcpgate_graphql_operation_duration_seconds_count{type="query",field="tenants",outcome="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(text, 'mcpgate_graphql_operation_duration_seconds_count{type="invalid",field="invalid",outcome="VALIDATION"}')).toBe(1);
    expect(text).toContain('# TYPE mcpgate_audit_export_lag_events gauge'); // the SIEM exporters' registry, merged
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('created the snapshot topic compacted and the event log topic with infinite retention', async () => {
    const admin = kafka.client().admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: 2, name: DEFAULT_SNAPSHOT_TOPIC, configNames: ['cleanup.policy'] },
          { type: 2, name: 'mcpgate.control.events', configNames: ['cleanup.policy', 'retention.ms'] },
        ],
      });
      const config = Object.fromEntries(resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue]))]));
      expect(config[DEFAULT_SNAPSHOT_TOPIC]).toEqual({ 'cleanup.policy': 'compact' });
      expect(config['mcpgate.control.events']).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '-1' });
    } finally {
      await admin.disconnect();
    }
  });
});
