/** Shapes of the point-in-time answers (control-plane/src/point-in-time/point-in-time.ts), as JSON. */
export interface WirePosition {
  readonly partition: number;
  readonly offset: string | number;
}
export const positionText = (p: WirePosition): string => `${p.partition}:${p.offset}`;

export interface PolicyChange {
  readonly position: WirePosition;
  readonly policyId: string;
  readonly event: string;
  readonly version: number;
  readonly actor: Record<string, unknown>;
  readonly time: string;
  readonly changeNote: string;
}

export interface ItemDiff {
  readonly added: readonly { id: string }[];
  readonly removed: readonly { id: string }[];
  readonly changed: readonly { id: string; before: unknown; after: unknown }[];
}

export interface DocumentDiff {
  readonly toolRules: ItemDiff;
  readonly rateLimits: ItemDiff;
  readonly budgets: ItemDiff;
  readonly toolCosts?: ItemDiff;
  readonly audit: { before: unknown; after: unknown } | null;
}

export interface PolicyDiff {
  readonly added: readonly { policyId: string; name: string; version: number }[];
  readonly removed: readonly { policyId: string; name: string; version: number }[];
  readonly changed: readonly { policyId: string; name: string; fromVersion: number; toVersion: number; changes: DocumentDiff }[];
  readonly changedBy: readonly PolicyChange[];
}

export interface EffectivePolicy {
  readonly position: WirePosition;
  readonly policies: readonly { policyId: string; name: string; version: number }[];
  readonly effective: {
    readonly toolRules: readonly { policyId: string; policyName: string; rule: { id: string; effect: string; tools: string[]; subjects: Record<string, string[]> } }[];
    readonly rateLimits: readonly { policyName: string; limit: { id: string; scope: string; capacity: number; refillPerSecond: number } }[];
    readonly budgets: readonly { policyName: string; budget: { id: string; scope: string; period: string; maxCalls?: number; maxCost?: number } }[];
    /** Absent from a control plane older than tool costs. */
    readonly toolCosts?: readonly { policyName: string; toolCost: { id: string; tools: string; cost: number } }[];
    readonly audit: Record<string, unknown>;
  };
}

export interface SimulatedCall {
  readonly call: { tool: string; user?: string; groups?: string[]; roles?: string[]; keyId?: string };
  readonly before: { allowed: boolean; reason: string; ruleId?: string; policy?: string };
  readonly after: { allowed: boolean; reason: string; ruleId?: string; policy?: string };
  readonly changed: boolean;
  readonly decidedByOtherRule: boolean;
}

/** A policy document to start from: one allow-all rule, the tenant's default audit settings. */
export const STARTER_DOCUMENT = {
  toolRules: [{ id: 'allow-all', effect: 'allow', subjects: { roles: [], groups: [], users: [], keys: [] }, tools: ['*'] }],
  rateLimits: [],
  budgets: [],
  toolCosts: [],
  audit: { argumentCapture: 'hash', onAuditFailure: 'closed' },
};

/** Lines of a diff as a person reads it: + added, - removed, ~ changed, per section. */
export const describeDocumentDiff = (diff: DocumentDiff): string[] => {
  const lines: string[] = [];
  for (const section of ['toolRules', 'rateLimits', 'budgets', 'toolCosts'] as const) {
    const d = diff[section];
    if (!d) continue;
    for (const a of d.added) lines.push(`+ ${section} ${a.id}: ${JSON.stringify(a)}`);
    for (const r of d.removed) lines.push(`- ${section} ${r.id}: ${JSON.stringify(r)}`);
    for (const c of d.changed) lines.push(`~ ${section} ${c.id}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`);
  }
  if (diff.audit) lines.push(`~ audit: ${JSON.stringify(diff.audit.before)} → ${JSON.stringify(diff.audit.after)}`);
  return lines;
};
