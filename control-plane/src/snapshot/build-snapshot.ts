import { createHash } from 'node:crypto';
import { PolicySnapshot, type SealedSecret, type VaultCiphertext } from '@mcpgate/contracts';
import type { TenantView } from '../domain/tenant-model.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Re-wraps a vaulted secret for one region (envelope encryption); see infra/crypto. Returns
 * undefined when it cannot (the secret is then left out of the snapshot and the caller alarms), so
 * one unreadable credential never holds back a tenant's other changes, such as a key revocation.
 */
export type SealForRegion = (credentialId: string, secret: VaultCiphertext, region: string) => SealedSecret | undefined;

export interface SnapshotInput {
  readonly tenant: TenantView;
  /** Log position the tenant's state was read at, `<partition>:<offset>`. */
  readonly logPosition: string;
  readonly builtAt: Date;
  readonly seal: SealForRegion;
}

const active = <S extends { status: string }>(map: ReadonlyMap<string, S>, status = 'active') => [...map.values()].filter((s) => s.status === status);
const byId = <T extends { id: string }>(items: T[]) => items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * Builds the policy snapshot a proxy serves a tenant from: a pure function of the tenant's state
 * (plus the sealing of secrets, whose randomness does not enter the content hash). Removed,
 * deleted and revoked things are left out; the content hash covers everything else, so two builds of
 * the same state have the same policy version whatever their time or sealing.
 */
export const buildSnapshot = ({ tenant, logPosition, builtAt, seal }: SnapshotInput): PolicySnapshot => {
  const t = tenant.tenant;
  if (t.status === 'absent') throw new Error(`tenant ${tenant.tenantId} does not exist`);
  const at = builtAt.getTime();
  const roleName = (role: string) => tenant.roles.get(role)?.name ?? role;

  const content = {
    schemaVersion: 1 as const,
    tenantId: tenant.tenantId,
    tenantSlug: t.slug,
    status: t.status,
    regions: [...t.regions],
    upstreams: byId(active(tenant.servers).map((s) => ({ id: s.serverId, config: s.config }))),
    virtualServers: byId(
      active(tenant.virtualServers).map((v) => ({
        id: v.virtualServerId,
        name: v.config.name,
        prefixMode: v.config.prefixMode,
        upstreams: v.config.upstreams,
        anonymousAccess: v.config.anonymousAccess,
      })),
    ),
    keys: byId(
      active(tenant.keys).map((k) => {
        const graceLeft = k.previousSecretHash && k.previousValidUntil && Date.parse(k.previousValidUntil) > at;
        return {
          id: k.keyId,
          prefix: k.keyPrefix,
          secretHashes: graceLeft ? [k.secretHash, k.previousSecretHash!] : [k.secretHash],
          scopes: k.scopes,
          ...(k.expiresAt ? { expiresAt: k.expiresAt } : {}),
          ...(graceLeft ? { previousSecretValidUntil: k.previousValidUntil } : {}),
        };
      }),
    ),
    roleBindings: active(tenant.bindings)
      .map((b) => ({ subject: b.subject, role: roleName(b.role) }))
      .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
    identityProviders: byId(
      active(tenant.identityProviders).map((p) => ({ id: p.identityProviderId, issuer: p.issuer, jwksUri: p.jwksUri, audiences: [...p.audiences], groupsClaim: p.groupsClaim })),
    ),
    policies: byId(active(tenant.policies).map((p) => ({ id: p.policyId, name: p.name, document: p.document }))),
  };

  const credentials = active(tenant.credentials)
    .filter((c) => c.secret)
    .sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
  const fingerprints = credentials.map((c) => ({ id: c.credentialId, secret: createHash('sha256').update(canonicalJson(c.secret)).digest('hex') }));
  const contentHash = createHash('sha256').update(canonicalJson({ content, fingerprints })).digest('hex');
  const secrets = credentials.flatMap((c) => t.regions.flatMap((region) => seal(c.credentialId, c.secret!, region) ?? []));

  return PolicySnapshot.parse({ ...content, version: { logPosition, contentHash }, builtAt: builtAt.toISOString(), secrets });
};
