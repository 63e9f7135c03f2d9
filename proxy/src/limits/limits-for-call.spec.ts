import type { PolicyDocument, PolicySnapshot, SnapshotVirtualKey } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { limitsForCall } from './limits-for-call.js';

const document = (extra: Partial<PolicyDocument>): PolicyDocument => ({ toolRules: [], rateLimits: [], budgets: [], toolCosts: [], audit: { argumentCapture: 'hash', onAuditFailure: 'closed' }, ...extra });
const snapshot = (policies: PolicySnapshot['policies']) => ({ policies }) as PolicySnapshot;
const key = (scopes: Partial<SnapshotVirtualKey['scopes']>): SnapshotVirtualKey => ({
  id: 'vk_alice00000',
  prefix: 'mcpg_abcd1234',
  secretHashes: ['a'.repeat(64)],
  scopes: { virtualServerIds: ['vsr_tools000000'], tools: { allow: ['*'], deny: [] }, rateLimits: [], ...scopes },
});

describe(limitsForCall.name, () => {
  const policies = snapshot([
    { id: 'pol_default0000', name: 'default', document: document({ rateLimits: [{ id: 'r1', scope: 'user', capacity: 10, refillPerSecond: 1 }], budgets: [{ id: 'b1', scope: 'tenant', period: 'month', maxCalls: 1000 }] }) },
    { id: 'pol_strict00000', name: 'strict', document: document({ rateLimits: [{ id: 'r1', scope: 'tool', tools: 'db__*', capacity: 1, refillPerSecond: 1 }] }) },
  ]);

  it('prefixes ids by origin so a key’s and a policy’s `r1` stay apart', () => {
    const sut = limitsForCall(policies, key({ rateLimits: [{ id: 'r1', scope: 'key', capacity: 5, refillPerSecond: 5 }], budget: { id: 'b1', scope: 'key', period: 'day', maxCost: 50 } }));
    expect(sut.rateLimits.map((l) => [l.id, l.scope])).toEqual([
      ['key:vk_alice00000:r1', 'key'],
      ['policy:default:r1', 'user'],
      ['policy:strict:r1', 'tool'],
    ]);
    expect(sut.rateLimits[2]).toMatchObject({ tools: 'db__*', capacity: 1 });
    expect(sut.budgets).toEqual([
      { id: 'key:vk_alice00000:b1', scope: 'key', period: 'day', maxCost: 50, keyId: 'vk_alice00000' },
      { id: 'policy:default:b1', scope: 'tenant', period: 'month', maxCalls: 1000, policyName: 'default' },
    ]);
  });

  it('gives only the policies’ limits to a call without a key, or with a key that has none', () => {
    expect(limitsForCall(policies).rateLimits.map((l) => l.id)).toEqual(['policy:default:r1', 'policy:strict:r1']);
    expect(limitsForCall(policies, key({})).budgets.map((b) => b.id)).toEqual(['policy:default:b1']);
    expect(limitsForCall(snapshot([]))).toEqual({ rateLimits: [], budgets: [] });
  });

  it('leaves the snapshot untouched and answers the same for the same snapshot', () => {
    const before = JSON.stringify(policies);
    const first = limitsForCall(policies);
    expect(limitsForCall(policies)).toEqual(first);
    expect(JSON.stringify(policies)).toBe(before);
  });
});
