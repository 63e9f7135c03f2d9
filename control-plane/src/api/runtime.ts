import type { CommandBus } from '../core/command-bus.js';
import type { LogApplier } from '../core/log-applier.js';
import type { Database } from '../infra/database/database.js';

/** What the API needs from the running control plane, handed over by `startControlPlane`. */
export interface ControlPlaneRuntime {
  readonly commands: CommandBus;
  readonly applier: LogApplier;
  readonly database: Database;
  readonly environment: 'development' | 'production';
}
