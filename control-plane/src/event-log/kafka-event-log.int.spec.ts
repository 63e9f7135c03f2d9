import { randomUUID } from 'node:crypto';
import { startKafka, waitUntil, type StartedKafka } from '@mcpgate/testing';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEventLogContract, type EventLogFixture } from './event-log.contract.js';
import { EventLogError, MAX_RECORD_BYTES } from './event-log.port.js';
import { KafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log.js';

const { ConfigResourceTypes, logLevel } = kafkajs;

let kafka: StartedKafka;
let admin: Admin;

beforeAll(async () => {
  kafka = await startKafka();
  admin = kafka.client().admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await kafka?.stop();
});

const freshTopic = () => `mcpgate.test.${randomUUID()}`;

const openFixture = async (extra: Partial<KafkaEventLogOptions> = {}): Promise<EventLogFixture> => {
  const options: KafkaEventLogOptions = { brokers: kafka.brokers, topic: freshTopic(), ...extra };
  let current = await KafkaEventLog.open(options);
  const fixture: EventLogFixture = {
    log: current,
    reopen: async () => {
      await current.close();
      current = await KafkaEventLog.open(options);
      fixture.log = current;
      return current;
    },
    dispose: async () => {
      await current.close();
      await admin.deleteTopics({ topics: [options.topic!] });
    },
  };
  return fixture;
};

describeEventLogContract(KafkaEventLog.name, () => openFixture());

describe(KafkaEventLog.name, () => {
  it('computes the same partition for a key as the producer does, for 200 random keys', async () => {
    const { log: sut, dispose } = await openFixture();
    try {
      const keys = Array.from({ length: 200 }, () => `ten_${randomUUID().replaceAll('-', '').slice(0, 10)}`);
      const positions = await Promise.all(keys.map((key) => sut.append(key, Buffer.from(key))));
      const predicted = await Promise.all(keys.map((key) => sut.partitionFor(key)));
      expect(positions.map((p) => p.partition)).toEqual(predicted);
      expect(new Set(predicted).size).toBeGreaterThan(6);
    } finally {
      await dispose();
    }
  });

  it('creates the topic with the configured partition count and keeps records forever', async () => {
    const topic = freshTopic();
    const sut = await KafkaEventLog.open({ brokers: kafka.brokers, topic, partitions: 5 });
    try {
      expect(await sut.partitions()).toBe(5);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(5);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes', 'max.message.bytes'],
          },
        ],
      });
      const config = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
      expect(config).toMatchObject({ 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' });
      expect(Number(config['max.message.bytes'])).toBeGreaterThan(MAX_RECORD_BYTES);

      await sut.close();
      const reopened = await KafkaEventLog.open({ brokers: kafka.brokers, topic, partitions: 9 });
      expect(await reopened.partitions()).toBe(5);
      await reopened.close();
    } finally {
      await sut.close();
      await admin.deleteTopics({ topics: [topic] });
    }
  });

  it('fails to open with event_log.unavailable within its timeout when no broker answers', async () => {
    const started = Date.now();
    const opening = KafkaEventLog.open({
      brokers: ['127.0.0.1:1'],
      topic: freshTopic(),
      timeoutMs: 2_000,
      kafka: { logLevel: logLevel.NOTHING },
    });
    await expect(opening).rejects.toBeInstanceOf(EventLogError);
    await expect(opening).rejects.toMatchObject({ reason: 'event_log.unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is idempotent to close and refuses reads and subscriptions afterwards', async () => {
    const { log: sut, dispose } = await openFixture({ partitions: 2 });
    await sut.close();
    await sut.close();
    await expect(sut.endOffsets()).rejects.toMatchObject({ reason: 'event_log.closed' });
    await expect(sut.subscribe(new Map(), async () => undefined)).rejects.toMatchObject({ reason: 'event_log.closed' });
    await dispose();
  });

  it('delivers each partition from its own checkpoint and nothing before it', async () => {
    const { log: sut, dispose } = await openFixture({ partitions: 3 });
    try {
      const keys = ['ten_aaaaaaaaaa', 'ten_bbbbbbbbbb', 'ten_cccccccccc', 'ten_dddddddddd', 'ten_eeeeeeeeee'];
      const appended = [];
      for (let i = 0; i < 30; i++) appended.push({ i, position: await sut.append(keys[i % keys.length]!, Buffer.from(String(i))) });
      const checkpoint = new Map<number, bigint>();
      for (const { position } of appended.filter(({ i }) => i % 3 === 0)) checkpoint.set(position.partition, position.offset);
      const expected = appended
        .filter(({ position }) => position.offset >= (checkpoint.get(position.partition) ?? 0n))
        .map(({ i }) => i)
        .sort((a, b) => a - b);

      const seen: number[] = [];
      const sub = await sut.subscribe(checkpoint, async (r) => void seen.push(Number(r.value.toString('utf8'))));
      await waitUntil(`${expected.length} records`, () => seen.length >= expected.length);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await sub.stop();
      expect([...seen].sort((a, b) => a - b)).toEqual(expected);
    } finally {
      await dispose();
    }
  });
});
