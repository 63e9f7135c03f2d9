import { AuditEvent, isCanonicalAuditEvent } from '@mcpgate/contracts';
import { z } from 'zod';

/**
 * Where the proxy hands every audit event. `emit` resolves once the event is durably accepted
 * (on the fsync'd spool, in production) and rejects if it cannot be; the proxy then applies the
 * tenant's `onAuditFailure` (deny the call, or serve it and alarm).
 */
export interface AuditEmitter {
  emit(event: AuditEvent): Promise<void>;
}

/** An event that does not match the AuditEvent schema: a bug in the proxy, never the caller's fault. */
export class InvalidAuditEventError extends Error {
  readonly code = 'INTERNAL';
  readonly reason = 'audit.invalid_event';

  constructor(error: z.ZodError) {
    // zod's messages name paths and expectations, not the offending values, so no secret leaks here
    super(`invalid audit event:\n${z.prettifyError(error)}`, { cause: error });
    this.name = 'InvalidAuditEventError';
  }
}

/**
 * The event checked against the AuditEvent contract, as it is to be kept: one that is already
 * exactly what the schema returns (`isCanonicalAuditEvent`, compiled; the proxy's own events are)
 * is kept as it is, without zod's copy of every event; any other goes to zod, the contract's
 * definition, which fills defaults, drops unknown fields, or refuses and explains. Throws
 * InvalidAuditEventError.
 */
export const checkAuditEvent = (event: AuditEvent): AuditEvent => {
  if (isCanonicalAuditEvent(event)) return event;
  const parsed = AuditEvent.safeParse(event);
  if (!parsed.success) throw new InvalidAuditEventError(parsed.error);
  return parsed.data;
};

export interface MemoryAuditEmitterOptions {
  /** Events kept; older ones are dropped so a long-running single-process gateway stays bounded. Default 10 000. */
  readonly maxEvents?: number;
  /**
   * Check every event against the AuditEvent schema (default true: tests catch a malformed event
   * where it is made). The proxy's own in-process default turns it off: its events are built by
   * typed code, the check costs several microseconds per call, and the audit sink validates (and
   * quarantines) whatever it receives anyway.
   */
  readonly validate?: boolean;
}

interface Waiter {
  readonly predicate: (event: AuditEvent) => boolean;
  readonly resolve: (event: AuditEvent) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Keeps audit events in memory: for tests, and for the single-process default until the durable
 * spool exists (nothing survives a restart). Validates every event against the contract, so a
 * malformed event fails where it is made rather than in the audit sink.
 */
export class MemoryAuditEmitter implements AuditEmitter {
  /** The last `maxEvents` accepted events in a ring (no array shifting on the hot path). */
  readonly #ring: AuditEvent[] = [];
  #next = 0;
  readonly #maxEvents: number;
  readonly #validate: boolean;
  readonly #failures: Error[] = [];
  readonly #waiters = new Set<Waiter>();

  constructor(options: MemoryAuditEmitterOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 10_000;
    this.#validate = options.validate ?? true;
    if (!Number.isInteger(this.#maxEvents) || this.#maxEvents < 1) throw new RangeError(`maxEvents must be a positive integer, got ${this.#maxEvents}`);
  }

  /** Accepted events, oldest first (as `checkAuditEvent` kept them, when validating); a copy. */
  get events(): AuditEvent[] {
    return this.#ring.length < this.#maxEvents ? [...this.#ring] : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }

  async emit(event: AuditEvent): Promise<void> {
    let accepted = event;
    if (this.#validate) accepted = checkAuditEvent(event);
    const failure = this.#failures.shift();
    if (failure) throw failure;
    if (this.#ring.length < this.#maxEvents) this.#ring.push(accepted);
    else this.#ring[this.#next] = accepted;
    this.#next = (this.#next + 1) % this.#maxEvents;
    for (const waiter of this.#waiters) {
      // a throwing predicate fails its own wait, never the emit
      try {
        if (waiter.predicate(accepted)) waiter.resolve(accepted);
      } catch (error) {
        waiter.reject(error);
      }
    }
  }

  /** Makes the next valid emit reject with `error`, as a spool that cannot be written would; calls queue up. */
  failNext(error: Error): void {
    this.#failures.push(error);
  }

  /** The first event, already accepted or still to come, that matches `predicate`. */
  waitFor(predicate: (event: AuditEvent) => boolean, timeoutMs = 5_000): Promise<AuditEvent> {
    let seen: AuditEvent | undefined;
    try {
      seen = this.#ring.length < this.#maxEvents ? this.#ring.find(predicate) : this.events.find(predicate);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        predicate,
        resolve: (event) => {
          settle();
          resolve(event);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.reject(new Error(`no matching audit event within ${timeoutMs} ms (${this.#ring.length} events seen)`)), timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}
