import type { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';
import { LogApplier } from '../core/log-applier.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { EventLog } from '../event-log/event-log.port.js';
import { buildSnapshot, type SealForRegion } from './build-snapshot.js';
import type { SnapshotPublisher } from './snapshot-publisher.port.js';

export interface SnapshotterOptions {
  readonly seal: SealForRegion;
  readonly sign: (snapshot: PolicySnapshot) => SignedSnapshot;
  readonly publisher: SnapshotPublisher;
  /** How long to gather changes of one tenant before building (a burst of commands → one snapshot). */
  readonly debounceMs?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface PublishedSnapshot {
  readonly tenantId: string;
  readonly version: PolicySnapshot['version'];
  readonly publishedAt: Date;
  /** What was published, as built (in process only: it holds sealed secrets). */
  readonly snapshot: PolicySnapshot;
}

/**
 * The snapshotter role: follows the log with its own applier, and after each change to a tenant
 * builds, signs and publishes that tenant's snapshot (debounced, and skipped when the content hash
 * did not change, so an idempotent command republishes nothing). On start it publishes every
 * tenant once it has caught up, so a fresh topic or proxy gets everything.
 */
export class Snapshotter {
  private readonly applier: LogApplier;
  private readonly dirty = new Set<string>();
  private readonly lastOffset = new Map<string, { partition: number; offset: bigint }>();
  private readonly published = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(p: PublishedSnapshot) => void>();
  private readonly debounceMs: number;
  private readonly now: () => Date;
  private readonly logger: Logger;

  constructor(
    log: EventLog,
    private readonly options: SnapshotterOptions,
  ) {
    this.debounceMs = options.debounceMs ?? 50;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.applier = new LogApplier(log, {
      onApplied: ({ commit, position }) => {
        this.lastOffset.set(commit.tenantId, position);
        this.markDirty(commit.tenantId);
      },
    }, this.logger);
  }

  async start(): Promise<void> {
    await this.applier.start();
    await this.applier.catchUp(60_000);
    for (const tenantId of this.applier.tenantIds()) this.dirty.add(tenantId);
    await this.flush();
  }

  async stop(): Promise<void> {
    await this.applier.stop();
    clearTimeout(this.timer);
    await this.running;
  }

  /** Called after each publication (metrics, rollout status, tests). */
  onPublished(listener: (p: PublishedSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads everything in the log now, then publishes what changed. */
  async catchUp(timeoutMs?: number): Promise<void> {
    await this.applier.catchUp(timeoutMs);
    await this.flush();
  }

  /** Builds and publishes every pending tenant now. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.running.then(() => this.publishPending());
    return this.running;
  }

  private markDirty(tenantId: string): void {
    this.dirty.add(tenantId);
    this.timer ??= setTimeout(() => void this.flush(), this.debounceMs);
  }

  private async publishPending(): Promise<void> {
    const tenants = [...this.dirty];
    this.dirty.clear();
    for (const tenantId of tenants) {
      const tenant = this.applier.tenant(tenantId);
      const position = this.lastOffset.get(tenantId);
      if (!tenant || !position || tenant.tenant.status === 'absent') continue;
      try {
        const seal: SealForRegion = (credentialId, secret, region) => {
          try {
            return this.options.seal(credentialId, secret, region);
          } catch (error) {
            this.logger.error({ tenantId, credentialId, region, err: String(error) }, 'a credential could not be sealed for a region; the snapshot goes out without it');
            return undefined;
          }
        };
        const snapshot = buildSnapshot({ tenant, logPosition: `${position.partition}:${position.offset}`, builtAt: this.now(), seal });
        if (this.published.get(tenantId) === snapshot.version.contentHash) continue;
        await this.options.publisher.publish(tenantId, this.options.sign(snapshot));
        this.published.set(tenantId, snapshot.version.contentHash);
        const event = { tenantId, version: snapshot.version, publishedAt: this.now(), snapshot };
        this.logger.info({ tenantId, version: snapshot.version }, 'published policy snapshot');
        for (const listener of this.listeners) listener(event);
      } catch (error) {
        // keep it dirty: the next change or flush tries again; never publish a half-built snapshot
        this.dirty.add(tenantId);
        this.logger.error({ tenantId, err: String(error) }, 'building or publishing a snapshot failed; will retry');
        this.timer ??= setTimeout(() => void this.flush(), 1_000);
      }
    }
  }
}
