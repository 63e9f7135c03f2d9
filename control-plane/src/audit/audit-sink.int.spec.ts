import { startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { Partitioners, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@mcpgate/contracts';
import type { PrismaClient } from '../generated/prisma/client.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';
import { openDatabase, type Database } from '../infra/database/database.js';
import { AuditSink } from './audit-sink.js';
import { openAuditPool, pgAuditSql } from './audit-store.js';
import { verifyAuditTrail } from './audit-verify.js';
import { DEFAULT_CHECKPOINT_TOPIC, EventLogCheckpointPublisher, type PublishedCheckpoint } from './checkpoint-publisher.js';
import { auditEvent, auditTestKeys, tenantId } from './test/audit-fixtures.js';
import { startTcpProxy, type TcpProxy } from './test/tcp-proxy.js';

const keys = auditTestKeys();
const EU = 'mcpgate.audit.eu-west-1';
const US = 'mcpgate.audit.us-east-1';

const rows = (prisma: PrismaClient, tenants: number[]) =>
  prisma.$queryRawUnsafe<{ tenant_id: string; seq: string; region: string; n: string; event_id: string }[]>(
    `SELECT tenant_id, seq::text AS seq, region, event->'arguments'->>'query' AS n, event_id::text AS event_id
     FROM audit_event WHERE tenant_id IN (SELECT value FROM jsonb_array_elements_text($1::jsonb)) ORDER BY tenant_id, audit_event.seq`,
    JSON.stringify(tenants.map(tenantId)),
  );

const countFor = async (prisma: PrismaClient, tenants: number[]) => (await rows(prisma, tenants)).length;

describe('AuditSink on Kafka', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let admin: Admin;
  let producer: Producer;
  const closers: (() => Promise<unknown>)[] = [];

  const produce = (topic: string, list: AuditEvent[]) =>
    producer.send({ topic, acks: -1, messages: list.map((e) => ({ key: e.tenantId, value: JSON.stringify(e) })) });

  const committed = async (groupId: string, topics: string[]) => {
    const result = new Map<string, string>();
    for (const t of await admin.fetchOffsets({ groupId, topics })) for (const p of t.partitions) result.set(`${t.topic}/${p.partition}`, p.offset);
    return result;
  };
  const ends = async (topics: string[]) => {
    const result = new Map<string, string>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) result.set(`${topic}/${p.partition}`, p.high);
    return result;
  };
  /** Partitions with records are committed up to their end; empty ones were never committed (-1). */
  const fullyCommitted = async (groupId: string, topics: string[]) => {
    const [c, e] = await Promise.all([committed(groupId, topics), ends(topics)]);
    return [...e].every(([key, high]) => (high === '0' ? true : c.get(key) === high));
  };

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startKafka(), startPostgres()]);
    admin = kafka.client().admin();
    await admin.connect();
    await admin.createTopics({ topics: [EU, US].map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
    producer = kafka.client().producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await producer?.disconnect();
    await admin?.disconnect();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
  });

  it('takes every region topic exactly once, in order per tenant and region; quarantines malformed records; publishes checkpoints; picks up a new region', async () => {
    const database = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('audit_kafka') });
    closers.push(() => database.close());
    const tenants = [1, 2, 3, 4];
    const eu = tenants.flatMap((t) => Array.from({ length: 30 }, (_, i) => auditEvent(t, i + 1, { region: 'eu-west-1' })));
    const us = tenants.flatMap((t) => Array.from({ length: 30 }, (_, i) => auditEvent(t, 101 + i, { region: 'us-east-1' })));
    await produce(EU, eu.slice(0, 60));
    await produce(US, us);
    await producer.send({ topic: EU, messages: [{ key: tenantId(1), value: 'this is not JSON' }, { key: tenantId(2), value: JSON.stringify({ schemaVersion: 2, eventId: 'x' }) }] });
    await produce(EU, eu.slice(60));
    await produce(EU, eu.slice(0, 10)); // redelivered by a proxy that crashed before its ack

    const checkpointLog = await EventLogCheckpointPublisher.openKafka({ brokers: kafka.brokers, kafka: { logLevel: 0 } });
    const groupId = 'audit-sink-test';
    const sink = new AuditSink(database.prisma, {
      signer: keys.signer,
      macKeys: keys.macKeys,
      checkpointEvery: 25,
      publisher: checkpointLog,
      kafka: { brokers: kafka.brokers, groupId, topicRefreshMs: 500, kafka: { logLevel: 0 } },
      admissionThreads: 1, // fetches of 16 records or more are admitted on the thread, then written through this Prisma client's statement path
    });
    await sink.start();
    closers.push(() => sink.stop());
    closers.push(() => checkpointLog.close());

    await waitUntil('240 events in PostgreSQL', async () => (await countFor(database.prisma, tenants)) === 240, { timeoutMs: 60_000 });
    await waitUntil('offsets committed', () => fullyCommitted(groupId, [EU, US]), { timeoutMs: 30_000 });
    expect(sink.status()).toMatchObject({ state: 'ok', appended: 240, duplicates: 10, quarantined: 2, kafka: { topics: [EU, US], consuming: true, admission: { threads: 1, restarts: 0, recoveredRecords: 0 } } });

    const stored = await rows(database.prisma, tenants);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(240);
    for (const t of tenants) {
      const mine = stored.filter((r) => r.tenant_id === tenantId(t));
      expect(mine.map((r) => Number(r.seq))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      for (const region of ['eu-west-1', 'us-east-1']) {
        const order = mine.filter((r) => r.region === region).map((r) => Number(r.n.split(' ')[1]));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(order).toHaveLength(30);
      }
      expect(await verifyAuditTrail(database.prisma, { tenantId: tenantId(t), keys: keys.trusted })).toMatchObject({ ok: true, records: 60 });
    }
    const quarantined = await database.prisma.$queryRawUnsafe<{ kafka_topic: string; kafka_partition: number; kafka_offset: string; kafka_key: string; error: string; raw: string }[]>(
      `SELECT kafka_topic, kafka_partition, kafka_offset::text AS kafka_offset, kafka_key, error, convert_from(raw, 'UTF8') AS raw FROM audit_quarantine ORDER BY kafka_key`,
    );
    expect(quarantined).toEqual([
      expect.objectContaining({ kafka_topic: EU, kafka_key: tenantId(1), error: 'not JSON', raw: 'this is not JSON' }),
      expect.objectContaining({ kafka_topic: EU, kafka_key: tenantId(2), error: expect.stringContaining('not an AuditEvent') }),
    ]);

    // the checkpoints reached the published topic too, and the trail verifies against them
    await sink.checkpointNow();
    const reader = await KafkaEventLog.open({ brokers: kafka.brokers, topic: DEFAULT_CHECKPOINT_TOPIC, kafka: { logLevel: 0 } });
    closers.push(() => reader.close());
    const published: PublishedCheckpoint[] = [];
    await reader.subscribe(new Map(), async (record) => void published.push(JSON.parse(record.value.toString('utf8')) as PublishedCheckpoint));
    await waitUntil('checkpoints published on Kafka', () => tenants.every((t) => published.some((p) => p.tenantId === tenantId(t) && p.seq === 60)), { timeoutMs: 30_000 });
    for (const t of tenants) {
      expect(await verifyAuditTrail(database.prisma, { tenantId: tenantId(t), keys: keys.publicOnly, publishedCheckpoints: published })).toMatchObject({ ok: true, unsignedTail: 0 });
    }

    // a region that comes online later is found without a restart
    const AP = 'mcpgate.audit.ap-south-1';
    await admin.createTopics({ topics: [{ topic: AP, numPartitions: 1 }], waitForLeaders: true });
    await produce(AP, [auditEvent(1, 201, { region: 'ap-south-1' }), auditEvent(1, 202, { region: 'ap-south-1' })]);
    await waitUntil('the new region', async () => (await countFor(database.prisma, [1])) === 62, { timeoutMs: 60_000 });
    expect(sink.status().kafka?.topics).toEqual([AP, EU, US]);
    expect(await verifyAuditTrail(database.prisma, { tenantId: tenantId(1), keys: keys.trusted })).toMatchObject({ ok: true, records: 62 });
  });

  it('pauses through a PostgreSQL outage without committing offsets, and loses and duplicates nothing once it is back', async () => {
    const direct = await postgres.createDatabase('audit_outage');
    const database: Database = await openDatabase({ kind: 'postgres', url: direct });
    closers.push(() => database.close());
    // the sink reaches PostgreSQL through a relay the test can cut: its pool sees an outage
    const url = new URL(direct);
    const proxy: TcpProxy = await startTcpProxy(url.hostname, Number(url.port));
    closers.push(() => proxy.close());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const pool = openAuditPool(url.toString());
    closers.push(() => pool.end());

    const OUTAGE = 'mcpgate.audit.outage-1';
    await admin.createTopics({ topics: [{ topic: OUTAGE, numPartitions: 2 }], waitForLeaders: true });
    const groupId = 'audit-sink-outage';
    const sink = new AuditSink(pgAuditSql(pool), {
      signer: keys.signer,
      macKeys: keys.macKeys,
      checkpointEvery: 50,
      retry: { initialMs: 100, maxMs: 1_000 },
      kafka: { brokers: kafka.brokers, groupId, topicPattern: /^mcpgate\.audit\.outage-/, kafka: { logLevel: 0 } },
    });
    await sink.start();
    closers.push(() => sink.stop());
    const tenants = [21, 22];
    const batch = (from: number) => tenants.flatMap((t) => Array.from({ length: 50 }, (_, i) => auditEvent(t, from + i)));

    await produce(OUTAGE, batch(1));
    await waitUntil('100 events', async () => (await countFor(database.prisma, tenants)) === 100, { timeoutMs: 60_000 });
    await waitUntil('offsets committed', () => fullyCommitted(groupId, [OUTAGE]), { timeoutMs: 30_000 });
    const before = await committed(groupId, [OUTAGE]);

    await proxy.cut();
    await produce(OUTAGE, batch(51));
    await waitUntil('the sink to retry', () => sink.status().state === 'retrying', { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(sink.status()).toMatchObject({ state: 'retrying', lastError: expect.any(String), kafka: { paused: true } });
    expect(await committed(groupId, [OUTAGE])).toEqual(before); // nothing acknowledged while PostgreSQL is away

    await proxy.restore();
    await waitUntil('200 events', async () => (await countFor(database.prisma, tenants)) === 200, { timeoutMs: 60_000 });
    await waitUntil('offsets committed after the outage', () => fullyCommitted(groupId, [OUTAGE]), { timeoutMs: 30_000 });
    expect(sink.status()).toMatchObject({ state: 'ok', kafka: { paused: false } });
    for (const t of tenants) {
      const seqs = (await rows(database.prisma, [t])).map((r) => Number(r.seq));
      expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await verifyAuditTrail(database.prisma, { tenantId: tenantId(t), keys: keys.trusted })).toMatchObject({ ok: true, records: 100 });
    }
  });
});
