import { lastSeq, recordsAfter, type AuditFilter, type AuditRecordRow } from './audit-query.js';
import type { Sql } from './audit-store.js';

export interface AuditTailOptions {
  /** How often a tail looks for records written elsewhere (another sink replica). Default 1 s. */
  readonly pollMs?: number;
  /** Records read per poll. Default 500. */
  readonly batch?: number;
}

/**
 * Live tails of tenants' audit trails. A tail follows the table, not this process's writer: it
 * starts after the tenant's last record at subscription time and reads on in chain order (seq), so
 * it sees records whichever sink replica wrote them, in the order verification sees them. A commit
 * of this process's writer wakes the tails of its tenants at once; otherwise they poll.
 */
export class AuditTail {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly pollMs: number;
  private readonly batch: number;

  constructor(
    private readonly sql: Sql,
    options: AuditTailOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1_000;
    this.batch = options.batch ?? 500;
  }

  /** Records of these tenants were committed: wake their tails. */
  notify(tenantIds: Iterable<string>): void {
    for (const tenantId of tenantIds) for (const wake of this.waiting.get(tenantId) ?? []) wake();
  }

  /** Records of `tenantId` matching `filter` committed after this call, until `return()`. */
  follow(tenantId: string, filter: AuditFilter): AsyncIterableIterator<AuditRecordRow> {
    const buffer: AuditRecordRow[] = [];
    let position: Promise<number> = lastSeq(this.sql, tenantId);
    // a failure surfaces from next(); a tail closed before its first next() must not leave it unhandled
    position.catch(() => {});
    let stopped = false;
    let wake: (() => void) | undefined;
    const wakers = this.waiting.get(tenantId) ?? new Set<() => void>();
    this.waiting.set(tenantId, wakers);
    const waker = () => wake?.();
    wakers.add(waker);
    const stop = () => {
      stopped = true;
      wakers.delete(waker);
      if (wakers.size === 0 && this.waiting.get(tenantId) === wakers) this.waiting.delete(tenantId);
      wake?.();
    };
    const done = (): IteratorResult<AuditRecordRow> => ({ done: true, value: undefined });
    const iterator: AsyncIterableIterator<AuditRecordRow> = {
      next: async () => {
        while (!stopped) {
          const row = buffer.shift();
          if (row) return { done: false, value: row };
          const read = await recordsAfter(this.sql, tenantId, await position, filter, this.batch);
          position = Promise.resolve(read.lastSeq);
          buffer.push(...read.rows);
          if (buffer.length > 0 || stopped) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        return done();
      },
      return: async () => {
        stop();
        return done();
      },
      throw: async (error: unknown) => {
        stop();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
