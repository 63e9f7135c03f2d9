import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { DisplayName, Region, Slug, TenantId, Timestamp } from '../ids.js';

/** A tenant came into being. `slug` is permanent (it appears in URLs); `displayName` can change. */
export const TenantCreated = eventSchema(
  'TenantCreated',
  z.object({ tenantId: TenantId, slug: Slug, displayName: DisplayName, regions: z.array(Region).min(1).max(50) }),
);
export const TenantRenamed = eventSchema('TenantRenamed', z.object({ displayName: DisplayName }));
export const TenantRegionsChanged = eventSchema('TenantRegionsChanged', z.object({ regions: z.array(Region).min(1).max(50) }));
/** Suspended tenants keep their data, but their proxies deny every call with reason `tenant.suspended`. */
export const TenantSuspended = eventSchema('TenantSuspended', z.object({ reason: z.string().min(1).max(500) }));
export const TenantReactivated = eventSchema('TenantReactivated', z.object({}));
/** Deletion stops service at once; history is kept until `retainUntil`, then purged by retention. */
export const TenantDeleted = eventSchema(
  'TenantDeleted',
  z.object({ reason: z.string().min(1).max(500), retainUntil: Timestamp }),
);

export const TenantEvent = z.discriminatedUnion('type', [
  TenantCreated,
  TenantRenamed,
  TenantRegionsChanged,
  TenantSuspended,
  TenantReactivated,
  TenantDeleted,
]);
export type TenantEvent = z.infer<typeof TenantEvent>;
