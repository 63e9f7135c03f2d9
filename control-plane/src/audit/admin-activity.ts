import { createHash } from 'node:crypto';
import type { AuditEvent } from '@mcpgate/contracts';
import type { AppliedCommit } from '../core/log-applier.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { redact } from '../projections/read-model.projection.js';
import { canonicalize } from './audit-hash.js';

/** Region and proxy id of admin records: they come from the control plane, not from a regional proxy. */
export const ADMIN_RECORD_ORIGIN = 'control-plane';

/**
 * The admin records of one applied commit: one AuditEvent (`kind: 'admin'`) per control-plane
 * event, in the tenant's trail beside its tool calls. Who: the event's actor; what: its type,
 * stream and data (secret fields redacted, as in the activity read model); when: its time; the
 * "policy version" is the commit's log position, so a record names the log entry it came from. The
 * audit event id is the control-plane event id, so replaying the log (every start) or two
 * replicas feeding the same commit store it once.
 */
export const adminAuditEvents = ({ commit, position }: AppliedCommit): AuditEvent[] =>
  commit.events.map((event) => {
    const m = event.metadata;
    return {
      schemaVersion: 1,
      kind: 'admin',
      eventId: m.eventId,
      time: m.time,
      tenantId: m.tenantId,
      region: ADMIN_RECORD_ORIGIN,
      proxyId: ADMIN_RECORD_ORIGIN,
      principal: { kind: 'admin', actor: m.actor },
      method: `admin/${event.type}`,
      decision: { outcome: 'allowed', reason: 'admin.change_applied' },
      latencyMs: 0,
      policyVersion: { logPosition: `${position.partition}:${position.offset}`, contentHash: createHash('sha256').update(canonicalize(event)).digest('hex') },
      change: {
        type: event.type,
        streamId: m.streamId,
        streamVersion: m.streamVersion,
        correlationId: m.correlationId,
        data: redact(event.data) as Record<string, unknown>,
      },
    };
  });

export interface AdminActivitySink {
  ingest(events: readonly unknown[]): Promise<unknown>;
}

export interface AdminActivityFeedOptions {
  /** Events per ingest call at most. Default 1,000. */
  readonly batch?: number;
  /**
   * Queued events at most; beyond it new ones are dropped with a warning (they are in the event
   * log, and the next start feeds them again). Default 100,000.
   */
  readonly maxQueued?: number;
  readonly logger?: Logger;
}

/**
 * Feeds admin records to the audit sink as the applier applies commits. The applier's watchers
 * are synchronous and must not hold it back, so records queue here and one loop ingests them in
 * batches, in log order. Every start replays the log from the beginning and so feeds every
 * commit again: the sink stores each event id once (duplicates cost a lookup, nothing more).
 */
export class AdminActivityFeed {
  private readonly queue: AuditEvent[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;
  private dropped = 0;
  private readonly batch: number;
  private readonly maxQueued: number;
  private readonly logger: Logger;

  constructor(
    private readonly sink: AdminActivitySink,
    options: AdminActivityFeedOptions = {},
  ) {
    this.batch = options.batch ?? 1_000;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** For `LogApplier.watch`. */
  readonly onApplied = (applied: AppliedCommit): void => {
    if (this.stopped) return;
    const events = adminAuditEvents(applied);
    if (this.queue.length + events.length > this.maxQueued) {
      if (this.dropped === 0) this.logger.warn({ queued: this.queue.length }, 'admin audit records queue is full; dropping until it drains (the next start feeds them again)');
      this.dropped += events.length;
      return;
    }
    this.queue.push(...events);
    this.drain();
  };

  /** Resolves once everything queued so far is written (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Writes what is queued (bounded by `graceMs`), then takes no more. */
  async stop({ graceMs = 5_000 } = {}): Promise<void> {
    this.stopped = true;
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    this.queue.length = 0;
  }

  status(): { queued: number; dropped: number } {
    return { queued: this.queue.length, dropped: this.dropped };
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.queue.length > 0) {
        const events = this.queue.slice(0, this.batch);
        try {
          await this.sink.ingest(events);
          this.queue.splice(0, events.length);
        } catch (error) {
          // the sink stopped: what is left is in the event log and comes again at the next start
          this.logger.warn({ err: error instanceof Error ? error.message : String(error), left: this.queue.length }, 'admin audit records not written');
          this.queue.length = 0;
        }
      }
    })().finally(() => {
      this.draining = undefined;
    });
  }
}
