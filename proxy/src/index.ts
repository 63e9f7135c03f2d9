export { SnapshotStore, type TenantSnapshot, type OfferResult, type SnapshotStoreOptions } from './snapshots/snapshot-store.js';
export { KafkaSnapshotSource, type KafkaSnapshotSourceOptions } from './snapshots/kafka-snapshot-source.js';
