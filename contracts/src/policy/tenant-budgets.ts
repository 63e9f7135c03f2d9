import type { PolicySnapshot, SnapshotVirtualKey } from '../snapshot/policy-snapshot.js';
import { matchesGlob } from './evaluate.js';
import type { Budget, PolicyDocument } from './policy-rules.js';

/**
 * Limit ids made unique across their origins, so a key's `b1` and a policy's `b1` never share
 * state, and a refusal says where its limit came from: `key:<key id>:<id>`, `policy:<policy name>:<id>`.
 * The proxies count under these ids and the control plane reports usage under them.
 */
export const keyLimitId = (keyId: string, id: string): string => `key:${keyId}:${id}`;
export const policyLimitId = (policyName: string, id: string): string => `policy:${policyName}:${id}`;

/** A budget as it governs calls: its id made unique (above), and for a key's own budget, the key. */
export type TenantBudget = Budget & {
  /** Set for a virtual key's own budget: only calls made with this key count against it. */
  readonly keyId?: string;
  /** Set for a policy's budget: the policy it comes from. */
  readonly policyName?: string;
};

/** Whether a budget is spent for a subject: its calls reached `maxCalls`, or its cost reached `maxCost`. */
export const budgetSpent = (budget: Pick<Budget, 'maxCalls' | 'maxCost'>, calls: number, cost: number): boolean =>
  (budget.maxCalls !== undefined && calls >= budget.maxCalls) || (budget.maxCost !== undefined && cost >= budget.maxCost);

/** The virtual key's own budget, if it has one, with its id made unique. */
export const keyBudgets = (key: SnapshotVirtualKey): TenantBudget[] =>
  key.scopes.budget ? [{ ...key.scopes.budget, id: keyLimitId(key.id, key.scopes.budget.id), keyId: key.id }] : [];

/** Every policy's budgets, with their ids made unique; they count every call of the tenant. */
export const policyBudgets = (snapshot: Pick<PolicySnapshot, 'policies'>): TenantBudget[] =>
  snapshot.policies.flatMap((p) => p.document.budgets.map((b) => ({ ...b, id: policyLimitId(p.name, b.id), policyName: p.name })));

/** All budgets of a tenant: every key's own, then every policy's. */
export const tenantBudgets = (snapshot: Pick<PolicySnapshot, 'keys' | 'policies'>): TenantBudget[] => [...snapshot.keys.flatMap(keyBudgets), ...policyBudgets(snapshot)];

/**
 * What one call to `tool` costs: the highest cost any policy's matching `toolCosts` entry gives it,
 * 0 when none does. The highest, so that policies combine without an order, as their rules do.
 */
export const toolCallCost = (policies: readonly { readonly document: Pick<PolicyDocument, 'toolCosts'> }[], tool: string): number => {
  let cost = 0;
  for (const { document } of policies) for (const entry of document.toolCosts) if (entry.cost > cost && matchesGlob(entry.tools, tool)) cost = entry.cost;
  return cost;
};
