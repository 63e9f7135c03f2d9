import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@mcpgate/contracts';

export const REQUIRED_PERMISSION = 'mcpgate:required-permission';
export const PUBLIC_OPERATION = 'mcpgate:public';

export interface PermissionRequirement {
  readonly permission: Permission;
  /**
   * `tenant` (default): checked in the tenant named by the `tenantId` argument (or `input.tenantId`).
   * `platform`: needs the permission everywhere (platform admins).
   * `any-tenant`: the caller holds it in at least one tenant; the resolver must scope its answer
   * to the caller's tenants.
   */
  readonly scope: 'tenant' | 'platform' | 'any-tenant';
}

/**
 * The one permission an operation needs. Every resolver method and controller route carries exactly
 * one of `@RequirePermission` or `@Public`; the global guard refuses anything else (fail closed),
 * and a test snapshots every declaration so that a diff is visibly a permission change.
 */
export const RequirePermission = (permission: Permission, scope: PermissionRequirement['scope'] = 'tenant') =>
  SetMetadata(REQUIRED_PERMISSION, { permission, scope } satisfies PermissionRequirement);

/** Reachable without a principal (health, login). Visible in the permission snapshot like the rest. */
export const Public = () => SetMetadata(PUBLIC_OPERATION, true);
