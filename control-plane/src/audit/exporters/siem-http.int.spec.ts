/**
 * SIEM exporters against real receivers on real PostgreSQL: a Splunk-HEC-compatible collector, an
 * Elasticsearch-bulk-compatible endpoint and a signature-checking webhook (testing/src/siem), fed by
 * the audit sink's real hash-chained trail. Receivers are killed mid-stream and come back; a
 * receiver that never comes back produces dead letters while the others deliver everything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBulkReceiver, startPostgres, startSplunkHecReceiver, startWebhookReceiver, waitUntil, type BulkReceiver, type SplunkHecReceiver, type StartedPostgres, type WebhookReceiver } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../infra/database/database.js';
import type { AuditSink } from '../audit-sink.js';
import { openAuditPool, pgAuditSql } from '../audit-store.js';
import { startTcpProxy } from '../test/tcp-proxy.js';
import { tenantId } from '../test/audit-fixtures.js';
import type { AuditExporters } from './audit-exporters.js';
import { deadLetters, deliveryStates, requestRedrive } from './export-store.js';
import { events, firstOccurrences, range, startExporters, startSink, tempDir, TenantConfigs } from './test/siem-harness.js';

const HEC_TOKEN = 'hec-0f7c2a9e-4d1b-4c55-9e4b-SECRET';
const HMAC_KEY = 'whsec_9a8b7c6d5e4f-SECRET';
const ES_KEY = 'es-api-key-SECRET';

let postgres: StartedPostgres;
let database: Database;
let databaseUrl: string;
let sink: AuditSink;
let hec: SplunkHecReceiver;
let bulk: BulkReceiver;
let webhook: WebhookReceiver;
const exportDir = tempDir();
const roles: AuditExporters[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase('siem_http');
  database = await openDatabase({ kind: 'postgres', url: databaseUrl });
  sink = await startSink(database.prisma);
  hec = await startSplunkHecReceiver({ token: HEC_TOKEN, indexes: ['security'] });
  bulk = await startBulkReceiver({ apiKey: ES_KEY });
  webhook = await startWebhookReceiver({ key: HMAC_KEY });
});

afterAll(async () => {
  for (const role of roles) await role.stop().catch(() => {});
  await sink?.stop();
  await Promise.all([hec?.stop(), bulk?.stop(), webhook?.stop()]);
  await database?.close();
  await postgres?.stop();
  exportDir.remove();
});

const hecSeqs = (tenant: string) => hec.events.map((e) => e.event as { tenantId: string; seq: number }).filter((e) => e.tenantId === tenant).map((e) => e.seq);
const webhookSeqs = (tenant: string) =>
  webhook.deliveries.filter((d) => d.body['tenantId'] === tenant).flatMap((d) => (d.body['events'] as { metadata: { sequence: number } }[]).map((e) => e.metadata.sequence));

describe('SIEM exporters over HTTP', () => {
  const configs = new TenantConfigs();
  const A = configs.createTenant(1);
  const B = configs.createTenant(2);
  const N = 400;

  it('delivers every event of the tenant in order to Splunk HEC, Elasticsearch and a webhook while each receiver is killed mid-stream and comes back, and a dead receiver only produces dead letters', async () => {
    const ids = {
      hec: configs.createExporter(A, {
        name: 'splunk',
        destination: { kind: 'splunk-hec', url: hec.url, tokenCredentialId: configs.storeSecret(A, 'hec-token', HEC_TOKEN), index: 'security' },
        delivery: { batchSize: 25, maxAttempts: 30 },
      }),
      es: configs.createExporter(A, {
        name: 'elastic',
        destination: { kind: 'elasticsearch', url: bulk.url, index: 'mcpgate-audit-a', apiKeyCredentialId: configs.storeSecret(A, 'es-key', ES_KEY) },
        delivery: { batchSize: 40, maxAttempts: 30 },
      }),
      hook: configs.createExporter(A, {
        name: 'webhook-ocsf',
        destination: { kind: 'webhook', url: `${webhook.url}/siem`, signingKeyCredentialId: configs.storeSecret(A, 'hmac', HMAC_KEY), format: 'ocsf' },
        delivery: { batchSize: 30, maxAttempts: 30 },
      }),
      dead: configs.createExporter(A, {
        name: 'nowhere',
        destination: { kind: 'webhook', url: 'http://127.0.0.1:9/never', signingKeyCredentialId: configs.storeSecret(A, 'hmac-2', HMAC_KEY) },
        delivery: { batchSize: 50, maxAttempts: 2 },
      }),
      file: configs.createExporter(A, { name: 'files', destination: { kind: 'file', directory: 'audit-ndjson' }, delivery: { batchSize: 100 } }),
    };
    // tenant B has an exporter to the same collector: A's exporters must never carry B's events
    configs.createExporter(B, { name: 'splunk', destination: { kind: 'splunk-hec', url: hec.url, tokenCredentialId: configs.storeSecret(B, 'hec-token', HEC_TOKEN) }, delivery: { batchSize: 25 } });
    const role = await startExporters(database.prisma, configs, exportDir.path);
    roles.push(role);

    await sink.ingest([...events(1, 1, 100), ...events(2, 1, 20)]);
    await waitUntil('some events at each receiver', () => hecSeqs(A).length > 30 && bulk.documents('mcpgate-audit-a').size > 30 && webhookSeqs(A).length > 30);
    // kill all three receivers mid-stream; keep recording while they are down
    await Promise.all([hec.down(), bulk.down(), webhook.down()]);
    const ingesting = (async () => {
      for (let n = 101; n <= N; n += 50) await sink.ingest(events(1, n, n + 49));
    })();
    await waitUntil('failed attempts while the receivers are down', () => (role.metrics.snapshot(ids.hec)?.errors ?? 0) >= 2 && (role.metrics.snapshot(ids.es)?.errors ?? 0) >= 2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all([hec.up(), bulk.up(), webhook.up()]);
    await ingesting;

    await waitUntil('every event at every receiver', () => hecSeqs(A).length >= N && bulk.documents('mcpgate-audit-a').size >= N && webhookSeqs(A).length >= N && firstOccurrences(webhookSeqs(A)).length === N, { timeoutMs: 60_000 });
    expect(firstOccurrences(hecSeqs(A))).toEqual(range(1, N));
    expect(firstOccurrences(webhookSeqs(A))).toEqual(range(1, N));
    const docs = [...bulk.documents('mcpgate-audit-a').values()];
    expect(docs.map((d) => (d['event'] as { sequence: number }).sequence)).toEqual(range(1, N));
    expect(docs.every((d) => (d['organization'] as { id: string }).id === A)).toBe(true);
    expect(hec.events.filter((e) => (e.event as { tenantId: string }).tenantId === B).map((e) => (e.event as { seq: number }).seq)).toEqual(range(1, 20));
    expect(hec.refused).toEqual([]);
    expect(bulk.refused).toEqual([]);
    expect(webhook.refused).toEqual([]);
    expect(webhook.deliveries.every((d) => d.body['format'] === 'ocsf' && (d.body['events'] as { class_uid: number }[]).every((e) => e.class_uid === 6003))).toBe(true);

    // the dead receiver: batches went to dead letters, the cursor moved on through the whole trail
    await waitUntil('the dead exporter to have given up on every batch', async () => (await deliveryStates(database.prisma, A, [ids.dead])).get(ids.dead)?.cursorSeq === N);
    const letters = await deadLetters(database.prisma, A, ids.dead, 100);
    expect(letters.map((l) => [l.fromSeq, l.throughSeq]).reverse()).toEqual(range(0, N / 50 - 1).map((i) => [i * 50 + 1, i * 50 + 50]));
    expect(letters.every((l) => l.attempts === 2 && /unreachable/.test(l.error))).toBe(true);

    const states = await deliveryStates(database.prisma, A, Object.values(ids));
    for (const id of [ids.hec, ids.es, ids.hook, ids.file]) expect(states.get(id)).toMatchObject({ cursorSeq: N, deadLetters: 0 });
    expect(states.get(ids.hec)!.delivered).toBeGreaterThanOrEqual(N);
    // the process's metrics follow the stored cursor (a moment later: the worker updates them after its commit)
    await waitUntil('metrics to catch up', () => role.metrics.snapshot(ids.hec)?.cursorSeq === N && role.metrics.snapshot(ids.dead)?.deadLetters === N / 50);
    expect(role.metrics.snapshot(ids.hec)).toMatchObject({ lag: 0, cursorSeq: N });
    expect(role.metrics.snapshot(ids.hec)!.errors).toBeGreaterThanOrEqual(2);
    expect(role.metrics.snapshot(ids.dead)).toMatchObject({ deadLetters: N / 50, deadLetteredEvents: N });

    // the files: one JSON record per line, every seq of the tenant once, in order
    const dir = join(exportDir.path, A, 'audit-ndjson');
    const lines = readdirSync(dir).sort().flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    expect(firstOccurrences(lines.map((l) => (JSON.parse(l) as { seq: number }).seq))).toEqual(range(1, N));

    // no secret anywhere: not in what receivers got, not in stored errors, not in metrics
    const everything = JSON.stringify([hec.events, docs, webhook.deliveries, [...states.values()], letters, await role.metrics.render(), lines.slice(0, 5)]);
    for (const secret of [HEC_TOKEN, HMAC_KEY, ES_KEY]) expect(everything).not.toContain(secret);
  });

  it('resumes from the stored cursor after the role restarts, without skipping what was recorded meanwhile', async () => {
    const before = hecSeqs(A).length;
    await roles.pop()!.stop();
    await sink.ingest(events(1, N + 1, N + 60));
    const role = await startExporters(database.prisma, configs, exportDir.path);
    roles.push(role);
    await waitUntil('the events recorded while the role was down', () => firstOccurrences(hecSeqs(A)).length === N + 60, { timeoutMs: 30_000 });
    expect(firstOccurrences(hecSeqs(A))).toEqual(range(1, N + 60));
    expect(hecSeqs(A).slice(before)).toEqual(range(N + 1, N + 60));
  });

  it('pauses a disabled exporter at its cursor and continues from there when enabled again', async () => {
    const role = roles.at(-1)!;
    const id = [...configs.tenant(A)!.auditExporters.values()].find((e) => e.name === 'splunk')!.exporterId;
    configs.run(A, { type: 'DisableAuditExporter', data: { exporterId: id } });
    await role.settled();
    await sink.ingest(events(1, N + 61, N + 80));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(firstOccurrences(hecSeqs(A)).length).toBe(N + 60);
    configs.run(A, { type: 'EnableAuditExporter', data: { exporterId: id } });
    await waitUntil('delivery after enabling', () => firstOccurrences(hecSeqs(A)).length === N + 80);
    expect(firstOccurrences(hecSeqs(A))).toEqual(range(1, N + 80));
  });

  it('lets one instance deliver at a time: a second role instance stands by until the lease is free', async () => {
    const second = await startExporters(database.prisma, configs, exportDir.path, 'second-instance');
    roles.push(second);
    const id = [...configs.tenant(A)!.auditExporters.values()].find((e) => e.name === 'elastic')!.exporterId;
    await waitUntil('the second instance to stand by', () => second.workerState(id)?.phase === 'standby');
    const before = bulk.itemStatuses.length;
    await sink.ingest(events(1, N + 81, N + 100));
    await waitUntil('the new events in Elasticsearch', () => bulk.documents('mcpgate-audit-a').size === N + 100);
    // each new document was created exactly once: no second deliverer raced the first
    expect(bulk.itemStatuses.slice(before).filter((s) => s === 201)).toHaveLength(20);
    expect(tenantId(1)).toBe(A);
  });

  it('delivers dead letters again on request once the receiver is reachable, and fails a request after its attempts', async () => {
    const E = configs.createTenant(5);
    const hmac = configs.storeSecret(E, 'hmac', HMAC_KEY);
    const id = configs.createExporter(E, { name: 'flaky', destination: { kind: 'webhook', url: 'http://127.0.0.1:9/never', signingKeyCredentialId: hmac, format: 'ocsf' }, delivery: { batchSize: 10, maxAttempts: 2 } });
    await Promise.all(roles.map((r) => r.settled()));
    await sink.ingest(events(5, 1, 30));
    await waitUntil('three dead letters', async () => (await deliveryStates(database.prisma, E, [id])).get(id)?.cursorSeq === 30);
    const letters = await deadLetters(database.prisma, E, id, 10);
    expect(letters.map((l) => [l.fromSeq, l.throughSeq, l.redrive])).toEqual([
      [21, 30, undefined],
      [11, 20, undefined],
      [1, 10, undefined],
    ]);
    const requestedBy = JSON.stringify({ kind: 'system', component: 'test' });

    // asked while the receiver is still unreachable: tried maxAttempts times, then failed
    const doomed = await requestRedrive(database.prisma, { tenantId: E, exporterId: id, deadLetterId: letters[2]!.id, requestedBy });
    expect(doomed).toMatchObject({ status: 'pending', attempts: 0, requestedBy });
    // asked again while pending: the same request, sent once
    expect((await requestRedrive(database.prisma, { tenantId: E, exporterId: id, deadLetterId: letters[2]!.id, requestedBy }))?.id).toBe(doomed?.id);
    await waitUntil('the doomed redrive to fail', async () => (await deadLetters(database.prisma, E, id, 10))[2]!.redrive?.status === 'failed');
    expect((await deadLetters(database.prisma, E, id, 10))[2]!.redrive).toMatchObject({ attempts: 2, lastError: expect.stringMatching(/unreachable/) });

    // the receiver fixed: every dead letter asked again arrives
    configs.run(E, { type: 'UpdateAuditExporter', data: { exporterId: id, destination: { kind: 'webhook', url: `${webhook.url}/redrive`, signingKeyCredentialId: hmac, format: 'ocsf' } } });
    await Promise.all(roles.map((r) => r.settled()));
    for (const letter of letters) await requestRedrive(database.prisma, { tenantId: E, exporterId: id, deadLetterId: letter.id, requestedBy });
    await waitUntil('every redrive delivered', async () => (await deadLetters(database.prisma, E, id, 10)).every((l) => l.redrive?.status === 'delivered'));
    expect(firstOccurrences(webhookSeqs(E)).sort((a, b) => a - b)).toEqual(range(1, 30));
    expect(webhookSeqs(E)).toHaveLength(30);
    // counted by whichever running role instance holds the lease
    const total = (field: 'redrivenEvents' | 'deadLetters') => roles.reduce((sum, r) => sum + (r.metrics.snapshot(id)?.[field] ?? 0), 0);
    expect([total('redrivenEvents'), total('deadLetters')]).toEqual([30, 3]);

    // unknown, other-tenant and malformed dead-letter ids are refused
    expect(await requestRedrive(database.prisma, { tenantId: A, exporterId: id, deadLetterId: letters[0]!.id, requestedBy })).toBeUndefined();
    expect(await requestRedrive(database.prisma, { tenantId: E, exporterId: id, deadLetterId: '999999', requestedBy })).toBeUndefined();
    expect(await requestRedrive(database.prisma, { tenantId: E, exporterId: id, deadLetterId: '1; DROP TABLE x', requestedBy })).toBeUndefined();
  });

  it('pauses through a PostgreSQL outage of its own connections and then delivers everything, skipping nothing', async () => {
    const D = configs.createTenant(4);
    const id = configs.createExporter(D, { name: 'splunk', destination: { kind: 'splunk-hec', url: hec.url, tokenCredentialId: configs.storeSecret(D, 'hec-token', HEC_TOKEN) }, delivery: { batchSize: 10 } });
    // only this tenant's exporters reach PostgreSQL through a relay the test cuts (the sink writes directly)
    const url = new URL(databaseUrl);
    const relay = await startTcpProxy(url.hostname, Number(url.port));
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    const pool = openAuditPool(url.toString(), { statementTimeoutMs: 2_000 });
    const onlyD = { tenantIds: () => [D], tenant: (t: string) => configs.tenant(t), watch: () => () => {} };
    const role = await startExporters(pgAuditSql(pool), configs, exportDir.path, 'outage-instance', onlyD);
    try {
      const seqs = () => hecSeqs(D);
      await sink.ingest(events(4, 1, 50));
      await waitUntil('some deliveries', () => seqs().length >= 10);
      await relay.cut();
      await sink.ingest(events(4, 51, 150));
      await waitUntil('the exporter to notice the outage', () => role.workerState(id)?.lastError?.startsWith('database') === true, { timeoutMs: 30_000 });
      await relay.restore();
      await waitUntil('every event after the outage', () => firstOccurrences(seqs()).length === 150, { timeoutMs: 60_000 });
      expect(firstOccurrences(seqs())).toEqual(range(1, 150));
      expect((await deliveryStates(database.prisma, D, [id])).get(id)).toMatchObject({ cursorSeq: 150, deadLetters: 0 });
    } finally {
      await role.stop();
      await pool.end();
      await relay.close();
    }
  });
});
