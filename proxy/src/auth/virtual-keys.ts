import { createHash, timingSafeEqual } from 'node:crypto';
import type { SnapshotVirtualKey } from '@mcpgate/contracts';
import type { SnapshotStore, TenantSnapshot } from '../snapshots/snapshot-store.js';

export type KeyLookup =
  | { readonly ok: true; readonly tenant: TenantSnapshot; readonly key: SnapshotVirtualKey }
  | { readonly ok: false; readonly reason: 'auth.key_malformed' | 'auth.key_unknown' | 'auth.key_expired' | 'auth.tenant_inactive' };

const KEY_SHAPE = /^mcpg_[A-Za-z0-9]{8,200}$/;

/**
 * Finds the key a presented virtual key secret belongs to. Keys are indexed by their visible
 * prefix over every tenant's current snapshot (rebuilt when a snapshot is swapped in), the secret
 * is hashed and compared in constant time, expiry and the rotation grace period are checked on
 * every request, and a revoked key is simply absent from the next snapshot.
 */
export class VirtualKeyIndex {
  private byPrefix = new Map<string, { tenantId: string; key: SnapshotVirtualKey }[]>();
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
    const candidates = this.byPrefix.get(secret.slice(0, 13)) ?? [];
    const presented = createHash('sha256').update(secret, 'utf8').digest();
    for (const { tenantId, key } of candidates) {
      const tenant = this.store.current(tenantId);
      if (!tenant) continue;
      const matched = key.secretHashes.findIndex((hash) => timingSafeEqual(Buffer.from(hash, 'hex'), presented));
      if (matched < 0) continue;
      const now = this.now();
      if (key.expiresAt && Date.parse(key.expiresAt) <= now) return { ok: false, reason: 'auth.key_expired' };
      // the second hash is the previous secret, good only until the grace period ends
      if (matched === 1 && (!key.previousSecretValidUntil || Date.parse(key.previousSecretValidUntil) <= now)) return { ok: false, reason: 'auth.key_expired' };
      if (tenant.snapshot.status !== 'active') return { ok: false, reason: 'auth.tenant_inactive' };
      return { ok: true, tenant, key };
    }
    return { ok: false, reason: 'auth.key_unknown' };
  }

  private refresh(): void {
    const version = this.store.version;
    if (version === this.builtAt) return;
    const byPrefix = new Map<string, { tenantId: string; key: SnapshotVirtualKey }[]>();
    for (const tenantId of this.store.tenantIds()) {
      for (const key of this.store.current(tenantId)?.snapshot.keys ?? []) {
        const list = byPrefix.get(key.prefix) ?? [];
        list.push({ tenantId, key });
        byPrefix.set(key.prefix, list);
      }
    }
    this.byPrefix = byPrefix;
    this.builtAt = version;
  }
}
