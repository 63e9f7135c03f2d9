import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';
import type { Admin, KafkaConfig, Message, Producer } from 'kafkajs';
import type { AuditSpool, SpoolCursor, SpoolRecord } from '../spool/audit-spool.js';

/** What the shipper needs from the spool (the AuditSpool; tests may wrap it). */
export type ShippableSpool = Pick<AuditSpool, 'acknowledged' | 'readFrom' | 'acknowledge' | 'depth' | 'waitForAppend'>;

export interface KafkaAuditShipperOptions {
  readonly brokers: readonly string[];
  /** Events go to `mcpgate.audit.<region>`. */
  readonly region: string;
  readonly clientId: string;
  readonly log: (line: Record<string, unknown>) => void;
  /** Records per produce request, default 500; a request is also cut at about 900 KiB. */
  readonly batchSize?: number;
  /** Pause after the first failure, default 500 ms; it doubles with each further failure up to `maxRetryMs`. */
  readonly retryMs?: number;
  /** Longest pause between attempts, default 30 s. */
  readonly maxRetryMs?: number;
  /** Bound of each request to Kafka, default 15 s. */
  readonly requestTimeoutMs?: number;
  /** Only used when the topic has to be created: partitions, default 12. */
  readonly topicPartitions?: number;
  /** Only used when the topic has to be created: default min(3, brokers in the cluster); 3 also sets min.insync.replicas=2. */
  readonly replicationFactor?: number;
  /** Extra kafkajs settings (ssl, sasl). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

export interface ShipperStatus {
  /** The last produce request succeeded. */
  readonly connected: boolean;
  readonly shippedRecords: number;
  readonly failedSends: number;
}

export const auditTopic = (region: string): string => `mcpgate.audit.${region}`;

const MAX_REQUEST_BYTES = 900 * 1024;
/** How long an idle shipper waits for an append before it looks at the spool again anyway. */
const IDLE_POLL_MS = 1_000;
/** How long stop() lets a produce request in flight finish (so it can be acknowledged) before disconnecting. */
const STOP_GRACE_MS = 5_000;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Polls until every partition of the topic has a leader (kafkajs's own wait gives up on a KRaft broker that briefly reports a new topic as unknown). */
const waitUntilServed = async (admin: Admin, topic: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics.find((t) => t.name === topic)?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader for every partition after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/**
 * Ships spooled audit events to Kafka in the background, in spool order, one produce request at a
 * time: key = tenant id (a tenant's events share a partition, so they stay in order), value = the
 * event JSON as spooled, header `eventId`. Idempotent producer, acks=all, one request in flight.
 * A batch is acknowledged in the spool only after Kafka acknowledged it, so a crash re-sends at
 * most the one unacknowledged batch; failures are retried forever with backoff (the spool bounds
 * what waits) and nothing is ever skipped. Downstream de-duplicates by event id.
 */
export class KafkaAuditShipper {
  readonly topic: string;
  readonly #spool: ShippableSpool;
  readonly #options: KafkaAuditShipperOptions;
  readonly #batchSize: number;
  readonly #kafka: Kafka;
  #producer: Producer | undefined;
  #topicReady = false;
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #connected = false;
  #shipped = 0;
  #failedSends = 0;

  constructor(spool: ShippableSpool, options: KafkaAuditShipperOptions) {
    this.#spool = spool;
    this.#options = options;
    this.#batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${this.#batchSize}`);
    if (options.brokers.length === 0) throw new RangeError('the audit shipper needs at least one Kafka broker');
    this.topic = auditTopic(options.region);
    quietKafkajsNegativeTimerWarning();
    this.#kafka = new Kafka({
      connectionTimeout: 3_000,
      requestTimeout: options.requestTimeoutMs ?? 15_000,
      // our loop retries forever; kafkajs retries a little within one attempt
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: logLevel.NOTHING,
      ...options.kafka,
      brokers: [...options.brokers],
      clientId: options.clientId,
    });
  }

  /** Starts shipping in the background; never throws. */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  /**
   * Stops shipping: a produce request in flight may finish and be acknowledged (within a few
   * seconds), nothing new is sent, and the producer disconnects. What is left stays in the spool.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeUp();
    const running = this.#running;
    if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    await this.#disconnect();
    if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    this.#connected = false;
  }

  /** Events spooled but not yet acknowledged by Kafka, and the age of the oldest. */
  lag(): { records: number; oldestAgeMs: number } {
    const { records, oldestAgeMs } = this.#spool.depth();
    return { records, oldestAgeMs };
  }

  status(): ShipperStatus {
    return { connected: this.#connected, shippedRecords: this.#shipped, failedSends: this.#failedSends };
  }

  async #run(): Promise<void> {
    const log = this.#options.log;
    let cursor: SpoolCursor = this.#spool.acknowledged();
    let failures = 0;
    while (!this.#stopping) {
      let records: SpoolRecord[];
      try {
        records = await this.#spool.readFrom(cursor, this.#batchSize, MAX_REQUEST_BYTES);
      } catch (error) {
        if (this.#stopping) break;
        log({ level: 'error', source: 'audit-shipper', message: 'cannot read the audit spool; retrying', error: describe(error) });
        await this.#pause(this.#backoff(failures++));
        continue;
      }
      if (records.length === 0) {
        await Promise.race([this.#spool.waitForAppend(IDLE_POLL_MS), new Promise<void>((resolve) => (this.#wake = resolve))]);
        continue;
      }
      try {
        const producer = await this.#connect();
        await producer.send({ topic: this.topic, acks: -1, timeout: this.#options.requestTimeoutMs ?? 15_000, messages: records.map(toMessage) });
      } catch (error) {
        this.#failedSends++;
        // the first failure, then ever more rarely (1, 2, 4, 8 … failures in a row)
        if (this.#connected || Number.isInteger(Math.log2(failures + 1))) {
          log({ level: 'warn', source: 'audit-shipper', message: 'shipping audit events to Kafka failed; they stay in the spool and are retried', topic: this.topic, failures: failures + 1, lag: this.lag().records, error: describe(error) });
        }
        this.#connected = false;
        // look at the topic again too, in case it was deleted
        this.#topicReady = false;
        // a fresh producer (new producer id) after a failure, so no sequence state of a half-done request carries over
        await this.#disconnect();
        if (this.#stopping) break;
        await this.#pause(this.#backoff(failures++));
        continue;
      }
      if (failures > 0) log({ level: 'info', source: 'audit-shipper', message: 'shipping audit events to Kafka again', topic: this.topic, lag: this.lag().records });
      failures = 0;
      this.#connected = true;
      this.#shipped += records.length;
      const next = records.at(-1)!.next;
      try {
        await this.#spool.acknowledge(next);
      } catch (error) {
        // Kafka has them: carry on from the next record. The next acknowledge covers these too;
        // until one succeeds a restart only re-sends them (duplicates, never loss).
        if (!this.#stopping) log({ level: 'error', source: 'audit-shipper', message: 'cannot acknowledge shipped audit events in the spool', error: describe(error) });
      }
      cursor = next;
    }
  }

  async #connect(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    if (!this.#topicReady) {
      const admin = this.#kafka.admin();
      try {
        await admin.connect();
        await this.#ensureTopic(admin);
        this.#topicReady = true;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.#producer = producer;
    return producer;
  }

  async #ensureTopic(admin: Admin): Promise<void> {
    const timeoutMs = this.#options.requestTimeoutMs ?? 15_000;
    if (!(await admin.listTopics()).includes(this.topic)) {
      const brokers = (await admin.describeCluster()).brokers.length;
      const replicationFactor = this.#options.replicationFactor ?? Math.max(1, Math.min(3, brokers));
      // false when another proxy created it meanwhile, which is fine
      await admin.createTopics({
        timeout: timeoutMs,
        topics: [
          {
            topic: this.topic,
            numPartitions: this.#options.topicPartitions ?? 12,
            replicationFactor,
            configEntries: [{ name: 'min.insync.replicas', value: replicationFactor >= 3 ? '2' : '1' }],
          },
        ],
      });
      this.#options.log({ level: 'info', source: 'audit-shipper', message: 'created the audit topic', topic: this.topic, replicationFactor });
    }
    await waitUntilServed(admin, this.topic, timeoutMs);
  }

  async #disconnect(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    if (!producer) return;
    await Promise.race([producer.disconnect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  }

  #backoff(failures: number): number {
    const base = this.#options.retryMs ?? 500;
    const max = Math.max(base, this.#options.maxRetryMs ?? 30_000);
    const delay = Math.min(max, base * 2 ** Math.min(failures, 20));
    // jitter, so the replicas of a region do not hammer a recovering cluster in step
    return delay / 2 + Math.random() * (delay / 2);
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

const toMessage = (record: SpoolRecord): Message => {
  const time = Date.parse(record.event.time);
  return {
    key: record.event.tenantId,
    value: record.payload,
    headers: { eventId: record.event.eventId },
    ...(Number.isFinite(time) ? { timestamp: String(time) } : {}),
  };
};
