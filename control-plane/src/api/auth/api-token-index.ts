import type { LogApplier } from '../../core/log-applier.js';
import { hashKeySecret } from '../../core/ids.js';
import type { ApiTokenUsage } from './api-token-usage.js';
import type { Principal } from './principal.js';

interface Entry {
  readonly tenantId: string;
  readonly serviceAccountId: string;
  readonly tokenId: string;
}

/**
 * Finds the service account behind a bearer API token by the SHA-256 of the presented secret
 * (tokens are random, so a hash lookup needs no slow KDF and leaks no timing about the secret).
 * The index follows the applier: it is rebuilt when anything new has been applied.
 */
export class ApiTokenIndex {
  private builtAt = -1;
  private byHash = new Map<string, Entry>();

  constructor(
    private readonly applier: LogApplier,
    private readonly usage?: Pick<ApiTokenUsage, 'record'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  principalFor(secret: string): Principal | undefined {
    if (!secret.startsWith('mcpgsa_')) return undefined;
    if (this.builtAt !== this.applier.appliedCount) this.rebuild();
    const entry = this.byHash.get(hashKeySecret(secret));
    if (!entry) return undefined;
    const tenant = this.applier.tenant(entry.tenantId);
    const account = tenant?.serviceAccounts.get(entry.serviceAccountId);
    const token = account?.tokens.get(entry.tokenId);
    if (!tenant || tenant.tenant.status !== 'active' || account?.status !== 'active' || !token || token.revokedAt) return undefined;
    const now = this.now();
    if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) return undefined;
    this.usage?.record(entry, now);
    return {
      actor: { kind: 'service-account', serviceAccountId: account.serviceAccountId },
      groups: [],
      platform: new Set(),
      scopedTo: { tenantId: entry.tenantId, permissions: new Set(account.permissions) },
    };
  }

  private rebuild(): void {
    const next = new Map<string, Entry>();
    for (const tenantId of this.applier.tenantIds()) {
      for (const account of this.applier.tenant(tenantId)?.serviceAccounts.values() ?? []) {
        for (const token of account.tokens.values()) next.set(token.secretHash, { tenantId, serviceAccountId: account.serviceAccountId, tokenId: token.tokenId });
      }
    }
    this.builtAt = this.applier.appliedCount;
    this.byHash = next;
  }
}
