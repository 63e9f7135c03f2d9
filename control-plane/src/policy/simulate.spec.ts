import { describe, expect, it } from 'vitest';
import { command, given, run, tenantCreated } from '../domain/test/given.js';
import { SampleCall, simulatePolicyChange } from './simulate.js';

describe(simulatePolicyChange.name, () => {
  const tenant = given(tenantCreated);
  run(tenant, command({ type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'okta', group: 'devs' }, role: 'developer' } }));
  const { createdId: policyId } = run(tenant, command({ type: 'CreatePolicy', data: { name: 'default', document: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*delete*'] }] } } }));
  const calls = [
    { tool: 'github__delete_repo', groups: ['devs'] },
    { tool: 'github__merge_pr', groups: ['devs'] },
    { tool: 'github__merge_pr', groups: ['admins'] },
  ].map((c) => SampleCall.parse(c));

  it('shows which calls a stricter policy would newly deny, with the deciding rule', () => {
    const stricter = { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*delete*', '*merge*'] }] };
    const sut = simulatePolicyChange(tenant, policyId, stricter, calls);
    expect(sut.map((s) => [s.call.tool, s.call.groups[0], s.before.allowed, s.after.allowed, s.changed])).toEqual([
      ['github__delete_repo', 'devs', false, false, false],
      ['github__merge_pr', 'devs', true, false, true],
      ['github__merge_pr', 'admins', true, true, false],
    ]);
    expect(sut[1]?.after).toMatchObject({ reason: 'policy.tool_denied', ruleId: 'no-deletes' });
  });

  it('adds a candidate as a new policy when no policy id is given', () => {
    const sut = simulatePolicyChange(tenant, undefined, { toolRules: [{ id: 'freeze', effect: 'deny', subjects: {}, tools: ['*'] }] }, calls);
    expect(sut.every((s) => !s.after.allowed)).toBe(true);
    expect(sut.filter((s) => s.changed)).toHaveLength(2);
    expect(sut[0]).toMatchObject({ changed: false, decidedByOtherRule: true, after: { ruleId: 'freeze' } });
  });

  it('refuses an invalid candidate with the schema’s error', () => {
    expect(() => simulatePolicyChange(tenant, policyId, { toolRules: [{ id: 'x', effect: 'maybe', subjects: {}, tools: ['*'] }] }, calls)).toThrow();
  });
});
