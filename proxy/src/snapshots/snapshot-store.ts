import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';
import { openSealedSecret } from './open-secret.js';
import { trustedKeys, verifySnapshot } from './verify-snapshot.js';

/** One tenant's policy as this proxy serves it. Immutable: an update replaces the whole object. */
export interface TenantSnapshot {
  readonly snapshot: PolicySnapshot;
  /** The record as received and verified; what is kept on disk (secrets stay sealed there). */
  readonly signed: SignedSnapshot;
  readonly receivedAt: Date;
  readonly source: 'kafka' | 'disk' | 'memory';
  /** Credential secrets sealed for this region, opened in memory only: credentialId → secret. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Credentials this region could not open (wrong key, damaged): calls needing them fail clearly. */
  readonly unopenedSecrets: readonly string[];
}

export type OfferResult = { readonly accepted: true } | { readonly accepted: false; readonly reason: string; readonly message: string };

export interface SnapshotStoreOptions {
  /** Where the last good snapshot of each tenant is kept, to start without Kafka. */
  readonly dir: string;
  readonly region: string;
  /** Trusted snapshot signing keys: key id → Ed25519 public key (PEM). */
  readonly trustedSigningKeys: ReadonlyMap<string, string>;
  /** This region's key for sealed secrets. */
  readonly regionKey: { readonly keyId: string; readonly privateKeyPem: string };
  readonly now?: () => Date;
  readonly onRejected?: (tenantId: string, reason: string, message: string) => void;
}

const offsetOf = (position: string) => BigInt(position.includes(':') ? position.split(':')[1]! : position);
const fileOf = (tenantId: string) => `${tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;

/**
 * The proxy's view of every tenant: verified snapshots swapped in atomically (readers keep the
 * object they took, a new one replaces it whole), the last good one of each tenant kept on disk so
 * the proxy starts and serves when Kafka or the control plane is down (static stability). A bad
 * snapshot is refused and the last good one stays.
 */
export class SnapshotStore {
  private readonly snapshots = new Map<string, TenantSnapshot>();
  private readonly trusted: ReadonlyMap<string, KeyObject>;
  private readonly regionKey: KeyObject;
  private readonly now: () => Date;
  readonly rejected = new Map<string, number>();
  accepted = 0;
  private changes = 0;

  private constructor(private readonly options: SnapshotStoreOptions) {
    this.trusted = trustedKeys(options.trustedSigningKeys);
    this.regionKey = createPrivateKey(options.regionKey.privateKeyPem);
    this.now = options.now ?? (() => new Date());
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  }

  /** Opens the store and loads (and verifies again) every snapshot kept on disk. */
  static open(options: SnapshotStoreOptions): SnapshotStore {
    const store = new SnapshotStore(options);
    for (const file of readdirSync(options.dir).filter((f) => f.endsWith('.json'))) {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(join(options.dir, file), 'utf8'));
      } catch {
        store.reject(file, 'snapshot.invalid', `kept snapshot ${file} is not JSON`);
        continue;
      }
      store.accept(undefined, raw, 'disk', false);
    }
    return store;
  }

  current(tenantId: string): TenantSnapshot | undefined {
    return this.snapshots.get(tenantId);
  }

  tenantIds(): string[] {
    return [...this.snapshots.keys()];
  }

  /** Grows whenever a tenant's snapshot is swapped in or dropped: indexes over the store rebuild on a change. */
  get version(): number {
    return this.changes;
  }

  /** The tenant a `/t/<slug>/…` route names. */
  bySlug(slug: string): TenantSnapshot | undefined {
    for (const tenant of this.snapshots.values()) if (tenant.snapshot.tenantSlug === slug) return tenant;
    return undefined;
  }

  /** Offers a record from the snapshot topic (`key` = tenant id) or the in-process channel. */
  offer(key: string, raw: unknown, source: 'kafka' | 'memory'): OfferResult {
    return this.accept(key, raw, source, true);
  }

  /** Version and age of each tenant's snapshot, for /status and metrics. */
  status() {
    const now = this.now().getTime();
    return {
      region: this.options.region,
      accepted: this.accepted,
      rejected: Object.fromEntries(this.rejected),
      tenants: [...this.snapshots.values()].map((t) => ({
        tenantId: t.snapshot.tenantId,
        tenantSlug: t.snapshot.tenantSlug,
        status: t.snapshot.status,
        version: t.snapshot.version,
        builtAt: t.snapshot.builtAt,
        receivedAt: t.receivedAt.toISOString(),
        ageSeconds: Math.round((now - Date.parse(t.snapshot.builtAt)) / 1000),
        source: t.source,
        unopenedSecrets: t.unopenedSecrets,
      })),
    };
  }

  private accept(key: string | undefined, raw: unknown, source: TenantSnapshot['source'], persist: boolean): OfferResult {
    const verified = verifySnapshot(raw, this.trusted);
    if (!verified.ok) return this.reject(key ?? 'unknown', verified.reason, verified.message);
    const snapshot = verified.snapshot;
    if (key !== undefined && key !== snapshot.tenantId) return this.reject(key, 'snapshot.wrong_tenant', `record key ${key} carries tenant ${snapshot.tenantId}`);
    const previous = this.snapshots.get(snapshot.tenantId);
    if (!snapshot.regions.includes(this.options.region)) {
      // not served in this region (or no longer): forget it, without an alarm
      if (previous && offsetOf(previous.snapshot.version.logPosition) < offsetOf(snapshot.version.logPosition)) {
        this.snapshots.delete(snapshot.tenantId);
        this.changes += 1;
        rmSync(join(this.options.dir, fileOf(snapshot.tenantId)), { force: true });
      }
      return { accepted: false, reason: 'snapshot.not_served_here', message: `tenant ${snapshot.tenantSlug} is not served in ${this.options.region}` };
    }
    if (previous && offsetOf(previous.snapshot.version.logPosition) >= offsetOf(snapshot.version.logPosition)) {
      return previous.snapshot.version.contentHash === snapshot.version.contentHash
        ? { accepted: true }
        : this.reject(snapshot.tenantId, 'snapshot.stale', `version ${snapshot.version.logPosition} is older than ${previous.snapshot.version.logPosition}`);
    }
    const secrets = new Map<string, string>();
    const unopenedSecrets: string[] = [];
    for (const sealed of snapshot.secrets.filter((s) => s.regionKeyId === this.options.regionKey.keyId)) {
      try {
        secrets.set(sealed.credentialId, openSealedSecret(sealed, this.regionKey));
      } catch {
        unopenedSecrets.push(sealed.credentialId);
      }
    }
    const signed = raw as SignedSnapshot;
    if (persist) this.persist(snapshot.tenantId, signed);
    this.snapshots.set(snapshot.tenantId, { snapshot, signed, receivedAt: this.now(), source, secrets, unopenedSecrets });
    this.accepted += 1;
    this.changes += 1;
    return { accepted: true };
  }

  private reject(tenantId: string, reason: string, message: string): OfferResult {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.options.onRejected?.(tenantId, reason, message);
    return { accepted: false, reason, message };
  }

  /** Write to a temporary file, fsync, rename: a crash leaves the old or the new file, never half. */
  private persist(tenantId: string, signed: SignedSnapshot): void {
    const target = join(this.options.dir, fileOf(tenantId));
    const temp = `${target}.tmp`;
    writeFileSync(temp, JSON.stringify(signed), { mode: 0o600 });
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    rmSync(`${target}.tmp`, { force: true });
  }
}
