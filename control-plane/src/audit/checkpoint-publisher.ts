import type { EventLog } from '../event-log/event-log.port.js';
import { KafkaEventLog, type KafkaEventLogOptions } from '../event-log/kafka-event-log.js';
import type { CheckpointRow } from './audit-store.js';

/**
 * Where signed checkpoints are published besides the audit_checkpoint table: a copy outside the
 * database, so that someone who can rewrite the database (and its checkpoints) still cannot make a
 * truncated or rewritten trail verify against what was published.
 */
export interface CheckpointPublisher {
  publish(checkpoints: readonly CheckpointRow[]): Promise<void>;
  close(): Promise<void>;
}

/** A checkpoint as published: JSON, hashes hex, signature base64 (what `verify` accepts as known heads). */
export interface PublishedCheckpoint {
  readonly tenantId: string;
  readonly seq: number;
  readonly headHash: string;
  readonly signedAt: string;
  readonly keyId: string;
  readonly signature: string;
}

export const toPublished = (c: CheckpointRow): PublishedCheckpoint => ({
  tenantId: c.tenantId,
  seq: c.seq,
  headHash: c.headHash.toString('hex'),
  signedAt: c.signedAt.toISOString(),
  keyId: c.keyId,
  signature: c.signature.toString('base64'),
});

export const DEFAULT_CHECKPOINT_TOPIC = 'mcpgate.audit-checkpoints';

/**
 * Publishes checkpoints to an append-only event log keyed by tenant: the Kafka topic
 * `mcpgate.audit-checkpoints` (kept forever; its name does not match the audit topics' pattern) or,
 * in the embedded default, a file log beside the event log.
 */
export class EventLogCheckpointPublisher implements CheckpointPublisher {
  constructor(private readonly log: EventLog) {}

  static async openKafka(options: Omit<KafkaEventLogOptions, 'cleanupPolicy'>): Promise<EventLogCheckpointPublisher> {
    return new EventLogCheckpointPublisher(await KafkaEventLog.open({ topic: DEFAULT_CHECKPOINT_TOPIC, partitions: 6, ...options, cleanupPolicy: 'delete' }));
  }

  async publish(checkpoints: readonly CheckpointRow[]): Promise<void> {
    for (const c of checkpoints) await this.log.append(c.tenantId, Buffer.from(JSON.stringify(toPublished(c)), 'utf8'));
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** Keeps published checkpoints in memory: tests, and installs that publish nowhere else. */
export class MemoryCheckpointPublisher implements CheckpointPublisher {
  readonly published: PublishedCheckpoint[] = [];

  async publish(checkpoints: readonly CheckpointRow[]): Promise<void> {
    this.published.push(...checkpoints.map(toPublished));
  }

  async close(): Promise<void> {}
}
