import type { PolicyDocument, ToolFilter, ToolRule } from './policy-rules.js';

/** Who is calling, as far as tool rules are concerned. */
export interface CallSubject {
  readonly user?: string;
  readonly groups: readonly string[];
  /** Role names bound to the caller in the tenant (built-in names or custom role names). */
  readonly roles: readonly string[];
  readonly keyId?: string;
  /** The key's own scope, when the caller used a virtual key. */
  readonly keyTools?: ToolFilter;
}

export interface ToolDecision {
  readonly allowed: boolean;
  /** Stable reason: key.tool_not_in_scope, policy.tool_denied, policy.not_allowed, policy.allowed, policy.default_allow. */
  readonly reason: string;
  /** The rule that decided (`key-scope` for a key's own filter), absent for the default. */
  readonly ruleId?: string;
  /** Which policy the deciding rule came from. */
  readonly policy?: string;
}

const globCache = new Map<string, RegExp>();
/** Does `name` match the glob (`*` any run of characters, `?` exactly one, the rest literal)? */
export const matchesGlob = (glob: string, name: string): boolean => {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
    if (globCache.size > 10_000) globCache.clear();
    globCache.set(glob, re);
  }
  return re.test(name);
};

const appliesTo = (rule: ToolRule, subject: CallSubject): boolean => {
  const s = rule.subjects;
  if (!s.roles.length && !s.groups.length && !s.users.length && !s.keys.length) return true;
  return (
    (subject.user !== undefined && s.users.includes(subject.user)) ||
    (subject.keyId !== undefined && s.keys.includes(subject.keyId)) ||
    s.groups.some((g) => subject.groups.includes(g)) ||
    s.roles.some((r) => subject.roles.includes(r))
  );
};

/**
 * Decides whether a caller may call a tool (by the name the caller sees), the same way wherever
 * it is asked: the proxy on every call, the control plane when simulating a policy change.
 *  1. A virtual key's own scope first: the tool must match its allow list and none of its denies.
 *  2. Deny rules that apply to the caller, from every policy: any match denies.
 *  3. Allow rules that apply to the caller: if there are any, the tool must match one (allow-list
 *     mode); if none apply, the tool is allowed by default.
 */
export const evaluateToolCall = (policies: readonly { name: string; document: PolicyDocument }[], subject: CallSubject, tool: string): ToolDecision => {
  if (subject.keyTools) {
    const { allow, deny } = subject.keyTools;
    if (!allow.some((g) => matchesGlob(g, tool)) || deny.some((g) => matchesGlob(g, tool))) {
      return { allowed: false, reason: 'key.tool_not_in_scope', ruleId: 'key-scope' };
    }
  }
  let allowRules = 0;
  let allowedBy: { rule: ToolRule; policy: string } | undefined;
  for (const { name, document } of policies) {
    for (const rule of document.toolRules) {
      if (!appliesTo(rule, subject)) continue;
      const matches = rule.tools.some((g) => matchesGlob(g, tool));
      if (rule.effect === 'deny' && matches) return { allowed: false, reason: 'policy.tool_denied', ruleId: rule.id, policy: name };
      if (rule.effect === 'allow') {
        allowRules += 1;
        if (matches) allowedBy ??= { rule, policy: name };
      }
    }
  }
  if (allowedBy) return { allowed: true, reason: 'policy.allowed', ruleId: allowedBy.rule.id, policy: allowedBy.policy };
  return allowRules > 0 ? { allowed: false, reason: 'policy.not_allowed' } : { allowed: true, reason: 'policy.default_allow' };
};
