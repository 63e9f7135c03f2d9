import type { SignedSnapshot } from '@mcpgate/contracts';
import { KafkaEventLog, type KafkaEventLogOptions } from '../event-log/kafka-event-log.js';
import type { SnapshotPublisher } from './snapshot-publisher.port.js';

export const DEFAULT_SNAPSHOT_TOPIC = 'mcpgate.control.snapshots';

/**
 * Publishes signed snapshots to the compacted topic `mcpgate.control.snapshots`, keyed by tenant:
 * compaction keeps each tenant's newest snapshot, so a proxy that starts reads one record per tenant.
 * Same producer guarantees as the event log (idempotent, acks=all).
 */
export class KafkaSnapshotPublisher implements SnapshotPublisher {
  private constructor(private readonly topic: KafkaEventLog) {}

  static async open(options: Omit<KafkaEventLogOptions, 'cleanupPolicy'>): Promise<KafkaSnapshotPublisher> {
    return new KafkaSnapshotPublisher(await KafkaEventLog.open({ topic: DEFAULT_SNAPSHOT_TOPIC, partitions: 6, ...options, cleanupPolicy: 'compact' }));
  }

  async publish(tenantId: string, signed: SignedSnapshot): Promise<void> {
    await this.topic.append(tenantId, Buffer.from(JSON.stringify(signed), 'utf8'));
  }

  close(): Promise<void> {
    return this.topic.close();
  }
}
