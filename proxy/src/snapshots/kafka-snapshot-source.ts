import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';

/** Where the records go: the snapshot store, or the budget usage reports; each verifies what it gets. */
export interface SignedRecordSink {
  offer(key: string, raw: unknown, source: 'kafka'): unknown;
}

export interface KafkaSnapshotSourceOptions {
  readonly brokers: readonly string[];
  readonly topic?: string;
  readonly clientId?: string;
  /** Pause between attempts while Kafka is unreachable. */
  readonly retryMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
}

/**
 * Feeds a sink from a compacted topic of signed records keyed by tenant id: the snapshot topic
 * (default) into the snapshot store, or the budget usage topic into the usage reports. Reads it
 * from the beginning (one record per tenant survives compaction) and then follows it. Every proxy reads every record, so each reader has
 * its own consumer group and commits nothing. While Kafka is unreachable it keeps retrying in the
 * background, and the proxy serves the snapshots it kept on disk.
 */
export class KafkaSnapshotSource {
  private consumer: Consumer | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  connected = false;

  constructor(
    private readonly store: SignedRecordSink,
    private readonly options: KafkaSnapshotSourceOptions,
  ) {}

  /** Starts in the background; never throws. */
  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.consumer?.disconnect().catch(() => {});
    this.connected = false;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const log = this.options.log ?? ((line) => console.error(JSON.stringify(line)));
    quietKafkajsNegativeTimerWarning();
    const kafka = new Kafka({ brokers: [...this.options.brokers], clientId: this.options.clientId ?? 'mcpgate-proxy', logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 2 } });
    const consumer = kafka.consumer({ groupId: `mcpgate-proxy-snapshots-${randomUUID()}`, maxWaitTimeInMs: 1_000 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.options.topic ?? 'mcpgate.control.snapshots', fromBeginning: true });
      consumer.on(consumer.events.CRASH, (event) => {
        this.connected = false;
        log({ level: 'warn', source: 'snapshot-source', message: `consumer of ${this.options.topic ?? 'mcpgate.control.snapshots'} crashed; serving what was kept until it is back`, error: String(event.payload.error) });
      });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          const key = message.key?.toString('utf8') ?? '';
          let raw: unknown;
          try {
            raw = JSON.parse(message.value?.toString('utf8') ?? '');
          } catch {
            raw = undefined;
          }
          this.store.offer(key, raw, 'kafka');
        },
      });
      this.consumer = consumer;
      this.connected = true;
    } catch (error) {
      await consumer.disconnect().catch(() => {});
      log({ level: 'warn', source: 'snapshot-source', message: `Kafka unreachable (${this.options.topic ?? 'mcpgate.control.snapshots'}); serving what was kept and retrying`, error: String(error) });
      this.retry = setTimeout(() => void this.connect(), this.options.retryMs ?? 5_000);
    }
  }
}
