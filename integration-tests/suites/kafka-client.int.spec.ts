/**
 * Pins what mcpgate relies on from kafkajs 2.2.4 against the Kafka 4.x broker we run (Kafka 4.0
 * removed old protocol versions, KIP-896). If a client or broker upgrade breaks one of these, this
 * suite says which capability broke. Decision record: docs/kafka-client.md.
 */
import { startKafka, waitUntil, type StartedKafka } from '@mcpgate/testing';
import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('kafkajs against the local Kafka 4 broker', () => {
  let kafka: StartedKafka;
  let client: Kafka;
  let admin: Admin;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    kafka = await startKafka((c) =>
      c.withBrokerConfig({ 'log.cleaner.backoff.ms': '200', 'log.segment.delete.delay.ms': '100' }),
    );
    client = kafka.client();
    admin = client.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await admin?.disconnect();
    await kafka?.stop();
  });

  const collect = async (consumer: Consumer, topic: string, count: number, out: EachMessagePayload[] = []) => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async (payload) => void out.push(payload) });
    await waitUntil(`${count} records on ${topic}`, () => out.length >= count, { timeoutMs: 60_000 });
    return out;
  };

  it('produces keyed records with an idempotent acks=all producer and consumes them in order per key', async () => {
    await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 3 }], waitForLeaders: true });
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 30; i++) {
      await producer.send({ topic: 'keyed', acks: -1, messages: [{ key: `tenant-${i % 3}`, value: String(i) }] });
    }
    await producer.disconnect();

    const consumer = client.consumer({ groupId: 'keyed-reader' });
    consumers.push(consumer);
    const received = await collect(consumer, 'keyed', 30);

    expect(received).toHaveLength(30);
    for (const key of ['tenant-0', 'tenant-1', 'tenant-2']) {
      const values = received.filter((r) => r.message.key?.toString() === key).map((r) => Number(r.message.value));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(new Set(received.filter((r) => r.message.key?.toString() === key).map((r) => r.partition)).size).toBe(1);
    }
  });

  it('shares partitions between the members of a consumer group and resumes from committed offsets', async () => {
    await admin.createTopics({ topics: [{ topic: 'grouped', numPartitions: 4 }], waitForLeaders: true });
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: 'grouped', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });

    const seen: EachMessagePayload[] = [];
    const first = client.consumer({ groupId: 'grouped-g', heartbeatInterval: 500, sessionTimeout: 10_000 });
    const second = client.consumer({ groupId: 'grouped-g', heartbeatInterval: 500, sessionTimeout: 10_000 });
    consumers.push(first, second);
    const assigned = new Map<string, number[]>();
    for (const [name, c] of [['first', first], ['second', second]] as const) {
      c.on(c.events.GROUP_JOIN, (e) => assigned.set(name, e.payload.memberAssignment['grouped'] ?? []));
      await c.connect();
      await c.subscribe({ topic: 'grouped', fromBeginning: true });
      await c.run({ eachMessage: async (payload) => void seen.push(payload) });
    }
    // the first member may hold everything until the second joins and the group rebalances
    const split = () => {
      const first = assigned.get('first') ?? [];
      const second = assigned.get('second') ?? [];
      const all = [...first, ...second].sort();
      return first.length > 0 && second.length > 0 && all.join() === '0,1,2,3';
    };
    await waitUntil('the group to split the 4 partitions between both members', split, { timeoutMs: 60_000 });
    await waitUntil('all 40 records', () => seen.length >= 40, { timeoutMs: 60_000 });
    expect(new Set(seen.map((r) => r.message.key?.toString())).size).toBe(40);
    await first.disconnect();
    await second.disconnect();

    await producer.send({ topic: 'grouped', messages: [{ key: 'late', value: 'after-restart' }] });
    await producer.disconnect();
    const restarted = client.consumer({ groupId: 'grouped-g' });
    consumers.push(restarted);
    const afterRestart = await collect(restarted, 'grouped', 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(afterRestart.map((r) => r.message.value?.toString())).toEqual(['after-restart']);
  });

  it('hides aborted transactions from read_committed consumers and shows committed ones', async () => {
    await admin.createTopics({ topics: [{ topic: 'tx', numPartitions: 1 }], waitForLeaders: true });
    const producer = client.producer({ transactionalId: 'mcpgate-tx-test', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'tx', messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic: 'tx', messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.commit();
    await producer.disconnect();

    const consumer = client.consumer({ groupId: 'tx-reader', readUncommitted: false });
    consumers.push(consumer);
    const received = await collect(consumer, 'tx', 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.map((r) => r.message.value?.toString())).toEqual(['committed-1', 'committed-2']);
  });

  it('keeps only the latest record per key on a compacted topic', async () => {
    await admin.createTopics({
      topics: [
        {
          topic: 'compacted',
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.ms', value: '100' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: '100' },
          ],
        },
      ],
      waitForLeaders: true,
    });
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let version = 1; version <= 5; version++) {
      await producer.send({ topic: 'compacted', messages: ['a', 'b'].map((key) => ({ key, value: `${key}-v${version}` })) });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }

    let snapshot: string[] = [];
    await waitUntil(
      'the log cleaner to compact the topic',
      async () => {
        // each write rolls the active segment (segment.ms) so older ones become cleanable
        await producer.send({ topic: 'compacted', messages: [{ key: 'tick', value: String(Date.now()) }] });
        const reader = client.consumer({ groupId: `compacted-${Date.now()}` });
        const records = await collect(reader, 'compacted', 1);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await reader.disconnect();
        snapshot = records.filter((r) => r.message.key?.toString() !== 'tick').map((r) => r.message.value?.toString() ?? '');
        return snapshot.length === 2 ? snapshot : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    await producer.disconnect();
    expect(snapshot.sort()).toEqual(['a-v5', 'b-v5']);
  });
});
