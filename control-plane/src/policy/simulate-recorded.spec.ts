import { describe, expect, it } from 'vitest';
import { command, given, run, tenantCreated } from '../domain/test/given.js';
import { asSampleCall, simulateRecordedCalls, type RecordedCall } from './simulate-recorded.js';

describe(simulateRecordedCalls.name, () => {
  const tenant = given(tenantCreated);
  run(tenant, command({ type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'okta', group: 'devs' }, role: 'developer' } }));
  const { createdId: policyId } = run(tenant, command({ type: 'CreatePolicy', data: { name: 'default', document: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'] }] } } }));
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute));
  const calls: RecordedCall[] = [
    { eventId: 'e3', time: at(3), tool: 'gh__merge_pr', principal: { kind: 'oauth', issuer: 'https://idp', subject: 'alice', groups: ['devs'] }, outcome: 'allowed' },
    { eventId: 'e2', time: at(2), tool: 'gh__delete_repo', principal: { kind: 'oauth', issuer: 'https://idp', subject: 'alice', groups: ['devs'] }, outcome: 'denied' },
    { eventId: 'e1', time: at(1), tool: 'gh__merge_pr', principal: { kind: 'anonymous' }, outcome: 'failed' },
  ];

  it('answers which recorded calls a candidate flips, with totals both ways', () => {
    const candidate = { toolRules: [{ id: 'devs-no-merge', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*merge*'] }] };
    const sut = simulateRecordedCalls(tenant, policyId, candidate, calls);
    expect(sut).toMatchObject({ examined: 3, changed: 2, newlyDenied: 1, newlyAllowed: 1 });
    expect(sut.changes.map((c) => [c.eventId, c.before.allowed, c.after.allowed, c.before.ruleId, c.after.ruleId])).toEqual([
      ['e3', true, false, undefined, 'devs-no-merge'],
      ['e2', false, true, 'no-deletes', undefined],
    ]);
  });

  it('changes nothing when the candidate is the policy as it is', () => {
    const same = { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'] }] };
    expect(simulateRecordedCalls(tenant, policyId, same, calls)).toMatchObject({ examined: 3, changed: 0, changes: [] });
  });

  it('turns each recorded principal into the caller the proxies evaluated', () => {
    expect(asSampleCall({ ...calls[0]!, principal: { kind: 'virtual-key', keyId: 'vk_1', keyPrefix: 'mcpg_x' } })).toEqual({ tool: 'gh__merge_pr', groups: [], keyId: 'vk_1' });
    expect(asSampleCall(calls[0]!)).toEqual({ tool: 'gh__merge_pr', user: 'alice', groups: ['devs'] });
    expect(asSampleCall(calls[2]!)).toEqual({ tool: 'gh__merge_pr', groups: [] });
  });
});
