import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { command, context, given, run, tenantCreated } from '../test/given.js';

const group = { kind: 'group', idpId: 'okta', group: 'mcp-admins' } as const;

describe('role and role binding deciders', () => {
  it('creates a custom role and refuses built-in or taken names', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const created = run(model, command({ type: 'CreateRole', data: { name: 'key-manager', permissions: ['key:read', 'key:issue'] } }), ctx);
    expect(created.events).toEqual([{ type: 'RoleCreated', data: { roleId: 'rol_0000000001', name: 'key-manager', description: '', permissions: ['key:read', 'key:issue'] } }]);
    expect(() => decide(command({ type: 'CreateRole', data: { name: 'key-manager', permissions: ['key:read'] } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'role.name_taken' }));
    expect(() => decide(command({ type: 'CreateRole', data: { name: 'viewer', permissions: ['key:read'] } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'role.name_reserved' }));
  });

  it('rejects permissions outside the catalogue at the command boundary', () => {
    expect(() => command({ type: 'CreateRole', data: { name: 'x', permissions: ['root:everything'] } })).toThrow();
  });

  it('binds groups to built-in or custom roles, idempotently, and only to roles that exist', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const bound = run(model, command({ type: 'CreateRoleBinding', data: { subject: group, role: 'tenant-admin' } }), ctx);
    expect(bound.events).toHaveLength(1);
    const again = decide(command({ type: 'CreateRoleBinding', data: { subject: group, role: 'tenant-admin' } }), model, ctx);
    expect(again).toMatchObject({ createdId: bound.createdId, events: [] });
    expect(() => decide(command({ type: 'CreateRoleBinding', data: { subject: group, role: 'rol_0000000042' } }), model, ctx)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'role.not_found' }),
    );
  });

  it('refuses to delete a role that is still bound, and deletes it once unbound', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const role = run(model, command({ type: 'CreateRole', data: { name: 'auditors', permissions: ['audit:read'] } }), ctx);
    const binding = run(model, command({ type: 'CreateRoleBinding', data: { subject: group, role: role.createdId } }), ctx);
    expect(() => decide(command({ type: 'DeleteRole', data: { roleId: role.createdId } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'role.in_use' }));
    run(model, command({ type: 'RemoveRoleBinding', data: { bindingId: binding.createdId } }), ctx);
    expect(run(model, command({ type: 'DeleteRole', data: { roleId: role.createdId } }), ctx).events).toEqual([{ type: 'RoleDeleted', data: {} }]);
    expect(decide(command({ type: 'DeleteRole', data: { roleId: role.createdId } }), model, ctx).events).toEqual([]);
  });
});
