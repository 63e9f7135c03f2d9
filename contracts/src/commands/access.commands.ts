import { z } from 'zod';
import { BindingSubject } from '../events/role.events.js';
import { RoleBindingId, RoleId, Slug } from '../ids.js';
import { Permission } from '../permissions.js';
import { commandSchema } from './command.js';

export const CreateRole = commandSchema(
  'CreateRole',
  z.object({ name: Slug, description: z.string().max(500).default(''), permissions: z.array(Permission).min(1) }),
);
export const ChangeRolePermissions = commandSchema(
  'ChangeRolePermissions',
  z.object({ roleId: RoleId, permissions: z.array(Permission).min(1), description: z.string().max(500).optional() }),
);
export const DeleteRole = commandSchema('DeleteRole', z.object({ roleId: RoleId }));
/** `role` is a built-in role name or a custom role id. */
export const CreateRoleBinding = commandSchema('CreateRoleBinding', z.object({ subject: BindingSubject, role: z.string().min(1).max(100) }));
export const RemoveRoleBinding = commandSchema('RemoveRoleBinding', z.object({ bindingId: RoleBindingId }));

export const AccessCommand = z.discriminatedUnion('type', [CreateRole, ChangeRolePermissions, DeleteRole, CreateRoleBinding, RemoveRoleBinding]);
export type AccessCommand = z.infer<typeof AccessCommand>;
