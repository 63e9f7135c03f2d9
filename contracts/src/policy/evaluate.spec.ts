import { describe, expect, it } from 'vitest';
import { evaluateToolCall, matchesGlob } from './evaluate.js';
import { PolicyDocument } from './policy-rules.js';

const policy = (name: string, toolRules: unknown[]) => ({ name, document: PolicyDocument.parse({ toolRules }) });
const developer = { groups: [], roles: ['developer'] };

describe(evaluateToolCall.name, () => {
  const policies = [
    policy('default', [
      { id: 'no-deletes', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*delete*'] },
      { id: 'read-only', effect: 'allow', subjects: { groups: ['auditors'] }, tools: ['*__get_*', '*__list_*'] },
    ]),
    policy('security', [{ id: 'no-secrets', effect: 'deny', subjects: {}, tools: ['vault__*'] }]),
  ];

  it('denies by the first matching deny rule, naming the rule and its policy', () => {
    expect(evaluateToolCall(policies, developer, 'github__delete_repo')).toEqual({ allowed: false, reason: 'policy.tool_denied', ruleId: 'no-deletes', policy: 'default' });
    expect(evaluateToolCall(policies, developer, 'vault__read')).toEqual({ allowed: false, reason: 'policy.tool_denied', ruleId: 'no-secrets', policy: 'security' });
  });

  it('allows by default when no allow rule applies to the caller', () => {
    expect(evaluateToolCall(policies, developer, 'github__create_issue')).toEqual({ allowed: true, reason: 'policy.default_allow' });
  });

  it('switches to allow-list mode for callers that allow rules apply to', () => {
    const auditor = { groups: ['auditors'], roles: [] };
    expect(evaluateToolCall(policies, auditor, 'github__get_issue')).toMatchObject({ allowed: true, ruleId: 'read-only' });
    expect(evaluateToolCall(policies, auditor, 'github__create_issue')).toEqual({ allowed: false, reason: 'policy.not_allowed' });
  });

  it('applies a virtual key’s own scope before any policy', () => {
    const key = { ...developer, keyId: 'vk_1', keyTools: { allow: ['github__*'], deny: ['github__merge_*'] } };
    expect(evaluateToolCall(policies, key, 'jira__get_issue')).toMatchObject({ allowed: false, reason: 'key.tool_not_in_scope', ruleId: 'key-scope' });
    expect(evaluateToolCall(policies, key, 'github__merge_pr')).toMatchObject({ allowed: false, reason: 'key.tool_not_in_scope' });
    expect(evaluateToolCall(policies, key, 'github__get_issue')).toMatchObject({ allowed: true });
  });

  it('matches rules to keys and users by id', () => {
    const rules = [policy('p', [{ id: 'k', effect: 'deny', subjects: { keys: ['vk_1'] }, tools: ['*'] }, { id: 'u', effect: 'deny', subjects: { users: ['mallory'] }, tools: ['*'] }])];
    expect(evaluateToolCall(rules, { groups: [], roles: [], keyId: 'vk_1' }, 'x').ruleId).toBe('k');
    expect(evaluateToolCall(rules, { groups: [], roles: [], user: 'mallory' }, 'x').ruleId).toBe('u');
    expect(evaluateToolCall(rules, { groups: [], roles: [], user: 'alice' }, 'x').allowed).toBe(true);
  });
});

describe(matchesGlob.name, () => {
  it.each([
    ['*', 'anything', true],
    ['github__*', 'github__create', true],
    ['github__*', 'gitlab__create', false],
    ['get_?', 'get_a', true],
    ['get_?', 'get_ab', false],
    ['a.b', 'aXb', false],
    ['a/b*', 'a/bc', true],
  ])('%s vs %s → %s', (glob, name, expected) => {
    expect(matchesGlob(glob, name)).toBe(expected);
  });
});
