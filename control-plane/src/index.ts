export { startControlPlane, ListenError, type RunningControlPlane } from './start.js';
export { openDatabase, DatabaseError, type Database, type DatabaseTarget } from './infra/database/database.js';
