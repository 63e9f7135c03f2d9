import type { AccessCommand } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

const samePermissions = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

export const decideAccess = (command: AccessCommand, model: TenantView, ctx: CommandContext): Decision => {
  switch (command.type) {
    case 'CreateRole': {
      const roleId = ctx.newId('rol');
      return { streamId: streamOf('role', roleId), createdId: roleId, events: [{ type: 'RoleCreated', data: { roleId, ...command.data } }] };
    }
    case 'ChangeRolePermissions': {
      const { roleId, permissions, description } = command.data;
      const role = model.roles.get(roleId);
      if (role?.status !== 'active') throw notFound('role', roleId);
      const unchanged = samePermissions(role.permissions, permissions) && (description === undefined || description === role.description);
      return {
        streamId: streamOf('role', roleId),
        events: unchanged ? [] : [{ type: 'RolePermissionsChanged', data: { permissions, ...(description === undefined ? {} : { description }) } }],
      };
    }
    case 'DeleteRole': {
      const role = model.roles.get(command.data.roleId);
      if (!role) throw notFound('role', command.data.roleId);
      return { streamId: streamOf('role', role.roleId), events: role.status === 'deleted' ? [] : [{ type: 'RoleDeleted', data: {} }] };
    }
    case 'CreateRoleBinding': {
      const { subject, role } = command.data;
      const key = JSON.stringify(subject);
      const existing = [...model.bindings.values()].find((b) => b.status === 'active' && b.role === role && JSON.stringify(b.subject) === key);
      if (existing) return { streamId: streamOf('role-binding', existing.bindingId), createdId: existing.bindingId, events: [] };
      const bindingId = ctx.newId('rbd');
      return { streamId: streamOf('role-binding', bindingId), createdId: bindingId, events: [{ type: 'RoleBindingCreated', data: { bindingId, subject, role } }] };
    }
    case 'RemoveRoleBinding': {
      const binding = model.bindings.get(command.data.bindingId);
      if (!binding) throw notFound('role-binding', command.data.bindingId);
      return { streamId: streamOf('role-binding', binding.bindingId), events: binding.status === 'removed' ? [] : [{ type: 'RoleBindingRemoved', data: {} }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
