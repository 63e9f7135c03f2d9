import { PROXY_REPORTS_TOPIC, PROXY_REPORTS_TOPIC_SETTINGS, type ProxyReport, quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';

/**
 * Publishes proxy reports to the compacted topic `mcpgate.proxy.reports`, keyed by proxy id (the
 * latest report of each proxy is what compaction keeps). Reports are state, not history: a lost
 * one is replaced by the next, so the producer is plain (acks=1, no idempotence) and connects on
 * first use; the topic is created when missing.
 */
export class KafkaReportPublisher {
  readonly #kafka: Kafka;
  #producer: Producer | undefined;
  #connecting: Promise<Producer> | undefined;

  constructor(options: { readonly brokers: readonly string[]; readonly clientId: string; readonly topic?: string }) {
    quietKafkajsNegativeTimerWarning();
    this.#kafka = new Kafka({ brokers: [...options.brokers], clientId: options.clientId, connectionTimeout: 3_000, requestTimeout: 10_000, retry: { retries: 2 }, logLevel: logLevel.NOTHING });
    this.topic = options.topic ?? PROXY_REPORTS_TOPIC;
  }

  readonly topic: string;

  async publish(report: ProxyReport): Promise<void> {
    const producer = await this.#connected();
    try {
      await producer.send({ topic: this.topic, acks: 1, messages: [{ key: report.proxyId, value: JSON.stringify(report) }] });
    } catch (error) {
      // start afresh next time (the broker may have moved, the topic may be gone)
      this.#producer = undefined;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.#producer ?? (await this.#connecting?.catch(() => undefined));
    this.#producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  #connected(): Promise<Producer> {
    if (this.#producer) return Promise.resolve(this.#producer);
    this.#connecting ??= (async () => {
      try {
        const admin = this.#kafka.admin();
        await admin.connect();
        try {
          if (!(await admin.listTopics()).includes(this.topic)) {
            const brokers = (await admin.describeCluster()).brokers.length;
            // false when another proxy created it meanwhile, which is fine
            await admin.createTopics({
              topics: [{ topic: this.topic, numPartitions: PROXY_REPORTS_TOPIC_SETTINGS.numPartitions, replicationFactor: Math.max(1, Math.min(3, brokers)), configEntries: [...PROXY_REPORTS_TOPIC_SETTINGS.configEntries] }],
              waitForLeaders: true,
            });
          }
        } finally {
          await admin.disconnect();
        }
        const producer = this.#kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        this.#producer = producer;
        return producer;
      } finally {
        this.#connecting = undefined;
      }
    })();
    return this.#connecting;
  }
}
