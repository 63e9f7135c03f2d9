import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLE_PERMISSIONS, type Actor, type Permission } from '@mcpgate/contracts';
import type { TenantView } from '../../domain/tenant-model.js';

/** Who is calling, as a session or an API token established it. */
export interface Principal {
  readonly actor: Actor;
  /** The identity provider that vouched for the user, and the groups it reported. */
  readonly idpId?: string;
  readonly groups: readonly string[];
  /** Permissions that hold in every tenant (platform admins). */
  readonly platform: ReadonlySet<Permission>;
  /** A service account acts in one tenant only, with exactly the permissions it was given. */
  readonly scopedTo?: { readonly tenantId: string; readonly permissions: ReadonlySet<Permission> };
}

const isBuiltIn = (role: string): role is (typeof BUILT_IN_ROLE_NAMES)[number] => (BUILT_IN_ROLE_NAMES as readonly string[]).includes(role);

/**
 * What a principal may do in one tenant: the union of the roles bound to them there, directly
 * (user bindings) or through an IdP group, plus their platform-wide permissions.
 */
export const permissionsIn = (principal: Principal, tenant: TenantView | undefined): Set<Permission> => {
  const granted = new Set(principal.platform);
  if (principal.scopedTo) return tenant?.tenantId === principal.scopedTo.tenantId ? new Set(principal.scopedTo.permissions) : granted;
  if (!tenant || principal.actor.kind !== 'user' || tenant.tenant.status === 'absent' || tenant.tenant.status === 'deleted') return granted;
  const { issuer, subject } = principal.actor;
  for (const binding of tenant.bindings.values()) {
    if (binding.status !== 'active') continue;
    const s = binding.subject;
    const matches = s.kind === 'user' ? s.issuer === issuer && s.subject === subject : s.idpId === principal.idpId && principal.groups.includes(s.group);
    if (!matches) continue;
    const permissions = isBuiltIn(binding.role) ? BUILT_IN_ROLE_PERMISSIONS[binding.role] : tenant.roles.get(binding.role)?.status === 'active' ? tenant.roles.get(binding.role)!.permissions : [];
    for (const p of permissions) granted.add(p);
  }
  return granted;
};
