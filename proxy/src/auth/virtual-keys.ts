import { hash } from 'node:crypto';
import type { SnapshotVirtualKey } from '@mcpgate/contracts';
import type { SnapshotStore, TenantSnapshot } from '../snapshots/snapshot-store.js';

export type KeyLookup =
  | { readonly ok: true; readonly tenant: TenantSnapshot; readonly key: SnapshotVirtualKey }
  | { readonly ok: false; readonly reason: 'auth.key_malformed' | 'auth.key_unknown' | 'auth.key_expired' | 'auth.tenant_inactive' };

const KEY_SHAPE = /^mcpg_[A-Za-z0-9]{8,200}$/;

/**
 * Finds the key a presented virtual key secret belongs to. Keys are indexed by the SHA-256 of
 * their secrets (current and, during a rotation's grace period, previous: a rotated secret has a
 * new visible prefix, so the prefix cannot be the index) over every tenant's current snapshot,
 * rebuilt when a snapshot is swapped in. Only hashes are held; looking a hash up reveals nothing
 * an attacker could steer towards a secret. Expiry and the grace period are checked on every
 * request, and a revoked key is simply absent from the next snapshot.
 */
export class VirtualKeyIndex {
  private byHash = new Map<string, { tenantId: string; key: SnapshotVirtualKey; previous: boolean }>();
  private builtAt = -1;

  constructor(
    private readonly store: SnapshotStore,
    private readonly now: () => number = Date.now,
  ) {}

  static looksLikeKey(token: string): boolean {
    return token.startsWith('mcpg_');
  }

  lookup(secret: string): KeyLookup {
    if (!KEY_SHAPE.test(secret)) return { ok: false, reason: 'auth.key_malformed' };
    this.refresh();
    const found = this.byHash.get(hash('sha256', secret, 'hex'));
    const tenant = found ? this.store.current(found.tenantId) : undefined;
    if (!found || !tenant) return { ok: false, reason: 'auth.key_unknown' };
    const { key } = found;
    const now = this.now();
    if (key.expiresAt && Date.parse(key.expiresAt) <= now) return { ok: false, reason: 'auth.key_expired' };
    // the previous secret of a rotated key is good only until the grace period ends
    if (found.previous && (!key.previousSecretValidUntil || Date.parse(key.previousSecretValidUntil) <= now)) return { ok: false, reason: 'auth.key_expired' };
    if (tenant.snapshot.status !== 'active') return { ok: false, reason: 'auth.tenant_inactive' };
    return { ok: true, tenant, key };
  }

  private refresh(): void {
    const version = this.store.version;
    if (version === this.builtAt) return;
    const byHash = new Map<string, { tenantId: string; key: SnapshotVirtualKey; previous: boolean }>();
    for (const tenantId of this.store.tenantIds()) {
      for (const key of this.store.current(tenantId)?.snapshot.keys ?? []) {
        key.secretHashes.forEach((hash, position) => byHash.set(hash, { tenantId, key, previous: position > 0 }));
      }
    }
    this.byHash = byHash;
    this.builtAt = version;
  }
}
