import { matchesGlob } from '@mcpgate/contracts';
import type { RateLimit } from '@mcpgate/contracts';
import { ALLOWED, stateKey, subjectOf } from './limit-decision.js';
import type { CallIdentity, LimitDecision } from './limit-decision.js';
import { LruMap } from './lru-map.js';

export interface RateLimiterOptions {
  /** Upper bound on buckets kept; beyond it the least recently used bucket is forgotten. */
  readonly maxBuckets: number;
  /** Milliseconds on a clock that only moves forward; defaults to `performance.now()`. */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
  /** Tokens per millisecond. */
  rate: number;
}

// Refill arithmetic in floating point may land a hair under a whole token at the exact moment
// retryAfterMs promised one; this tolerance keeps that promise.
const EPSILON = 1e-9;

/**
 * Token-bucket rate limits on the proxy hot path: in memory, per replica, no I/O.
 *
 * A bucket exists per tenant, limit id, scope and subject (key id, user, tool name or the tenant).
 * A call takes one token from every applicable bucket or, if any of them is empty, from none, and
 * the refusal names the limit that takes longest to refill. When a limit's capacity changes
 * between snapshots its bucket keeps the same fill ratio; a changed refill rate applies from then
 * on. Memory is bounded by `maxBuckets`: an evicted bucket restarts full the next time it is
 * needed, so eviction can only ever be lenient, by at most one capacity per eviction.
 */
export class RateLimiter {
  readonly #buckets: LruMap<string, Bucket>;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#buckets = new LruMap(options.maxBuckets);
    this.#now = options.now ?? (() => performance.now());
  }

  /** Number of buckets currently kept (never more than `maxBuckets`). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Decides a call against `limits` and, when it is allowed, takes its tokens. */
  check(call: CallIdentity, limits: readonly RateLimit[]): LimitDecision {
    const now = this.#now();
    const due: Bucket[] = [];
    let refusal: { limit: RateLimit; retryAfterMs: number } | undefined;
    for (const limit of limits) {
      if (limit.tools !== undefined && !matchesGlob(limit.tools, call.tool)) continue;
      const subject = subjectOf(limit.scope, call);
      if (subject === undefined) continue;
      const bucket = this.#bucket(stateKey(call.tenantId, limit.id, limit.scope, subject), limit, now);
      if (bucket.tokens >= 1 - EPSILON) {
        due.push(bucket);
        continue;
      }
      const retryAfterMs = Math.max(1, Math.ceil((1 - bucket.tokens) / bucket.rate));
      if (!refusal || retryAfterMs > refusal.retryAfterMs) refusal = { limit, retryAfterMs };
    }
    if (refusal) return { allowed: false, limitId: refusal.limit.id, scope: refusal.limit.scope, retryAfterMs: refusal.retryAfterMs };
    for (const bucket of due) bucket.tokens = Math.max(0, bucket.tokens - 1);
    return ALLOWED;
  }

  /** The bucket for `key`, refilled up to `now` and adapted to the limit's current parameters. */
  #bucket(key: string, limit: RateLimit, now: number): Bucket {
    const rate = limit.refillPerSecond / 1000;
    const bucket = this.#buckets.get(key);
    if (!bucket) {
      const fresh: Bucket = { tokens: limit.capacity, updatedAt: now, capacity: limit.capacity, rate };
      this.#buckets.set(key, fresh);
      return fresh;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.rate);
    bucket.updatedAt = Math.max(bucket.updatedAt, now);
    if (bucket.capacity !== limit.capacity) {
      bucket.tokens = (bucket.tokens / bucket.capacity) * limit.capacity;
      bucket.capacity = limit.capacity;
    }
    bucket.rate = rate;
    return bucket;
  }
}
