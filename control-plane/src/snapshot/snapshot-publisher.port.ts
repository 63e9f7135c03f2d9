import type { SignedSnapshot } from '@mcpgate/contracts';

/**
 * Where signed snapshots go: the compacted Kafka topic `mcpgate.control.snapshots` (one record per
 * tenant survives compaction), or, in the single-process default, straight to the in-process proxy.
 */
export interface SnapshotPublisher {
  publish(tenantId: string, signed: SignedSnapshot): Promise<void>;
  close(): Promise<void>;
}
