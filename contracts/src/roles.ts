import { z } from 'zod';
import { PERMISSIONS, type Permission } from './permissions.js';

/** Names of the roles every tenant has; they cannot be changed or deleted. */
export const BUILT_IN_ROLE_NAMES = [
  'platform-admin',
  'tenant-admin',
  'security-admin',
  'compliance-auditor',
  'developer',
  'viewer',
] as const;
export const BuiltInRoleName = z.enum(BUILT_IN_ROLE_NAMES);
export type BuiltInRoleName = z.infer<typeof BuiltInRoleName>;

const READ: readonly Permission[] = [
  'tenant:read',
  'member:read',
  'role:read',
  'idp:read',
  'server:read',
  'virtual-server:read',
  'key:read',
  'policy:read',
  'credential:read',
  'rollout:read',
];
const TENANT_ALL: readonly Permission[] = PERMISSIONS.filter((p) => p !== 'platform:tenants:manage');

/**
 * What each built-in role may do. platform-admin is the only role that manages tenants
 * themselves; tenant-admin holds every permission inside its tenant.
 */
export const BUILT_IN_ROLE_PERMISSIONS: Readonly<Record<BuiltInRoleName, readonly Permission[]>> = {
  'platform-admin': PERMISSIONS,
  'tenant-admin': TENANT_ALL,
  'security-admin': [
    ...READ,
    'policy:manage',
    'policy:simulate',
    'key:revoke',
    'credential:manage',
    // which issuers' tokens the proxies trust is a security decision
    'idp:manage',
    'activity:read',
    'audit:read',
    'audit:verify',
    'exporter:read',
    'exporter:manage',
  ],
  'compliance-auditor': [...READ, 'activity:read', 'audit:read', 'audit:verify', 'exporter:read', 'evidence:generate'],
  developer: [...READ, 'key:issue', 'policy:simulate'],
  viewer: READ,
};
