import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { RoleBindingId, RoleId, Slug } from '../ids.js';
import { Permission } from '../permissions.js';

/** A custom role was defined from the permission catalogue (built-in roles are not events). */
export const RoleCreated = eventSchema(
  'RoleCreated',
  z.object({
    roleId: RoleId,
    name: Slug,
    description: z.string().max(500).default(''),
    permissions: z.array(Permission).min(1),
  }),
);
export const RolePermissionsChanged = eventSchema(
  'RolePermissionsChanged',
  z.object({ permissions: z.array(Permission).min(1), description: z.string().max(500).optional() }),
);
export const RoleDeleted = eventSchema('RoleDeleted', z.object({}));

export const RoleEvent = z.discriminatedUnion('type', [RoleCreated, RolePermissionsChanged, RoleDeleted]);
export type RoleEvent = z.infer<typeof RoleEvent>;

/** Who a binding grants a role to: one user (IdP subject) or every member of an IdP group. */
export const BindingSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), issuer: z.string().min(1).max(512), subject: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('group'), idpId: z.string().min(1).max(100), group: z.string().min(1).max(512) }),
]);
export type BindingSubject = z.infer<typeof BindingSubject>;

/** A user or IdP group was granted a role in the tenant. `role` is a built-in role name or a custom role id. */
export const RoleBindingCreated = eventSchema(
  'RoleBindingCreated',
  z.object({ bindingId: RoleBindingId, subject: BindingSubject, role: z.string().min(1).max(100) }),
);
export const RoleBindingRemoved = eventSchema('RoleBindingRemoved', z.object({}));

export const RoleBindingEvent = z.discriminatedUnion('type', [RoleBindingCreated, RoleBindingRemoved]);
export type RoleBindingEvent = z.infer<typeof RoleBindingEvent>;
