import { Kafka, logLevel } from 'kafkajs';
import { quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';
import type { Admin, Consumer, EachBatchPayload, KafkaConfig, logCreator } from 'kafkajs';
import { silentLogger, type Logger } from '../core/logger.js';
import { AdmissionPool, defaultAdmissionThreads, type AdmissionPoolStatus } from './admission-pool.js';
import { admitEvent } from './audit-record.js';
import type { QuarantineRow, RecordOrigin, Sql } from './audit-store.js';
import { AuditWriter, type AuditWriterOptions, type AuditWriterState, type AuditWriterStatus, type WriteRequest, type WriteResult } from './audit-writer.js';

/** Audit topics are `mcpgate.audit.<region>`, one per region, records keyed by tenant id. */
export const AUDIT_TOPIC_PATTERN = /^mcpgate\.audit\./;
export const DEFAULT_AUDIT_SINK_GROUP = 'mcpgate-audit-sink';

export interface AuditSinkKafkaOptions {
  readonly brokers: readonly string[];
  /** Consumer group shared by every sink replica. Default `mcpgate-audit-sink`. */
  readonly groupId?: string;
  readonly clientId?: string;
  /** Default /^mcpgate\.audit\./. */
  readonly topicPattern?: RegExp;
  /** How often to look for new region topics (a new one restarts the consumer). Default 30 s. */
  readonly topicRefreshMs?: number;
  /** Partitions whose batches are handled at once (their writes share transactions). Default 4. */
  readonly partitionsConsumedConcurrently?: number;
  /** Extra kafkajs settings (ssl, sasl, retry …). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

export interface AuditSinkOptions extends AuditWriterOptions {
  /** Consume the region topics; without it the sink only takes `ingest` calls (the embedded default). */
  readonly kafka?: AuditSinkKafkaOptions;
  /** Threads that admit the records read from Kafka (`AdmissionPool`); 0 admits them on the main thread. Default: one less than the CPUs, at most 4. */
  readonly admissionThreads?: number;
}

export interface AuditSinkStatus extends AuditWriterStatus {
  readonly kafka?: { readonly topics: readonly string[]; readonly consuming: boolean; readonly paused: boolean; readonly admission?: AdmissionPoolStatus };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 300);

/** kafkajs errors as structured log lines, with an allow-list of fields (no credentials). */
const kafkaLogs =
  (logger: Logger): logCreator =>
  () =>
  (entry) => {
    if (entry.level > logLevel.WARN || entry.namespace === 'Connection') return;
    const { message, broker, groupId, topic, error } = entry.log as Record<string, unknown>;
    const fields: Record<string, unknown> = { source: 'kafkajs', namespace: entry.namespace };
    for (const [name, value] of Object.entries({ broker, groupId, topic, error })) if (typeof value === 'string' || typeof value === 'number') fields[name] = value;
    (entry.level === logLevel.ERROR ? logger.error : logger.warn).call(logger, fields, String(message));
  };

const rawOf = (value: unknown): Buffer => {
  try {
    return Buffer.from(JSON.stringify(value) ?? String(value), 'utf8');
  } catch {
    return Buffer.from(String(value), 'utf8');
  }
};

/**
 * The audit sink role. It consumes every `mcpgate.audit.<region>` topic in one consumer group
 * (replicas share the partitions), validates each record against the AuditEvent contract, and hands
 * valid events and quarantined records to the AuditWriter. A partition's offsets are committed only
 * after the transaction holding its records has committed, so a crash or a PostgreSQL outage
 * re-delivers instead of losing (and the writer's de-duplication makes re-delivery harmless).
 * While the writer cannot write, the consumer is paused and the batch in hand keeps the group
 * membership alive with heartbeats.
 *
 * `ingest(events)` is the same path without Kafka, for a proxy in the same process.
 */
export class AuditSink {
  readonly writer: AuditWriter;
  private readonly logger: Logger;
  private kafka: Kafka | undefined;
  private admin: Admin | undefined;
  private consumer: Consumer | undefined;
  private admission: AdmissionPool | undefined;
  private topics: string[] = [];
  private paused = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    sql: Sql,
    private readonly options: AuditSinkOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.writer = new AuditWriter(sql, {
      ...options,
      onStateChange: (state) => {
        this.onWriterState(state);
        options.onStateChange?.(state);
      },
    });
  }

  /** Starts the checkpoint timer and, with Kafka configured, consuming. Rejects if Kafka cannot be reached. */
  async start(): Promise<void> {
    this.writer.start();
    const k = this.options.kafka;
    if (!k) return;
    this.admission = new AdmissionPool({ threads: this.options.admissionThreads ?? defaultAdmissionThreads(), logger: this.logger });
    quietKafkajsNegativeTimerWarning();
    this.kafka = new Kafka({
      logLevel: logLevel.WARN,
      logCreator: kafkaLogs(this.logger),
      ...k.kafka,
      brokers: [...k.brokers],
      clientId: k.clientId ?? 'mcpgate-audit-sink',
    });
    this.admin = this.kafka.admin();
    try {
      await this.admin.connect();
      await this.refreshTopics();
    } catch (error) {
      await this.admission.close();
      throw error;
    }
    this.refreshTimer = setInterval(() => {
      this.refreshing = this.refreshing.then(() => this.refreshTopics()).catch((error: unknown) => this.logger.warn({ err: errorText(error) }, 'looking for new audit topics failed'));
    }, k.topicRefreshMs ?? 30_000);
    this.refreshTimer.unref();
  }

  /**
   * Appends events handed over in process (no Kafka). Invalid ones are quarantined, not thrown:
   * the result says how many. Resolves once everything is committed.
   */
  ingest(events: readonly unknown[]): Promise<WriteResult> {
    const request: { events: WriteRequest['events'][number][]; quarantine: QuarantineRow[] } = { events: [], quarantine: [] };
    const origin: RecordOrigin = { source: 'ingest' };
    for (const value of events) {
      const admitted = admitEvent(value);
      if (admitted.ok) request.events.push({ event: admitted.event, origin });
      else request.quarantine.push({ origin, raw: rawOf(value), error: admitted.error });
    }
    return this.writer.write(request);
  }

  status(): AuditSinkStatus {
    return { ...this.writer.status(), ...(this.options.kafka ? { kafka: { topics: [...this.topics], consuming: this.consumer !== undefined, paused: this.paused, ...(this.admission ? { admission: this.admission.status() } : {}) } } : {}) };
  }

  /** Signs every unsigned head now (tests, operators). */
  checkpointNow(tenantIds?: readonly string[]): Promise<void> {
    return this.writer.checkpointNow(tenantIds);
  }

  /** Stops consuming, lets the writer finish (or give up, when it cannot write), then disconnects. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.refreshTimer);
    await this.refreshing;
    this.pauseAll();
    await this.writer.stop();
    await this.consumer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
    await this.admission?.close();
    this.consumer = undefined;
  }

  private async refreshTopics(): Promise<void> {
    if (this.stopping || !this.admin) return;
    const pattern = this.options.kafka?.topicPattern ?? AUDIT_TOPIC_PATTERN;
    const topics = (await this.admin.listTopics()).filter((t) => pattern.test(t)).sort();
    if (topics.length === this.topics.length && topics.every((t, i) => t === this.topics[i])) return;
    if (this.consumer) {
      this.logger.info({ topics }, 'audit topics changed; restarting the consumer');
      await this.consumer.disconnect();
      this.consumer = undefined;
    }
    this.topics = topics;
    if (topics.length === 0 || this.stopping) return;
    const k = this.options.kafka!;
    const consumer = this.kafka!.consumer({
      groupId: k.groupId ?? DEFAULT_AUDIT_SINK_GROUP,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [pattern], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: k.partitionsConsumedConcurrently ?? 4,
      eachBatch: (payload) => this.handleBatch(consumer, payload),
    });
    this.consumer = consumer;
    this.paused = false;
    if (this.writer.status().state !== 'ok') this.pauseAll();
  }

  /** Never throws: kafkajs would retry the batch on its own terms. Unwritten batches are not committed. */
  private async handleBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const request: { events: WriteRequest['events'][number][]; quarantine: QuarantineRow[] } = { events: [], quarantine: [] };
    const admissions = await this.admission!.admit(messages.map((m) => m.value));
    messages.forEach((message, i) => {
      const origin: RecordOrigin = { source: 'kafka', topic, partition, offset: message.offset, key: message.key ? message.key.toString('utf8') : null };
      const admitted = admissions[i]!;
      if (admitted.ok) request.events.push({ event: admitted.event, origin });
      else request.quarantine.push({ origin, raw: message.value ?? Buffer.alloc(0), error: admitted.error });
    });
    // the write may wait out a database outage: stay in the group meanwhile
    const beat = setInterval(() => void heartbeat().catch(() => {}), 3_000);
    try {
      await this.writer.write(request);
    } catch {
      return; // stopped before the write: not committed, so the records come again
    } finally {
      clearInterval(beat);
    }
    if (!isRunning() || isStale()) return;
    const last = messages.at(-1)!.offset;
    resolveOffset(last);
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]).catch((error: unknown) => {
      // written but not committed (a rebalance): the next owner reads these records again and skips them as duplicates
      this.logger.warn({ topic, partition, err: errorText(error) }, 'committing audit offsets failed');
    });
  }

  private onWriterState(state: AuditWriterState): void {
    if (state === 'ok') this.resumeAll();
    else this.pauseAll();
  }

  private pauseAll(): void {
    if (!this.consumer || this.paused || this.topics.length === 0) return;
    this.consumer.pause(this.topics.map((topic) => ({ topic })));
    this.paused = true;
  }

  private resumeAll(): void {
    if (!this.consumer || !this.paused || this.stopping) return;
    this.consumer.resume(this.topics.map((topic) => ({ topic })));
    this.paused = false;
  }
}
