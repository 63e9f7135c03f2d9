export { startControlPlane, ListenError, type RunningControlPlane, type ControlPlaneOverrides } from './start.js';
export { openDatabase, DatabaseError, type Database, type DatabaseTarget } from './infra/database/database.js';
export { InMemorySnapshotPublisher } from './snapshot/in-memory-snapshot-publisher.js';
export { DomainError } from './domain/domain-error.js';
export { PointInTime } from './point-in-time/point-in-time.js';
