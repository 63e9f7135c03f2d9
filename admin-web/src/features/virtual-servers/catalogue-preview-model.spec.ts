import { describe, expect, it } from 'vitest';
import { decideForSubject, previewCatalogue, toggleTool } from './catalogue-preview-model';

const github = { serverName: 'github', include: ['*'], tools: ['create_issue', 'search', 'delete_repo'] };
const jira = { serverName: 'jira', include: ['search', 'create_*'], tools: ['search', 'create_ticket', 'admin'] };

describe('previewCatalogue', () => {
  it('prefixes only shared names on collision, every name always, and shadows duplicates never', () => {
    expect(previewCatalogue('on-collision', [github, jira]).entries.map((e) => e.visibleName)).toEqual(['create_issue', 'github__search', 'delete_repo', 'jira__search', 'create_ticket']);
    expect(previewCatalogue('always', [github, jira]).entries.map((e) => e.visibleName)).toEqual(['github__create_issue', 'github__search', 'github__delete_repo', 'jira__search', 'jira__create_ticket']);
    const never = previewCatalogue('never', [github, jira]);
    expect(never.entries.map((e) => e.visibleName)).toEqual(['create_issue', 'search', 'delete_repo', 'create_ticket']);
    expect(never.shadowed).toEqual([{ visibleName: 'search', serverName: 'jira', originalName: 'search' }]);
  });
});

describe('decideForSubject', () => {
  const entries = previewCatalogue('always', [github]).entries;
  it("applies a key's own allow and deny globs", () => {
    const sut = decideForSubject(entries, { kind: 'key', keyId: 'k1', scopes: { tools: { allow: ['github__*'], deny: ['*delete*'] } } }, []);
    expect(sut.map((d) => [d.visibleName, d.allowed, d.reason])).toEqual([
      ['github__create_issue', true, 'policy.default_allow'],
      ['github__search', true, 'policy.default_allow'],
      ['github__delete_repo', false, 'key.tool_not_in_scope'],
    ]);
  });

  it('applies the policy rules that name the role, with the deciding rule', () => {
    const policies = [{ name: 'baseline', document: { toolRules: [{ id: 'no-search', effect: 'deny', subjects: { roles: ['viewer'] }, tools: ['*search'] }] } }];
    expect(decideForSubject(entries, { kind: 'role', role: 'viewer' }, policies).find((d) => d.visibleName === 'github__search')).toMatchObject({ allowed: false, reason: 'policy.tool_denied', ruleId: 'no-search' });
    expect(decideForSubject(entries, { kind: 'role', role: 'tenant-admin' }, policies).every((d) => d.allowed)).toBe(true);
  });
});

describe('toggleTool', () => {
  const catalogue = ['create_issue', 'search', 'delete_repo'];
  it('adds a ticked tool unless a pattern already covers it', () => {
    expect(toggleTool(['search'], 'create_issue', true, catalogue)).toEqual(['search', 'create_issue']);
    expect(toggleTool(['*'], 'search', true, catalogue)).toEqual(['*']);
  });
  it('removes an unticked name, and spells out a covering glob without it', () => {
    expect(toggleTool(['search', 'create_issue'], 'search', false, catalogue)).toEqual(['create_issue']);
    expect(toggleTool(['*'], 'delete_repo', false, catalogue)).toEqual(['create_issue', 'search']);
  });
});
