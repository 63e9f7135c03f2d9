import { BUILT_IN_ROLE_PERMISSIONS, type BuiltInRoleName, type Permission } from '@mcpgate/contracts';

export const permissionsOfRoles = (roles: readonly BuiltInRoleName[]): Set<Permission> => new Set(roles.flatMap((r) => BUILT_IN_ROLE_PERMISSIONS[r]));
