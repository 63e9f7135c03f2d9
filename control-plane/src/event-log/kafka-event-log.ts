import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';
import type { Admin, Consumer, KafkaConfig, logCreator, PartitionMetadata, Producer } from 'kafkajs';
import {
  EventLogError,
  MAX_RECORD_BYTES,
  type EventLog,
  type LogCheckpoint,
  type LogPosition,
  type LogRecord,
  type LogSubscription,
} from './event-log.port.js';

export const DEFAULT_EVENT_LOG_TOPIC = 'mcpgate.control.events';

export interface KafkaEventLogOptions {
  brokers: string[];
  /** Default `mcpgate.control.events`. */
  topic?: string;
  /** Only used when the topic has to be created; an existing topic keeps its count. Default 12. */
  partitions?: number;
  /**
   * Only used when the topic has to be created. Default 1 (a single broker). Production uses 3,
   * which also sets `min.insync.replicas=2`, so an acknowledged append survives losing one broker.
   */
  replicationFactor?: number;
  clientId?: string;
  /**
   * Only used when the topic has to be created. `delete` with infinite retention (default) keeps
   * every record forever, as the event log needs; `compact` keeps the newest record per key, as the
   * snapshot topic needs.
   */
  cleanupPolicy?: 'delete' | 'compact';
  /**
   * The topic's settings when this log creates it, instead of the event log's own (cleanupPolicy,
   * infinite retention, message size, min.insync.replicas): for topics another component may
   * create first with a shared definition (the proxy reports topic).
   */
  topicConfig?: readonly { readonly name: string; readonly value: string }[];
  /** Upper bound for every call to Kafka (open, append, endOffsets, subscribe, stop, close). Default 30 s. */
  timeoutMs?: number;
  /** Extra kafkajs settings (ssl, sasl, retry, logLevel, logCreator …). */
  kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

const DEFAULT_PARTITIONS = 12;
const DEFAULT_TIMEOUT_MS = 30_000;
// room for the key, headers and record-batch framing around the largest accepted value
const MAX_MESSAGE_BYTES = MAX_RECORD_BYTES + 64 * 1024;
// kafkajs waits for an in-flight fetch to return before a consumer stops; a short long-poll keeps
// stop() fast, and new records are still returned as soon as they arrive.
const FETCH_MAX_WAIT_MS = 1_000;

/**
 * Maps kafkajs's error entries to one JSON line each, with an allow-list of fields so no credentials
 * leak. `Connection` entries are dropped: each repeats a raw broker response that the producer,
 * consumer or admin entry about the same failure already reports.
 */
const errorLines: logCreator = () => (entry) => {
  if (entry.level !== logLevel.ERROR || entry.namespace === 'Connection') return;
  const { message, broker, groupId, topic, retryCount, error } = entry.log as Record<string, unknown>;
  const line: Record<string, unknown> = { level: 'error', source: 'kafkajs', namespace: entry.namespace, message };
  for (const [name, value] of Object.entries({ broker, groupId, topic, retryCount, error })) {
    if (typeof value === 'string' || typeof value === 'number') line[name] = value;
  }
  console.error(JSON.stringify(line));
};

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** kafkajs wraps retried failures; a broker refusing the size is reported as too large, not as an outage. */
const brokerRefusedSize = (error: unknown): boolean => {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if ('type' in current && typeof current.type === 'string' && TOO_LARGE_TYPES.has(current.type)) return true;
  }
  return false;
};

const toEventLogError = (what: string, error: unknown): EventLogError => {
  if (error instanceof EventLogError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (brokerRefusedSize(error)) return new EventLogError('event_log.too_large', `${what}: ${detail}`, { cause: error });
  return new EventLogError('event_log.unavailable', `${what} failed: ${detail}`, { cause: error });
};

/** Settles within `ms`; a late settlement of `work` is still handled, so it never becomes an unhandled rejection. */
const bounded = async <T>(what: string, ms: number, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EventLogError('event_log.unavailable', `${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    throw toEventLogError(what, error);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Resolves with the topic's partitions once every one has a leader that answers ListOffsets.
 * kafkajs's own `waitForLeaders` gives up when a KRaft broker briefly answers
 * UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created, so this polls instead.
 */
const waitUntilServed = async (admin: Admin, topic: string, timeoutMs: number): Promise<PartitionMetadata[]> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics.find((t) => t.name === topic)?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0)) {
        await admin.fetchTopicOffsets(topic);
        return [...partitions].sort((a, b) => a.partitionId - b.partitionId);
      }
      lastError = new Error(`topic ${topic} has no partitions with a leader yet`);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw toEventLogError(`waiting for ${topic} to be served`, lastError);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const reportUnhandled = (topic: string, error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(JSON.stringify({ level: 'error', source: 'kafka-event-log', topic, message: `subscription stopped: ${message}` }));
};

/**
 * The production event log: one Kafka topic, records keyed by tenant id, partitioned by kafkajs's
 * Java-compatible murmur2 partitioner. Every reader reads every partition itself (a throwaway
 * consumer group per subscription, no committed offsets); checkpoints live with the consumers.
 */
export class KafkaEventLog implements EventLog {
  readonly #topic: string;
  readonly #timeoutMs: number;
  readonly #kafka: Kafka;
  readonly #admin: Admin;
  readonly #producer: Producer;
  readonly #partitionMetadata: PartitionMetadata[];
  readonly #partitioner = Partitioners.DefaultPartitioner();
  readonly #subscriptions = new Set<LogSubscription>();
  #closing: Promise<void> | undefined;

  private constructor(
    topic: string,
    timeoutMs: number,
    kafka: Kafka,
    admin: Admin,
    producer: Producer,
    partitionMetadata: PartitionMetadata[],
  ) {
    this.#topic = topic;
    this.#timeoutMs = timeoutMs;
    this.#kafka = kafka;
    this.#admin = admin;
    this.#producer = producer;
    this.#partitionMetadata = partitionMetadata;
  }

  /** Connects, creates the topic if it is missing and reads its partitions; rejects with an EventLogError. */
  static async open(options: KafkaEventLogOptions): Promise<KafkaEventLog> {
    const topic = options.topic ?? DEFAULT_EVENT_LOG_TOPIC;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const replicationFactor = options.replicationFactor ?? 1;
    quietKafkajsNegativeTimerWarning();
    const kafka = new Kafka({
      logLevel: logLevel.ERROR,
      logCreator: errorLines,
      requestTimeout: timeoutMs,
      ...options.kafka,
      brokers: options.brokers,
      clientId: options.clientId ?? 'mcpgate-control-plane',
    });
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await bounded('connecting to Kafka', timeoutMs, admin.connect());
      const existing = await bounded('listing topics', timeoutMs, admin.listTopics());
      if (!existing.includes(topic)) {
        await bounded(
          `creating topic ${topic}`,
          timeoutMs,
          admin.createTopics({
            timeout: timeoutMs,
            topics: [
              {
                topic,
                numPartitions: options.partitions ?? DEFAULT_PARTITIONS,
                replicationFactor,
                configEntries: options.topicConfig ? [...options.topicConfig] : [
                  { name: 'cleanup.policy', value: options.cleanupPolicy ?? 'delete' },
                  { name: 'retention.ms', value: '-1' },
                  { name: 'retention.bytes', value: '-1' },
                  { name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) },
                  { name: 'min.insync.replicas', value: replicationFactor >= 3 ? '2' : '1' },
                ],
              },
            ],
          }),
        );
      }
      const partitions = await bounded(`waiting for ${topic} to be served`, timeoutMs, waitUntilServed(admin, topic, timeoutMs));
      await bounded('connecting the producer', timeoutMs, producer.connect());
      return new KafkaEventLog(topic, timeoutMs, kafka, admin, producer, partitions);
    } catch (error) {
      await Promise.allSettled([
        bounded('disconnecting the producer', timeoutMs, producer.disconnect()),
        bounded('disconnecting the admin client', timeoutMs, admin.disconnect()),
      ]);
      throw toEventLogError(`opening the event log on ${topic}`, error);
    }
  }

  async partitions(): Promise<number> {
    return this.#partitionMetadata.length;
  }

  async partitionFor(key: string): Promise<number> {
    return this.#partitioner({ topic: this.#topic, partitionMetadata: this.#partitionMetadata, message: { key, value: null } });
  }

  async append(key: string, value: Buffer): Promise<LogPosition> {
    this.#assertOpen();
    if (value.length > MAX_RECORD_BYTES) {
      throw new EventLogError('event_log.too_large', `record of ${value.length} bytes exceeds the limit of ${MAX_RECORD_BYTES}`);
    }
    const results = await bounded(
      `appending to ${this.#topic}`,
      this.#timeoutMs,
      this.#producer.send({ topic: this.#topic, acks: -1, timeout: this.#timeoutMs, messages: [{ key, value }] }),
    );
    const result = results.find((r) => r.topicName === this.#topic);
    if (result?.baseOffset === undefined) {
      throw new EventLogError('event_log.unavailable', `the produce response for ${this.#topic} carried no offset`);
    }
    return { partition: result.partition, offset: BigInt(result.baseOffset) };
  }

  async endOffsets(): Promise<ReadonlyMap<number, bigint>> {
    this.#assertOpen();
    const offsets = await bounded(`reading end offsets of ${this.#topic}`, this.#timeoutMs, this.#admin.fetchTopicOffsets(this.#topic));
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  }

  async subscribe(
    from: LogCheckpoint,
    handler: (record: LogRecord) => Promise<void>,
    onError: (error: unknown) => void = (error) => reportUnhandled(this.#topic, error),
  ): Promise<LogSubscription> {
    this.#assertOpen();
    const topic = this.#topic;
    const consumer: Consumer = this.#kafka.consumer({
      groupId: `mcpgate-log-reader-${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: MAX_MESSAGE_BYTES * 2,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    });
    // Next offset to deliver per partition. Also the safety net against anything kafkajs hands us
    // again (a fetch before the seek applied, a re-join that restarts from the earliest offset).
    const next = new Map<number, bigint>();
    for (const { partitionId } of this.#partitionMetadata) next.set(partitionId, from.get(partitionId) ?? 0n);

    let halted = false;
    let reported = false;
    let inFlight: Promise<void> = Promise.resolve();
    let stopping: Promise<void> | undefined;
    const report = (error: unknown) => {
      if (reported) return;
      reported = true;
      try {
        onError(error);
      } catch (callbackError) {
        reportUnhandled(topic, callbackError);
      }
    };
    const subscription: LogSubscription = {
      // Must not be awaited from inside the handler: stopping waits for the handler to return.
      stop: () =>
        (stopping ??= (async () => {
          halted = true;
          this.#subscriptions.delete(subscription);
          await bounded('stopping a subscription', this.#timeoutMs, consumer.disconnect()).catch(() => undefined);
          await inFlight;
        })()),
    };

    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      try {
        for (const partition of payload.memberAssignment[topic] ?? []) {
          consumer.seek({ topic, partition, offset: String(next.get(partition) ?? 0n) });
        }
      } catch (error) {
        halted = true;
        report(toEventLogError(`seeking ${topic}`, error));
        void subscription.stop();
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (halted || payload.restart) return;
      halted = true;
      report(toEventLogError(`reading ${topic}`, payload.error));
      void subscription.stop();
    });

    this.#subscriptions.add(subscription);
    try {
      await bounded('connecting a consumer', this.#timeoutMs, consumer.connect());
      await bounded(`subscribing to ${topic}`, this.#timeoutMs, consumer.subscribe({ topic, fromBeginning: true }));
      await bounded(
        `joining a reader group on ${topic}`,
        this.#timeoutMs,
        consumer.run({
          autoCommit: false,
          // Never throws: a thrown error would make kafkajs retry the message and call the handler again.
          eachMessage: async ({ partition, message }) => {
            if (halted) return;
            const offset = BigInt(message.offset);
            if (offset < (next.get(partition) ?? 0n)) return;
            next.set(partition, offset + 1n);
            const record: LogRecord = {
              position: { partition, offset },
              key: message.key?.toString('utf8') ?? '',
              value: message.value ?? Buffer.alloc(0),
            };
            const delivery = (async () => handler(record))();
            inFlight = delivery.catch(() => undefined);
            try {
              await delivery;
            } catch (error) {
              halted = true;
              report(error);
              void subscription.stop();
            }
          },
        }),
      );
    } catch (error) {
      await subscription.stop();
      throw toEventLogError(`subscribing to ${topic}`, error);
    }
    return subscription;
  }

  /** Stops every subscription and disconnects; safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#subscriptions].map((s) => s.stop()));
      await Promise.allSettled([
        bounded('disconnecting the producer', this.#timeoutMs, this.#producer.disconnect()),
        bounded('disconnecting the admin client', this.#timeoutMs, this.#admin.disconnect()),
      ]);
    })();
    return this.#closing;
  }

  #assertOpen() {
    if (this.#closing) throw new EventLogError('event_log.closed', `the event log on ${this.#topic} is closed`);
  }
}
