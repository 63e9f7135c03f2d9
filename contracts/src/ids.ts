import { z } from 'zod';

/**
 * Identifiers are opaque strings chosen by the control plane: a short type prefix, an underscore,
 * and 10–64 URL-safe characters (for example `ten_01JD3X…`). The prefix makes a leaked id
 * self-describing in logs and lets a resolver reject an id of the wrong kind before any lookup.
 */
const prefixedId = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{10,64}$`), { message: `must be a ${prefix}_… identifier` });

/** Tenant id, `ten_…`. Every stream of a tenant is keyed by it. */
export const TenantId = prefixedId('ten');
export type TenantId = z.infer<typeof TenantId>;
/** Custom or built-in role id, `rol_…`. */
export const RoleId = prefixedId('rol');
export type RoleId = z.infer<typeof RoleId>;
/** Role binding id, `rbd_…`. */
export const RoleBindingId = prefixedId('rbd');
export type RoleBindingId = z.infer<typeof RoleBindingId>;
/** Virtual key id, `vk_…` (not the secret: the secret is never an id). */
export const VirtualKeyId = prefixedId('vk');
export type VirtualKeyId = z.infer<typeof VirtualKeyId>;
/** Upstream MCP server id, `srv_…`. */
export const UpstreamServerId = prefixedId('srv');
export type UpstreamServerId = z.infer<typeof UpstreamServerId>;
/** Virtual MCP server (tool bundle) id, `vsr_…`. */
export const VirtualServerId = prefixedId('vsr');
export type VirtualServerId = z.infer<typeof VirtualServerId>;
/** Policy id, `pol_…`. */
export const PolicyId = prefixedId('pol');
export type PolicyId = z.infer<typeof PolicyId>;
/** Vaulted credential id, `cred_…`. */
export const CredentialId = prefixedId('cred');
export type CredentialId = z.infer<typeof CredentialId>;
/** Service account id, `sa_…`. */
export const ServiceAccountId = prefixedId('sa');
export type ServiceAccountId = z.infer<typeof ServiceAccountId>;

/** A human-chosen name unique within its kind in a tenant: lowercase, digits and dashes, 1–63 chars. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash',
  });
export type Slug = z.infer<typeof Slug>;

/**
 * A tenant identity provider's id, chosen by the admin (`okta`, `entra`) and unique in the tenant.
 * Role bindings name it as a group's `idpId`: the same namespace as the admin-login providers' ids,
 * so one id can stand for one IdP in the console and at the proxies.
 */
export const IdentityProviderId = Slug;
export type IdentityProviderId = z.infer<typeof IdentityProviderId>;

/** A display name: trimmed, 1–200 characters. */
export const DisplayName = z.string().trim().min(1).max(200);

/** A region name such as `eu-west-1`. */
export const Region = Slug;
export type Region = z.infer<typeof Region>;

/** An RFC 3339 timestamp with an offset, as produced by `Date.prototype.toISOString()`. */
export const Timestamp = z.iso.datetime({ offset: true });
export type Timestamp = z.infer<typeof Timestamp>;

/** A lowercase hex SHA-256 digest. */
export const Sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, { message: 'must be a lowercase hex SHA-256 digest' });
export type Sha256Hex = z.infer<typeof Sha256Hex>;
