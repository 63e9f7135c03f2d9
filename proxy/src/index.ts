export { startProxy, ProxyListenError, type RunningProxy, type ProxyOverrides, type SnapshotFeed } from './start.js';
export { SnapshotStore, type TenantSnapshot, type OfferResult, type SnapshotStoreOptions } from './snapshots/snapshot-store.js';
export { KafkaSnapshotSource, type KafkaSnapshotSourceOptions } from './snapshots/kafka-snapshot-source.js';
export { BudgetUsageReports, type UsageOfferResult } from './limits/budget-usage-reports.js';
