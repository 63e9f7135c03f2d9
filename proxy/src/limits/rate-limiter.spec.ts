import type { RateLimit } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import type { CallIdentity } from './limit-decision.js';
import { RateLimiter } from './rate-limiter.js';

const ACME = 'ten_acme0000000000';
const GLOBEX = 'ten_globex00000000';
const call = (extra: Partial<CallIdentity> = {}): CallIdentity => ({ tenantId: ACME, keyId: 'vk_alice00000', user: 'alice', tool: 'github__create_issue', ...extra });
const limit = (extra: Partial<RateLimit> = {}): RateLimit => ({ id: 'r1', scope: 'key', capacity: 2, refillPerSecond: 1, ...extra });

const setup = (maxBuckets = 1000) => {
  const clock = { ms: 1_000_000 };
  const sut = new RateLimiter({ maxBuckets, now: () => clock.ms });
  return { sut, clock };
};

describe(RateLimiter.name, () => {
  it('allows a burst up to capacity, then refuses until the bucket refills with time', () => {
    const { sut, clock } = setup();
    const limits = [limit({ capacity: 3, refillPerSecond: 2 })];
    expect([1, 2, 3].map(() => sut.check(call(), limits).allowed)).toEqual([true, true, true]);
    expect(sut.check(call(), limits)).toEqual({ allowed: false, limitId: 'r1', scope: 'key', retryAfterMs: 500 });
    clock.ms += 499;
    expect(sut.check(call(), limits).allowed).toBe(false);
    clock.ms += 1;
    expect(sut.check(call(), limits).allowed).toBe(true);
    expect(sut.check(call(), limits).allowed).toBe(false);
    clock.ms += 10_000; // refills to capacity, never beyond
    expect([1, 2, 3, 4].map(() => sut.check(call(), limits).allowed)).toEqual([true, true, true, false]);
  });

  it('keeps the retryAfterMs promise: a call exactly that much later is allowed, for awkward rates', () => {
    for (const refillPerSecond of [0.1, 0.3, 3, 7, 1000, 0.017]) {
      const { sut, clock } = setup();
      const limits = [limit({ capacity: 1, refillPerSecond })];
      sut.check(call(), limits);
      for (let i = 0; i < 5; i += 1) {
        const refused = sut.check(call(), limits);
        if (refused.allowed) throw new Error(`expected a refusal at ${refillPerSecond}/s`);
        expect(refused.retryAfterMs).toBe(Math.ceil(1000 / refillPerSecond));
        clock.ms += refused.retryAfterMs - 1;
        expect(sut.check(call(), limits).allowed).toBe(false);
        clock.ms += 1;
        expect(sut.check(call(), limits).allowed).toBe(true);
      }
    }
  });

  it('is all-or-nothing: a refused call takes no token from the buckets that had one', () => {
    const { sut } = setup();
    const perKey = limit({ id: 'per-key', capacity: 5 });
    const perTool = limit({ id: 'per-tool', scope: 'tool', capacity: 1 });
    expect(sut.check(call(), [perKey, perTool]).allowed).toBe(true);
    for (let i = 0; i < 10; i += 1) expect(sut.check(call(), [perKey, perTool])).toMatchObject({ allowed: false, limitId: 'per-tool' });
    // per-key still holds 4 of 5: the refusals above took nothing from it
    expect([1, 2, 3, 4, 5].map(() => sut.check(call(), [perKey]).allowed)).toEqual([true, true, true, true, false]);
  });

  it('names the limit with the longest wait when several refuse', () => {
    const { sut } = setup();
    const fast = limit({ id: 'fast', capacity: 1, refillPerSecond: 10 });
    const slow = limit({ id: 'slow', scope: 'user', capacity: 1, refillPerSecond: 0.5 });
    const medium = limit({ id: 'medium', scope: 'tenant', capacity: 1, refillPerSecond: 1 });
    sut.check(call(), [fast, slow, medium]);
    expect(sut.check(call(), [fast, slow, medium])).toEqual({ allowed: false, limitId: 'slow', scope: 'user', retryAfterMs: 2000 });
    expect(sut.check(call(), [medium, fast])).toEqual({ allowed: false, limitId: 'medium', scope: 'tenant', retryAfterMs: 1000 });
  });

  it('keeps one bucket per subject of the scope: keys, users, tools and the tenant', () => {
    const { sut } = setup();
    const one = (scope: RateLimit['scope']) => [limit({ scope, capacity: 1, refillPerSecond: 0.001 })];
    expect(sut.check(call({ keyId: 'vk_alice00000' }), one('key')).allowed).toBe(true);
    expect(sut.check(call({ keyId: 'vk_bob0000000' }), one('key')).allowed).toBe(true);
    expect(sut.check(call({ keyId: 'vk_alice00000', user: 'someone-else' }), one('key')).allowed).toBe(false);

    expect(sut.check(call({ user: 'carol' }), one('user')).allowed).toBe(true);
    expect(sut.check(call({ user: 'carol', keyId: 'vk_other000000' }), one('user')).allowed).toBe(false);

    expect(sut.check(call({ tool: 'a' }), one('tool')).allowed).toBe(true);
    expect(sut.check(call({ tool: 'b' }), one('tool')).allowed).toBe(true);
    expect(sut.check(call({ tool: 'a', user: 'dave' }), one('tool')).allowed).toBe(false);

    expect(sut.check(call({ user: 'erin' }), one('tenant')).allowed).toBe(true);
    expect(sut.check(call({ user: 'frank', keyId: undefined }), one('tenant')).allowed).toBe(false);
  });

  it('does not apply a limit whose scope subject the call lacks', () => {
    const { sut } = setup();
    const perUser = [limit({ scope: 'user', capacity: 1 })];
    const perKey = [limit({ scope: 'key', capacity: 1 })];
    for (let i = 0; i < 5; i += 1) {
      expect(sut.check(call({ user: undefined }), perUser).allowed).toBe(true);
      expect(sut.check(call({ keyId: undefined }), perKey).allowed).toBe(true);
    }
    expect(sut.size).toBe(0);
  });

  it('isolates tenants: the same limit id, key id and user in two tenants never share a bucket', () => {
    const { sut } = setup();
    for (const scope of ['key', 'user', 'tool', 'tenant'] as const) {
      const limits = [limit({ id: `r-${scope}`, scope, capacity: 1, refillPerSecond: 0.001 })];
      expect(sut.check(call(), limits).allowed).toBe(true);
      expect(sut.check(call(), limits).allowed).toBe(false);
      expect(sut.check(call({ tenantId: GLOBEX }), limits).allowed).toBe(true);
    }
  });

  it('counts only tools matching the limit’s glob', () => {
    const { sut } = setup();
    const writes = [limit({ scope: 'key', tools: 'github__create_*', capacity: 1, refillPerSecond: 0.001 })];
    expect(sut.check(call({ tool: 'github__create_issue' }), writes).allowed).toBe(true);
    expect(sut.check(call({ tool: 'github__create_pr' }), writes).allowed).toBe(false);
    for (let i = 0; i < 5; i += 1) expect(sut.check(call({ tool: 'github__list_issues' }), writes).allowed).toBe(true);
  });

  it('adapts a bucket when the limit’s capacity or refill rate changes between snapshots', () => {
    const { sut, clock } = setup();
    // half full at capacity 4 …
    sut.check(call(), [limit({ capacity: 4, refillPerSecond: 1 })]);
    sut.check(call(), [limit({ capacity: 4, refillPerSecond: 1 })]);
    // … stays half full at capacity 10: 5 tokens, not a fresh 10 and not the old 2
    const raised = [limit({ capacity: 10, refillPerSecond: 1 })];
    expect(Array.from({ length: 6 }, () => sut.check(call(), raised).allowed)).toEqual([true, true, true, true, true, false]);
    // a faster refill applies from now on
    const faster = [limit({ capacity: 10, refillPerSecond: 100 })];
    expect(sut.check(call(), faster)).toMatchObject({ allowed: false, retryAfterMs: 10 });
    clock.ms += 10;
    expect(sut.check(call(), faster).allowed).toBe(true);
    // lowering the capacity cannot leave more tokens than the new capacity
    clock.ms += 60_000;
    const lowered = [limit({ capacity: 2, refillPerSecond: 100 })];
    expect([1, 2, 3].map(() => sut.check(call(), lowered).allowed)).toEqual([true, true, false]);
  });

  it('never keeps more than maxBuckets; an evicted bucket restarts full', () => {
    const { sut } = setup(2);
    const one = [limit({ scope: 'user', capacity: 1, refillPerSecond: 0.001 })];
    sut.check(call({ user: 'u1' }), one);
    sut.check(call({ user: 'u2' }), one);
    sut.check(call({ user: 'u1' }), one); // refused, but marks u1 as recently used
    sut.check(call({ user: 'u3' }), one); // evicts u2, the least recently used
    expect(sut.size).toBe(2);
    expect(sut.check(call({ user: 'u1' }), one).allowed).toBe(false);
    expect(sut.check(call({ user: 'u2' }), one).allowed).toBe(true);
  });

  it('stays within maxBuckets over 100k checks across 1k subjects', () => {
    const { sut, clock } = setup(500);
    const limits = [limit({ scope: 'user', capacity: 5 }), limit({ id: 'r2', scope: 'tool', capacity: 50 }), limit({ id: 'r3', scope: 'tenant', capacity: 1000 })];
    let maxSeen = 0;
    for (let i = 0; i < 100_000; i += 1) {
      clock.ms += 1;
      sut.check(call({ user: `user-${(i * 7919) % 1000}`, tool: `tool-${i % 37}` }), limits);
      maxSeen = Math.max(maxSeen, sut.size);
    }
    expect(maxSeen).toBe(500);

    const roomy = setup(5000).sut;
    for (let i = 0; i < 100_000; i += 1) roomy.check(call({ user: `user-${i % 1000}` }), [limit({ scope: 'user' })]);
    expect(roomy.size).toBe(1000);
  });

  it('rejects a maxBuckets that is not a positive integer', () => {
    expect(() => new RateLimiter({ maxBuckets: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ maxBuckets: 1.5 })).toThrow(RangeError);
  });
});
