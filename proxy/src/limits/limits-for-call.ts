import { keyBudgets, keyLimitId, policyBudgets, policyLimitId, type Budget, type PolicySnapshot, type RateLimit, type SnapshotVirtualKey } from '@mcpgate/contracts';

/** The rate limits and budgets that govern one call, with ids unique across their origins. */
export interface CallLimits {
  readonly rateLimits: readonly RateLimit[];
  readonly budgets: readonly Budget[];
}

const policyLimits = new WeakMap<PolicySnapshot, CallLimits>();
const keyLimits = new WeakMap<SnapshotVirtualKey, CallLimits>();
const NO_KEY: CallLimits = Object.freeze({ rateLimits: Object.freeze([]), budgets: Object.freeze([]) });

const fromPolicies = (snapshot: PolicySnapshot): CallLimits => {
  let limits = policyLimits.get(snapshot);
  if (!limits) {
    limits = Object.freeze({
      rateLimits: Object.freeze(snapshot.policies.flatMap((p) => p.document.rateLimits.map((l) => ({ ...l, id: policyLimitId(p.name, l.id) })))),
      budgets: Object.freeze(policyBudgets(snapshot)),
    });
    policyLimits.set(snapshot, limits);
  }
  return limits;
};

const fromKey = (key: SnapshotVirtualKey | undefined): CallLimits => {
  if (!key) return NO_KEY;
  let limits = keyLimits.get(key);
  if (!limits) {
    limits = Object.freeze({
      rateLimits: Object.freeze(key.scopes.rateLimits.map((l) => ({ ...l, id: keyLimitId(key.id, l.id) }))),
      budgets: Object.freeze(keyBudgets(key)),
    });
    keyLimits.set(key, limits);
  }
  return limits;
};

/**
 * The limits for a call: the virtual key's own rate limits and budget (when the caller used a key)
 * followed by every policy's. Ids are prefixed with their origin — `key:<keyId>:<id>`,
 * `policy:<policy name>:<id>` — so a key's `r1` and a policy's `r1` never share a bucket, and a
 * refusal says where the limit came from. Snapshots are immutable and swapped whole, so the
 * translation is cached per snapshot and per key object; a call costs at most two array copies.
 */
export const limitsForCall = (snapshot: PolicySnapshot, key?: SnapshotVirtualKey): CallLimits => {
  const own = fromKey(key);
  const policies = fromPolicies(snapshot);
  if (!own.rateLimits.length && !own.budgets.length) return policies;
  return { rateLimits: [...own.rateLimits, ...policies.rateLimits], budgets: [...own.budgets, ...policies.budgets] };
};
