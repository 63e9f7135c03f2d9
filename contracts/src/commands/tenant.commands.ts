import { z } from 'zod';
import { DisplayName, Region, Slug, TenantId } from '../ids.js';
import { commandSchema } from './command.js';

export const CreateTenant = commandSchema('CreateTenant', z.object({ slug: Slug, displayName: DisplayName, regions: z.array(Region).min(1).max(50) }));
export const RenameTenant = commandSchema('RenameTenant', z.object({ tenantId: TenantId, displayName: DisplayName }));
export const ChangeTenantRegions = commandSchema('ChangeTenantRegions', z.object({ tenantId: TenantId, regions: z.array(Region).min(1).max(50) }));
export const SuspendTenant = commandSchema('SuspendTenant', z.object({ tenantId: TenantId, reason: z.string().trim().min(1).max(500) }));
export const ReactivateTenant = commandSchema('ReactivateTenant', z.object({ tenantId: TenantId }));
/** History is kept for `retentionDays` (default seven years), then purged by retention. */
export const DeleteTenant = commandSchema(
  'DeleteTenant',
  z.object({ tenantId: TenantId, reason: z.string().trim().min(1).max(500), retentionDays: z.number().int().min(0).max(36_500).default(2_557) }),
);

export const TenantCommand = z.discriminatedUnion('type', [CreateTenant, RenameTenant, ChangeTenantRegions, SuspendTenant, ReactivateTenant, DeleteTenant]);
export type TenantCommand = z.infer<typeof TenantCommand>;
