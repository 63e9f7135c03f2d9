/**
 * The exporters role on embedded PGlite (the single-process default's database) with real receivers
 * from the test harness: what happens to a batch the receiver refuses, and to a redelivery.
 */
import { startBulkReceiver, startSplunkHecReceiver, waitUntil, type BulkReceiver, type SplunkHecReceiver } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../infra/database/database.js';
import { applyRetention } from '../audit-retention.js';
import type { AuditSink } from '../audit-sink.js';
import { auditTestKeys } from '../test/audit-fixtures.js';
import type { AuditExporters } from './audit-exporters.js';
import { deadLetters, deliveryStates } from './export-store.js';
import { events, range, startExporters, startSink, tempDir, TenantConfigs } from './test/siem-harness.js';

let database: Database;
const keys = auditTestKeys();
let sink: AuditSink;
let hec: SplunkHecReceiver;
let bulk: BulkReceiver;
const dataDir = tempDir();
const roles: AuditExporters[] = [];

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite', dataDir: dataDir.path });
  sink = await startSink(database.prisma, keys);
  hec = await startSplunkHecReceiver({ token: 'tok', indexes: ['main'] });
  bulk = await startBulkReceiver();
});
afterAll(async () => {
  for (const role of roles) await role.stop();
  await sink?.stop();
  await database?.close();
  await Promise.all([hec?.stop(), bulk?.stop()]);
  dataDir.remove();
});

describe('exporter delivery on PGlite', () => {
  const configs = new TenantConfigs();
  const A = configs.createTenant(1);

  it('dead-letters a batch the receiver refuses for its content after one attempt, and goes on with the next', async () => {
    // HEC refuses an index the token may not write to with 400, code 7: retrying cannot help
    const id = configs.createExporter(A, {
      name: 'wrong-index',
      destination: { kind: 'splunk-hec', url: hec.url, tokenCredentialId: configs.storeSecret(A, 'tok', 'tok'), index: 'security' },
      delivery: { batchSize: 10, maxAttempts: 20 },
    });
    const role = await startExporters(database.prisma, configs, dataDir.path);
    roles.push(role);
    await sink.ingest(events(1, 1, 30));
    await waitUntil('three dead letters', async () => (await deliveryStates(database.prisma, A, [id])).get(id)?.cursorSeq === 30);
    const letters = (await deadLetters(database.prisma, A, id, 10)).reverse();
    expect(letters.map((l) => [l.fromSeq, l.throughSeq, l.attempts])).toEqual([[1, 10, 1], [11, 20, 1], [21, 30, 1]]);
    expect(letters[0]!.error).toBe('the receiver answered 400: {"text":"Incorrect index","code":7,"invalid-event-number":0}');
    expect(hec.refused.every((r) => r.code === 7)).toBe(true);
    expect(hec.events).toEqual([]);
  });

  it('counts a redelivered Elasticsearch document (409: already there) as delivered and indexes it once', async () => {
    const first = configs.createExporter(A, { name: 'es-1', destination: { kind: 'elasticsearch', url: bulk.url, index: 'audit' }, delivery: { batchSize: 7 } });
    const second = configs.createExporter(A, { name: 'es-2', destination: { kind: 'elasticsearch', url: bulk.url, index: 'audit' }, delivery: { batchSize: 5 } });
    await roles[0]!.settled();
    await waitUntil('both exporters through the trail', async () => {
      const states = await deliveryStates(database.prisma, A, [first, second]);
      return states.get(first)?.cursorSeq === 30 && states.get(second)?.cursorSeq === 30;
    });
    expect([...bulk.documents('audit').values()].map((d) => (d['event'] as { sequence: number }).sequence)).toEqual(range(1, 30));
    expect(bulk.itemStatuses.filter((s) => s === 201)).toHaveLength(30);
    expect(bulk.itemStatuses.filter((s) => s === 409)).toHaveLength(30);
    const states = await deliveryStates(database.prisma, A, [first, second]);
    expect(states.get(first)).toMatchObject({ deadLetters: 0, delivered: 30 });
    expect(states.get(second)).toMatchObject({ deadLetters: 0, delivered: 30 });
  });

  it('starts a new exporter after what retention deleted, and records a lagging exporter\'s loss to retention as a dead letter', async () => {
    const C = configs.createTenant(3);
    const lagging = configs.createExporter(C, { name: 'lagging', destination: { kind: 'elasticsearch', url: bulk.url, index: 'c-lagging' }, delivery: { batchSize: 50 } });
    const role = roles[0]!;
    await role.settled();
    await waitUntil('the lagging exporter to hold a cursor', async () => (await deliveryStates(database.prisma, C, [lagging])).get(lagging)?.cursorSeq === 0);
    configs.run(C, { type: 'DisableAuditExporter', data: { exporterId: lagging } });
    await role.settled();
    await sink.ingest(events(3, 1, 100));
    await sink.checkpointNow([C]);
    expect(await applyRetention(database.prisma, { tenantId: C, before: new Date(), signer: keys.signer, keys: keys.trusted })).toMatchObject({ deleted: 100 });
    await sink.ingest(events(3, 101, 110));
    configs.run(C, { type: 'EnableAuditExporter', data: { exporterId: lagging } });
    const fresh = configs.createExporter(C, { name: 'fresh', destination: { kind: 'elasticsearch', url: bulk.url, index: 'c-fresh' } });
    await role.settled();
    await waitUntil('both exporters at the head', async () => {
      const states = await deliveryStates(database.prisma, C, [lagging, fresh]);
      return states.get(lagging)?.cursorSeq === 110 && states.get(fresh)?.cursorSeq === 110;
    });
    expect([...bulk.documents('c-fresh').values()].map((d) => (d['event'] as { sequence: number }).sequence)).toEqual(range(101, 110));
    expect([...bulk.documents('c-lagging').values()].map((d) => (d['event'] as { sequence: number }).sequence)).toEqual(range(101, 110));
    expect(await deadLetters(database.prisma, C, fresh, 10)).toEqual([]);
    expect(await deadLetters(database.prisma, C, lagging, 10)).toMatchObject([{ fromSeq: 1, throughSeq: 100, events: 100, attempts: 0, error: 'records 1-100 were deleted by retention before this exporter delivered them' }]);
  });
});
