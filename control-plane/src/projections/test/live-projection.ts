import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '../../core/command-bus.js';
import { LogApplier } from '../../core/log-applier.js';
import { FileEventLog } from '../../event-log/file-event-log.js';
import type { Database } from '../../infra/database/database.js';
import { Projector } from '../projector.js';

/** A file log in a temporary folder, a command bus on it, and a live projector into `live`. */
export interface LiveProjection {
  readonly log: FileEventLog;
  readonly bus: CommandBus;
  /** The running projector; a test may replace it (stop the old one first), `close` stops the current one. */
  projector: Projector;
  /** Stops the projector and the applier, closes the log and removes its folder (not `live`). */
  close(): Promise<void>;
}

export const openLiveProjection = async (live: Database, prefix: string): Promise<LiveProjection> => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const log = await FileEventLog.open({ dir });
  const applier = new LogApplier(log);
  await applier.start();
  const projector = new Projector(log, live.prisma);
  await projector.start();
  const fixture: LiveProjection = {
    log,
    bus: new CommandBus(log, applier),
    projector,
    close: async () => {
      await fixture.projector.stop();
      await applier.stop();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
};
