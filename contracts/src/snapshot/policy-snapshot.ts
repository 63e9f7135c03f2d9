import { z } from 'zod';
import { KeyPrefix, VirtualKeyScopes } from '../events/virtual-key.events.js';
import { BindingSubject } from '../events/role.events.js';
import { UpstreamServerConfig } from '../events/upstream-server.events.js';
import { PrefixMode } from '../events/virtual-server.events.js';
import {
  CredentialId,
  PolicyId,
  Region,
  Sha256Hex,
  Slug,
  TenantId,
  Timestamp,
  UpstreamServerId,
  VirtualKeyId,
  VirtualServerId,
} from '../ids.js';
import { PolicyDocument, ToolGlob } from '../policy/policy-rules.js';

/**
 * The policy version that decided something: the log position the snapshot was built at plus the
 * SHA-256 of its canonical content. Every audit event carries it.
 */
export const PolicyVersion = z.object({
  logPosition: z.string().regex(/^\d+(:\d+)?$/, { message: 'must be <offset> or <partition>:<offset>' }),
  contentHash: Sha256Hex,
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

export const SnapshotVirtualServer = z.object({
  id: VirtualServerId,
  name: Slug,
  prefixMode: PrefixMode,
  /** Which tools of which upstream the bundle exposes, as globs over the upstream's own names. */
  upstreams: z.array(z.object({ serverId: UpstreamServerId, tools: z.array(ToolGlob).min(1) })).min(1),
  /** Anonymous access is insecure and off by default; snapshots carry it so proxies can flag it. */
  anonymousAccess: z.boolean(),
});
export type SnapshotVirtualServer = z.infer<typeof SnapshotVirtualServer>;

export const SnapshotVirtualKey = z.object({
  id: VirtualKeyId,
  prefix: KeyPrefix,
  /** SHA-256 of the secret; the proxy hashes the presented key and compares in constant time. */
  secretHashes: z.array(Sha256Hex).min(1).max(2),
  scopes: VirtualKeyScopes,
  expiresAt: Timestamp.optional(),
  /** Grace period of the previous secret after a rotation. */
  previousSecretValidUntil: Timestamp.optional(),
});
export type SnapshotVirtualKey = z.infer<typeof SnapshotVirtualKey>;

/** A secret sealed for one region: AES-256-GCM under a data key wrapped by the region's key. */
export const SealedSecret = z.object({
  credentialId: CredentialId,
  regionKeyId: z.string().min(1).max(100),
  wrappedDataKey: z.base64(),
  iv: z.base64(),
  ciphertext: z.base64(),
  authTag: z.base64(),
});
export type SealedSecret = z.infer<typeof SealedSecret>;

/** An OAuth 2.1 / OIDC issuer whose access tokens the tenant's proxies accept. */
export const SnapshotIdentityProvider = z.object({
  id: z.string().min(1).max(100),
  issuer: z.url(),
  jwksUri: z.url(),
  /** Accepted `aud` values: the proxy's resource indicators for this tenant. */
  audiences: z.array(z.string().min(1)).min(1),
  groupsClaim: z.string().min(1).max(100).default('groups'),
});

/**
 * Everything a proxy needs to serve one tenant, built by the control plane from the event log and
 * signed. Proxies never read anything else about a tenant.
 */
export const PolicySnapshot = z.object({
  schemaVersion: z.literal(1),
  tenantId: TenantId,
  tenantSlug: Slug,
  status: z.enum(['active', 'suspended', 'deleted']),
  version: PolicyVersion,
  builtAt: Timestamp,
  regions: z.array(Region),
  upstreams: z.array(z.object({ id: UpstreamServerId, config: UpstreamServerConfig })),
  virtualServers: z.array(SnapshotVirtualServer),
  keys: z.array(SnapshotVirtualKey),
  roleBindings: z.array(z.object({ subject: BindingSubject, role: z.string() })),
  identityProviders: z.array(SnapshotIdentityProvider),
  policies: z.array(z.object({ id: PolicyId, name: Slug, document: PolicyDocument })),
  /** Sealed credentials for the regions in `regions`; opened in memory only. */
  secrets: z.array(SealedSecret),
});
export type PolicySnapshot = z.infer<typeof PolicySnapshot>;

/**
 * What travels on `mcpgate.control.snapshots`: the canonical JSON of a snapshot and its Ed25519
 * signature. Proxies verify `signature` over the exact `payload` bytes before parsing them.
 */
export const SignedSnapshot = z.object({
  payload: z.string().min(2),
  signature: z.object({ alg: z.literal('Ed25519'), keyId: z.string().min(1).max(100), value: z.base64() }),
});
export type SignedSnapshot = z.infer<typeof SignedSnapshot>;
