import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLE_PERMISSIONS, type BuiltInRoleName } from '@mcpgate/contracts';
import type { TenantView } from '../../../domain/tenant-model.js';
import type { TokenLastUse } from '../../access-use.js';
import type { KeyUsage } from '../../audit-query.js';
import { CsvWriter } from './csv-file.js';

/** One subject and what it holds: the rows of access-review.csv and the report's permissions table. */
export interface AccessEntry {
  readonly subjectKind: 'user' | 'group' | 'virtual-key' | 'service-account' | 'api-token';
  readonly subject: string;
  readonly role: string;
  readonly permissions: readonly string[];
  readonly status: string;
  readonly scopes: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: Date | null;
  readonly calls: number | null;
  readonly id: string;
}

const isBuiltIn = (role: string): role is BuiltInRoleName => (BUILT_IN_ROLE_NAMES as readonly string[]).includes(role);

/** Last use up to the end of the period, by kind of credential. */
export interface AccessUse {
  /** Virtual keys: from the audit trail. */
  readonly keys: ReadonlyMap<string, KeyUsage>;
  /** API tokens: counted by the API per day (`tokenLastUse`). */
  readonly tokens: ReadonlyMap<string, TokenLastUse>;
  /** Users' last sign-in, keyed `issuer subject` (`userLastSignIn`). */
  readonly users: ReadonlyMap<string, Date>;
}

/**
 * Who holds what in the tenant: role bindings of users and IdP groups with the role's permissions,
 * virtual keys with scopes, status, expiry and last use, service accounts and their tokens. Last
 * use, up to the end of the period: of keys from the audit trail (with their calls), of API tokens
 * from the API's daily counts (uses), of users their last sign-in to the console (empty when they
 * have signed in again since: only the latest sign-in is kept); groups and service accounts have
 * none of their own.
 */
export const accessEntries = (tenant: TenantView, use: AccessUse, now: Date): AccessEntry[] => {
  const entries: AccessEntry[] = [];
  const roleName = (role: string) => (isBuiltIn(role) ? role : (tenant.roles.get(role)?.name ?? role));
  const permissionsOf = (role: string): readonly string[] => (isBuiltIn(role) ? BUILT_IN_ROLE_PERMISSIONS[role] : (tenant.roles.get(role)?.permissions ?? []));
  for (const b of [...tenant.bindings.values()].sort((x, y) => x.bindingId.localeCompare(y.bindingId))) {
    const s = b.subject;
    entries.push({
      subjectKind: s.kind,
      subject: s.kind === 'user' ? `${s.issuer} ${s.subject}` : `${s.idpId} ${s.group}`,
      role: roleName(b.role),
      permissions: b.status === 'active' ? permissionsOf(b.role) : [],
      status: b.status,
      scopes: '',
      expiresAt: null,
      lastUsedAt: s.kind === 'user' ? (use.users.get(`${s.issuer} ${s.subject}`) ?? null) : null,
      calls: null,
      id: b.bindingId,
    });
  }
  for (const k of [...tenant.keys.values()].sort((x, y) => x.keyId.localeCompare(y.keyId))) {
    const used = use.keys.get(k.keyId);
    entries.push({
      subjectKind: 'virtual-key',
      subject: `${k.name} (${k.keyPrefix}…)`,
      role: '',
      permissions: [],
      status: k.status === 'active' && k.expiresAt && new Date(k.expiresAt) <= now ? 'expired' : k.status,
      scopes: JSON.stringify({ virtualServerIds: k.scopes.virtualServerIds, tools: k.scopes.tools }),
      expiresAt: k.expiresAt ?? null,
      lastUsedAt: used?.lastUsedAt ?? null,
      calls: used?.calls ?? 0,
      id: k.keyId,
    });
  }
  for (const a of [...tenant.serviceAccounts.values()].sort((x, y) => x.serviceAccountId.localeCompare(y.serviceAccountId))) {
    entries.push({ subjectKind: 'service-account', subject: a.name, role: '', permissions: a.permissions, status: a.status, scopes: '', expiresAt: null, lastUsedAt: null, calls: null, id: a.serviceAccountId });
    for (const t of [...a.tokens.values()].sort((x, y) => x.tokenId.localeCompare(y.tokenId))) {
      entries.push({
        subjectKind: 'api-token',
        subject: `${a.name} token ${t.tokenPrefix}…`,
        role: '',
        permissions: a.status === 'active' && !t.revokedAt ? a.permissions : [],
        status: t.revokedAt ? 'revoked' : t.expiresAt && new Date(t.expiresAt) <= now ? 'expired' : 'active',
        scopes: `service account ${a.serviceAccountId}`,
        expiresAt: t.expiresAt ?? null,
        lastUsedAt: use.tokens.get(t.tokenId)?.lastUsedAt ?? null,
        calls: use.tokens.get(t.tokenId)?.uses ?? null,
        id: t.tokenId,
      });
    }
  }
  return entries;
};

/** csv/access-review.csv */
export const accessReviewCsv = (entries: readonly AccessEntry[]): CsvWriter => {
  const csv = new CsvWriter(['subject_kind', 'subject', 'id', 'role', 'permissions', 'status', 'scopes', 'expires_at', 'last_used_at', 'calls_to_period_end']);
  for (const e of entries) csv.row([e.subjectKind, e.subject, e.id, e.role, e.permissions.join(' '), e.status, e.scopes, e.expiresAt, e.lastUsedAt, e.calls]);
  return csv;
};
