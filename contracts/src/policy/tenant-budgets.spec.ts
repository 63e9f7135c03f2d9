import { describe, expect, it } from 'vitest';
import { PolicyDocument } from './policy-rules.js';
import { tenantBudgets, toolCallCost } from './tenant-budgets.js';
import type { PolicySnapshot } from '../snapshot/policy-snapshot.js';

const policy = (name: string, raw: unknown) => ({ id: `pol_${name.padEnd(12, '0')}`, name, document: PolicyDocument.parse(raw) });

describe(tenantBudgets.name, () => {
  it("lists every key's own budget, tagged with its key, then every policy's, tagged with its policy, with ids unique across origins", () => {
    const snapshot = {
      keys: [
        { id: 'vk_alice00000', scopes: { budget: { id: 'b1', scope: 'key', period: 'day', maxCalls: 5 } } },
        { id: 'vk_bob0000000', scopes: {} },
      ],
      policies: [policy('spend', { budgets: [{ id: 'b1', scope: 'tenant', period: 'month', maxCost: 100 }] })],
    } as unknown as Pick<PolicySnapshot, 'keys' | 'policies'>;
    expect(tenantBudgets(snapshot)).toEqual([
      { id: 'key:vk_alice00000:b1', scope: 'key', period: 'day', maxCalls: 5, keyId: 'vk_alice00000' },
      { id: 'policy:spend:b1', scope: 'tenant', period: 'month', maxCost: 100, policyName: 'spend' },
    ]);
  });
});

describe(toolCallCost.name, () => {
  const policies = [
    policy('search', { toolCosts: [{ id: 'search', tools: 'search*', cost: 2 }, { id: 'deep', tools: 'search_deep', cost: 5 }] }),
    policy('finance', { toolCosts: [{ id: 'all', tools: '*', cost: 0.5 }] }),
  ];

  it('is the highest cost any matching entry of any policy gives, whatever their order', () => {
    expect(toolCallCost(policies, 'search_deep')).toBe(5);
    expect(toolCallCost([...policies].reverse(), 'search_deep')).toBe(5);
    expect(toolCallCost(policies, 'search_web')).toBe(2);
    expect(toolCallCost(policies, 'write')).toBe(0.5);
  });

  it('is 0 for a tool no entry matches, and without any priced policy', () => {
    expect(toolCallCost(policies.slice(0, 1), 'write')).toBe(0);
    expect(toolCallCost([policy('none', {})], 'search')).toBe(0);
  });
});
