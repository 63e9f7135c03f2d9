import { evaluateToolCall, PolicyDocument, type ToolDecision } from '@mcpgate/contracts';
import { z } from 'zod';
import type { TenantView } from '../domain/tenant-model.js';

/** A call to replay under a candidate policy: who (by user, groups, roles or key) called which tool. */
export const SampleCall = z.object({
  tool: z.string().min(1).max(256),
  user: z.string().min(1).max(512).optional(),
  groups: z.array(z.string().min(1)).max(100).default([]),
  /** Explicit roles; when absent, they come from the tenant's role bindings for `user` and `groups`. */
  roles: z.array(z.string().min(1)).max(100).optional(),
  keyId: z.string().min(1).max(100).optional(),
});
export type SampleCall = z.infer<typeof SampleCall>;

export interface SimulatedCall {
  readonly call: SampleCall;
  readonly before: ToolDecision;
  readonly after: ToolDecision;
  /** The outcome flips (allowed ↔ denied). */
  readonly changed: boolean;
  /** Same outcome, but another rule decides it. */
  readonly decidedByOtherRule: boolean;
}

const rolesOf = (tenant: TenantView, call: SampleCall): string[] => {
  if (call.roles) return call.roles;
  const names = new Set<string>();
  for (const b of tenant.bindings.values()) {
    if (b.status !== 'active') continue;
    const hit = b.subject.kind === 'user' ? b.subject.subject === call.user : call.groups.includes(b.subject.group);
    if (hit) names.add(tenant.roles.get(b.role)?.name ?? b.role);
  }
  return [...names];
};

/**
 * What a policy change would do before it is applied: every call is decided under the tenant's
 * policies as they are and as they would be with `candidate` (replacing `policyId`, or added as a
 * new policy), with the same evaluation the proxies run. Keys in the calls bring their own scope.
 */
export const simulatePolicyChange = (tenant: TenantView, policyId: string | undefined, candidate: unknown, calls: readonly SampleCall[]): SimulatedCall[] => {
  const document = PolicyDocument.parse(candidate);
  const current = [...tenant.policies.values()].filter((p) => p.status === 'active').map((p) => ({ id: p.policyId, name: p.name, document: p.document }));
  const next = policyId
    ? current.map((p) => (p.id === policyId ? { ...p, document } : p))
    : [...current, { id: 'candidate', name: 'candidate', document }];
  const byName = (list: typeof current) => [...list].sort((a, b) => a.name.localeCompare(b.name));
  return calls.map((call) => {
    const key = call.keyId ? tenant.keys.get(call.keyId) : undefined;
    const subject = {
      groups: call.groups,
      roles: rolesOf(tenant, call),
      ...(call.user ? { user: call.user } : {}),
      ...(call.keyId ? { keyId: call.keyId } : {}),
      ...(key ? { keyTools: key.scopes.tools } : {}),
    };
    const before = evaluateToolCall(byName(current), subject, call.tool);
    const after = evaluateToolCall(byName(next), subject, call.tool);
    const changed = before.allowed !== after.allowed;
    return { call, before, after, changed, decidedByOtherRule: !changed && before.ruleId !== after.ruleId };
  });
};
