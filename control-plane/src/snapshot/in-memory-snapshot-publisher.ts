import type { SignedSnapshot } from '@mcpgate/contracts';
import type { SnapshotPublisher } from './snapshot-publisher.port.js';

/**
 * The single-process default's snapshot channel: keeps each tenant's newest signed snapshot (like
 * a compacted topic) and hands every new one to subscribers, such as the in-process proxy, which
 * verifies it exactly as it would a record from Kafka.
 */
export class InMemorySnapshotPublisher implements SnapshotPublisher {
  private readonly latest = new Map<string, SignedSnapshot>();
  private readonly subscribers = new Set<(tenantId: string, signed: SignedSnapshot) => void>();

  async publish(tenantId: string, signed: SignedSnapshot): Promise<void> {
    this.latest.set(tenantId, signed);
    for (const subscriber of this.subscribers) subscriber(tenantId, signed);
  }

  /** Delivers every tenant's newest snapshot now, then each new one as it is published. */
  subscribe(subscriber: (tenantId: string, signed: SignedSnapshot) => void): () => void {
    for (const [tenantId, signed] of this.latest) subscriber(tenantId, signed);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
