import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { TenantModel } from '../tenant-model.js';
import { ADMIN, command, context, given, run, tenantCreated } from '../test/given.js';

const withBundle = (): TenantModel => {
  const model = given(tenantCreated);
  const ctx = context();
  run(model, command({ type: 'RegisterUpstreamServer', data: { config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://x.example/sse' }] } } } }), ctx);
  run(model, command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: 'srv_0000000001' }] } } }), ctx);
  return model;
};
const issue = (extra: Record<string, unknown> = {}) =>
  command({ type: 'IssueVirtualKey', data: { name: 'CI bot', scopes: { virtualServerIds: ['vsr_0000000001'] }, ...extra } });

describe('virtual key and policy deciders', () => {
  it('issues a key storing only the hash and prefix of its secret', () => {
    const sut = decide(issue({ expiresAt: '2027-01-01T00:00:00.000Z' }), withBundle(), context());
    expect(sut.events).toEqual([
      {
        type: 'VirtualKeyIssued',
        data: {
          keyId: 'vk_0000000001',
          name: 'CI bot',
          keyPrefix: 'mcpg_secret01',
          secretHash: '1'.repeat(64),
          scopes: { virtualServerIds: ['vsr_0000000001'], tools: { allow: ['*'], deny: [] }, rateLimits: [] },
          issuedBy: ADMIN,
          expiresAt: '2027-01-01T00:00:00.000Z',
        },
      },
    ]);
  });

  it('refuses keys for unknown virtual servers or already expired', () => {
    expect(() => decide(issue({ scopes: { virtualServerIds: ['vsr_0000000099'] } }), withBundle(), context())).toThrow(expect.objectContaining({ reason: 'virtual_server.not_found' }));
    expect(() => decide(issue({ expiresAt: '2020-01-01T00:00:00.000Z' }), withBundle(), context())).toThrow(expect.objectContaining({ reason: 'virtual_key.expiry_in_past' }));
  });

  it('never lets a key reach tools its issuer is denied: the key inherits the issuer’s denials', () => {
    const model = withBundle();
    const ctx = context({ actorGroups: ['contractors'] });
    run(model, command({ type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'okta', group: 'contractors' }, role: 'developer' } }), ctx);
    const rule = (id: string, roles: string[], tools: string[]) => ({ id, effect: 'deny', subjects: { roles }, tools });
    run(model, command({ type: 'CreatePolicy', data: { name: 'default', document: { toolRules: [rule('no-deletes', ['developer'], ['*delete*']), rule('admins-only', ['security-admin'], ['*secret*'])] } } }), ctx);
    const sut = decide(issue({ scopes: { virtualServerIds: ['vsr_0000000001'], tools: { allow: ['*'], deny: ['github__merge'] } } }), model, ctx);
    expect(sut.events[0]).toMatchObject({ data: { scopes: { tools: { allow: ['*'], deny: ['github__merge', '*delete*'] } } } });
  });

  it('rotates with an optional grace period and revokes idempotently; a revoked key cannot rotate', () => {
    const model = withBundle();
    const ctx = context();
    const { createdId } = run(model, issue(), ctx);
    expect(run(model, command({ type: 'RotateVirtualKey', data: { keyId: createdId, graceSeconds: 3600 } }), ctx).events).toEqual([
      { type: 'VirtualKeyRotated', data: { keyPrefix: 'mcpg_secret02', secretHash: '2'.repeat(64), previousValidUntil: '2026-11-25T11:00:00.000Z' } },
    ]);
    expect(model.keys.get(createdId!)).toMatchObject({ secretHash: '2'.repeat(64), previousSecretHash: '1'.repeat(64) });
    run(model, command({ type: 'RevokeVirtualKey', data: { keyId: createdId, reason: 'leaked' } }), ctx);
    expect(decide(command({ type: 'RevokeVirtualKey', data: { keyId: createdId, reason: 'again' } }), model, ctx).events).toEqual([]);
    expect(() => decide(command({ type: 'RotateVirtualKey', data: { keyId: createdId } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'virtual_key.revoked' }));
  });

  it('refuses to delete a virtual server that active keys still grant', () => {
    const model = withBundle();
    run(model, issue());
    expect(() => decide(command({ type: 'DeleteVirtualServer', data: { virtualServerId: 'vsr_0000000001' } }), model, context())).toThrow(
      expect.objectContaining({ reason: 'virtual_server.in_use' }),
    );
  });

  it('validates policies: unique names, unique rule ids, roles that exist; updates only on change', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const doc = { toolRules: [{ id: 'r1', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*'] }] };
    const { createdId } = run(model, command({ type: 'CreatePolicy', data: { name: 'default', document: doc } }), ctx);
    expect(() => decide(command({ type: 'CreatePolicy', data: { name: 'default', document: {} } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'policy.name_taken' }));
    const dup = { toolRules: [doc.toolRules[0], doc.toolRules[0]] };
    expect(() => decide(command({ type: 'UpdatePolicy', data: { policyId: createdId, document: dup } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'policy.duplicate_rule_id' }));
    const ghost = { toolRules: [{ id: 'r1', effect: 'deny', subjects: { roles: ['ghosts'] }, tools: ['*'] }] };
    expect(() => decide(command({ type: 'UpdatePolicy', data: { policyId: createdId, document: ghost } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'policy.unknown_role' }));
    expect(decide(command({ type: 'UpdatePolicy', data: { policyId: createdId, document: doc } }), model, ctx).events).toEqual([]);
  });
});
