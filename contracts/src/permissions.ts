import { z } from 'zod';

/**
 * The permission catalogue. Every GraphQL operation declares exactly one of these (or is public);
 * roles are sets of them. Adding a permission is a contract change: the permission snapshot test in
 * the control plane shows it in review.
 */
export const PERMISSIONS = [
  'platform:tenants:manage',
  'tenant:read',
  'tenant:update',
  'member:read',
  'member:manage',
  'role:read',
  'role:manage',
  /** The tenant's identity providers: whose OAuth access tokens its proxies accept. */
  'idp:read',
  'idp:manage',
  'server:read',
  'server:manage',
  'virtual-server:read',
  'virtual-server:manage',
  'key:read',
  'key:issue',
  'key:revoke',
  'policy:read',
  'policy:manage',
  'policy:simulate',
  'credential:read',
  'credential:manage',
  'service-account:manage',
  'rollout:read',
  'activity:read',
  'audit:read',
  'audit:verify',
  'exporter:read',
  'exporter:manage',
  'evidence:generate',
] as const;

/** One entry of the permission catalogue. */
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

/** Is `value` a permission of the catalogue? */
export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);
