import { LruMap } from '../limits/lru-map.js';

/**
 * Upstream list results (tools, prompts, resources) cached per tenant, upstream endpoint and the
 * client capabilities they were listed under (an upstream's tools can depend on them), for a short
 * TTL; a `notifications/*\/list_changed` from the upstream drops them at once. Bounded (`LruMap`).
 */
export class ListCache<T> {
  private readonly entries: LruMap<string, { value: T; expires: number }>;

  constructor(
    private readonly options: { readonly ttlMs: number; readonly maxEntries: number },
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LruMap(options.maxEntries);
  }

  static key(tenantId: string, serverId: string, endpointId: string, list: string, variant: string): string {
    return `${tenantId}\u0000${serverId}\u0000${endpointId}\u0000${list}\u0000${variant}`;
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
  }

  /** Drops every cached list of one upstream server in one tenant (any endpoint, list or variant). */
  invalidate(tenantId: string, serverId: string, list?: string): void {
    const prefix = `${tenantId}\u0000${serverId}\u0000`;
    for (const [key] of this.entries.entries()) {
      if (!key.startsWith(prefix)) continue;
      if (list && key.split('\u0000')[3] !== list) continue;
      this.entries.delete(key);
    }
  }

  /** Every live entry of one list kind, with its key parts and when it was stored (for reports). */
  *entriesOf(list: string): Generator<{ tenantId: string; serverId: string; endpointId: string; value: T; storedAt: number }> {
    const now = this.now();
    for (const [key, entry] of this.entries.entries()) {
      if (entry.expires <= now) continue;
      const [tenantId, serverId, endpointId, kind] = key.split('\u0000');
      if (kind !== list || !tenantId || !serverId || !endpointId) continue;
      yield { tenantId, serverId, endpointId, value: entry.value, storedAt: entry.expires - this.options.ttlMs };
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
