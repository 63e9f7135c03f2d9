import type { LogPosition } from '../../event-log/event-log.port.js';
import type { PointInTime, PolicyChange } from '../../point-in-time/point-in-time.js';
import { describeActor } from './evidence-request.js';

/** How often one rule (at one policy version) decided calls in the period. */
export interface RuleDecisions {
  readonly policyLogPosition: string;
  readonly ruleId: string | null;
  allowed: number;
  denied: number;
  failed: number;
}

/** Counts decisions per (policy version, rule) while the tool calls stream by; bounded. */
export class RuleTally {
  private readonly byKey = new Map<string, RuleDecisions>();
  overflow = 0;

  constructor(private readonly max = 500) {}

  add(policyLogPosition: string, ruleId: string | null, outcome: string): void {
    const key = `${policyLogPosition}\u0000${ruleId ?? ''}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      if (this.byKey.size >= this.max) {
        this.overflow += 1;
        return;
      }
      entry = { policyLogPosition, ruleId, allowed: 0, denied: 0, failed: 0 };
      this.byKey.set(key, entry);
    }
    if (outcome === 'allowed') entry.allowed += 1;
    else if (outcome === 'denied') entry.denied += 1;
    else entry.failed += 1;
  }

  entries(): RuleDecisions[] {
    const total = (e: RuleDecisions) => e.allowed + e.denied + e.failed;
    return [...this.byKey.values()].sort((a, b) => total(b) - total(a) || a.policyLogPosition.localeCompare(b.policyLogPosition));
  }
}

/** A rule that decided calls, as it stood at its policy version, and the history of its policy. */
export interface DecidingRule {
  readonly policyLogPosition: string;
  readonly ruleId: string | null;
  readonly allowed: number;
  readonly denied: number;
  readonly failed: number;
  /** The policy holding the rule at that version, or null (no rule named, or not a policy rule: a limit, a key scope). */
  readonly policy: { readonly policyId: string; readonly name: string; readonly version: number } | null;
  readonly rule: { readonly effect: string; readonly tools: readonly string[]; readonly description: string } | null;
  /** Changes to the rule's policy after that version, up to now (who, when, what event). */
  readonly laterChanges: readonly { readonly time: string; readonly actor: string; readonly event: string; readonly version: number; readonly note: string; readonly position: string }[];
  /** Whether the rule is different now (or gone), and how. */
  readonly now: 'unchanged' | 'changed' | 'removed' | 'unknown';
  /** Why the history could not be read, if it could not. */
  readonly unavailable?: string;
}

const parsePosition = (text: string): LogPosition | undefined => {
  const m = /^(\d+):(\d+)$/.exec(text);
  return m ? { partition: Number(m[1]), offset: BigInt(m[2]!) } : undefined;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * For the rules that decided the period's calls, what each rule was at the policy version that
 * decided (PointInTime.effectivePolicyAt) and what happened to its policy since (diffPolicies:
 * changedBy, and whether the rule changed). At most `limit` policy versions are replayed, the most
 * used first; the rest are listed with their counts only.
 */
export const decidingRules = async (pointInTime: PointInTime, tenantId: string, tally: readonly RuleDecisions[], limit = 12): Promise<DecidingRule[]> => {
  const positions = [...new Set(tally.map((t) => t.policyLogPosition))].slice(0, limit);
  let latest: LogPosition | undefined;
  let latestError: string | undefined;
  try {
    latest = (await pointInTime.effectivePolicyAt(tenantId, 'latest')).position;
  } catch (error) {
    latestError = message(error);
  }
  const byPosition = new Map<string, { rules: Map<string, { policyId: string; name: string; version: number; effect: string; tools: readonly string[]; description: string }>; changes: readonly PolicyChange[]; nowRules: Map<string, string> | undefined; error?: string }>();
  for (const text of positions) {
    const at = parsePosition(text);
    if (!at || !latest) {
      byPosition.set(text, { rules: new Map(), changes: [], nowRules: undefined, error: latestError ?? `"${text}" is not a log position` });
      continue;
    }
    try {
      const effective = await pointInTime.effectivePolicyAt(tenantId, at);
      const rules = new Map<string, { policyId: string; name: string; version: number; effect: string; tools: readonly string[]; description: string }>();
      const versions = new Map(effective.policies.map((p) => [p.policyId, p.version]));
      for (const r of effective.effective.toolRules) {
        rules.set(r.rule.id, { policyId: r.policyId, name: r.policyName, version: versions.get(r.policyId) ?? 0, effect: r.rule.effect, tools: r.rule.tools, description: r.rule.description ?? '' });
      }
      const diff = at.offset < latest.offset ? await pointInTime.diffPolicies(tenantId, at, latest) : undefined;
      const nowRules = new Map<string, string>();
      for (const p of diff?.changed ?? []) {
        for (const c of p.changes.toolRules.changed) nowRules.set(c.id, 'changed');
        for (const c of p.changes.toolRules.removed) nowRules.set(c.id, 'removed');
      }
      for (const p of diff?.removed ?? []) for (const r of p.document.toolRules) nowRules.set(r.id, 'removed');
      byPosition.set(text, { rules, changes: diff?.changedBy ?? [], nowRules });
    } catch (error) {
      byPosition.set(text, { rules: new Map(), changes: [], nowRules: undefined, error: message(error) });
    }
  }
  return tally.map((t) => {
    const found = byPosition.get(t.policyLogPosition);
    const counts = { policyLogPosition: t.policyLogPosition, ruleId: t.ruleId, allowed: t.allowed, denied: t.denied, failed: t.failed };
    if (!found) return { ...counts, policy: null, rule: null, laterChanges: [], now: 'unknown' as const, unavailable: 'not replayed (beyond the most used policy versions)' };
    if (found.error) return { ...counts, policy: null, rule: null, laterChanges: [], now: 'unknown' as const, unavailable: found.error };
    const rule = t.ruleId ? found.rules.get(t.ruleId) : undefined;
    if (!rule) return { ...counts, policy: null, rule: null, laterChanges: [], now: 'unknown' as const };
    return {
      ...counts,
      policy: { policyId: rule.policyId, name: rule.name, version: rule.version },
      rule: { effect: rule.effect, tools: rule.tools, description: rule.description },
      laterChanges: found.changes
        .filter((c) => c.policyId === rule.policyId)
        .map((c) => ({ time: c.time, actor: describeActor(c.actor), event: c.event, version: c.version, note: c.changeNote, position: `${c.position.partition}:${c.position.offset}` })),
      now: (found.nowRules?.get(t.ruleId!) as 'changed' | 'removed' | undefined) ?? 'unchanged',
    };
  });
};
