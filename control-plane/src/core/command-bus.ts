import { randomUUID, randomUUIDv7 } from 'node:crypto';
import type { Actor, CommitRecord, ControlCommand, Permission } from '@mcpgate/contracts';
import type { CommandContext } from '../domain/command-context.js';
import { decide } from '../domain/decide.js';
import { DomainError } from '../domain/domain-error.js';
import { TenantModel } from '../domain/tenant-model.js';
import { EventLogError, type EventLog, type LogPosition } from '../event-log/event-log.port.js';
import { encodeCommit } from './commit-codec.js';
import { newId, newKeySecret, tenantIdForSlug } from './ids.js';
import type { LogApplier } from './log-applier.js';

/** Who asks, and how to trace the request. */
export interface CommandMeta {
  readonly actor: Actor;
  readonly actorGroups?: readonly string[];
  /** What the actor holds in the target tenant (the API computes it); undefined for the system. */
  readonly actorPermissions?: ReadonlySet<Permission>;
  readonly correlationId?: string;
}

export interface CommandResult {
  /** The stream the command touched and its version afterwards. */
  readonly streamId: string;
  readonly version: number;
  /** Where the commit landed; absent when the command changed nothing (idempotent repeat). */
  readonly position?: LogPosition;
  readonly createdId?: string;
  /** A new virtual key's secret: returned exactly once, stored nowhere. */
  readonly secret?: string;
}

export interface CommandBusOptions {
  readonly now?: () => Date;
  /** Attempts when another writer changed the stream between deciding and applying. */
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
}

/**
 * Runs a command: decide on the applier's current state of the tenant, append one commit to the
 * log, then wait until this instance's own applier has read it back to learn whether it took effect.
 * A version conflict (another replica won the race) is retried on fresher state, a bounded number of
 * times; an invariant that failed at apply time comes back as the same DomainError a decider throws.
 */
export class CommandBus {
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly log: EventLog,
    private readonly applier: LogApplier,
    options: CommandBusOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 10;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** `tenantId` scopes the command; for CreateTenant it is derived from the slug and may be omitted. */
  async execute(tenantId: string | undefined, command: ControlCommand, meta: CommandMeta): Promise<CommandResult> {
    const target = command.type === 'CreateTenant' ? tenantIdForSlug(command.data.slug) : tenantId;
    if (!target) throw new DomainError('VALIDATION', 'command.tenant_required', `${command.type} needs a tenant`);
    if ('tenantId' in command.data && command.data.tenantId !== target) {
      throw new DomainError('FORBIDDEN', 'command.tenant_mismatch', 'the command names another tenant than its scope');
    }
    const correlationId = meta.correlationId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      await this.applier.catchUp(this.timeoutMs);
      const model = this.applier.tenant(target) ?? new TenantModel(target);
      let secret: string | undefined;
      const now = this.now();
      const ctx: CommandContext = {
        tenantId: target,
        now,
        actor: meta.actor,
        actorGroups: meta.actorGroups ?? [],
        ...(meta.actorPermissions ? { actorPermissions: meta.actorPermissions } : {}),
        newId: (prefix) => newId(prefix, now.getTime()),
        newKeySecret: (marker) => {
          const generated = newKeySecret(undefined, marker);
          secret = generated.secret;
          return { keyPrefix: generated.keyPrefix, secretHash: generated.secretHash };
        },
      };
      const decision = decide(command, model, ctx);
      const expectedVersion = model.versionOf(decision.streamId);
      const base = { streamId: decision.streamId, ...(decision.createdId ? { createdId: decision.createdId } : {}) };
      if (decision.events.length === 0) return { ...base, version: expectedVersion };

      const commit: CommitRecord = {
        commitId: randomUUID(),
        tenantId: target,
        streamId: decision.streamId,
        expectedVersion,
        events: decision.events.map((event, i) => ({
          type: event.type,
          data: event.data as Record<string, unknown>,
          metadata: {
            // time-ordered, as the proxies' audit event ids: admin records share the audit store's event-id index
            eventId: randomUUIDv7(),
            tenantId: target,
            streamId: decision.streamId,
            streamVersion: expectedVersion + i + 1,
            expectedVersion,
            actor: meta.actor,
            correlationId,
            time: now.toISOString(),
          },
        })),
      };
      const outcome = this.applier.expectCommit(commit.commitId, this.timeoutMs);
      try {
        await this.log.append(target, encodeCommit(commit));
      } catch (error) {
        this.applier.forgetCommit(commit.commitId);
        outcome.catch(() => {});
        if (error instanceof EventLogError && error.reason === 'event_log.too_large') {
          throw new DomainError('VALIDATION', 'command.too_large', 'the change is too large to record in one commit');
        }
        throw new DomainError('UNAVAILABLE', 'event_log.unavailable', 'the event log did not confirm the write; retry: the change was recorded at most once');
      }
      const result = await outcome;
      if (result.status === 'applied') {
        return { ...base, version: result.streamVersion, position: result.position, ...(secret ? { secret } : {}) };
      }
      if (result.reason !== 'version_conflict') throw new DomainError(result.code, result.reason, result.message);
      if (attempt >= this.maxAttempts) {
        throw new DomainError('CONFLICT', 'command.contention', `${decision.streamId} kept changing; gave up after ${attempt} attempts`);
      }
      // jittered backoff, so replicas that lost the same race do not collide again in lockstep
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 6)));
    }
  }
}
