import type { AuditEvent } from '@mcpgate/contracts';

/**
 * One record of a tenant's audit trail as the exporters read it: the stored event (validated when
 * the sink admitted it), its place in the tenant's chain and its chain hash, so a receiver can
 * check order and completeness (`seq` is gapless per tenant) and match records to the trail.
 */
export interface ExportRecord {
  readonly tenantId: string;
  readonly seq: number;
  /** Hex SHA-256 of the record in the tenant's hash chain (src/audit/README.md). */
  readonly hash: string;
  readonly event: AuditEvent;
}

/** The `mcpgate` JSON form of a record (webhook, files): the event, its seq and chain hash. */
export const nativeJson = (record: ExportRecord) => ({ schema: 'mcpgate.audit/v1', tenantId: record.tenantId, seq: record.seq, hash: record.hash, event: record.event });

/** Who acted, as one printable name: a virtual key id, an OAuth subject, an admin actor, or `anonymous`. Never a secret. */
export const principalName = (event: AuditEvent): string => {
  const p = event.principal as { kind: string; keyId?: string; subject?: string; actor?: { kind: string; subject?: string; serviceAccountId?: string; component?: string } };
  switch (p.kind) {
    case 'virtual-key':
      return p.keyId ?? 'virtual-key';
    case 'oauth':
      return p.subject ?? 'oauth';
    case 'admin':
      return p.actor?.subject ?? p.actor?.serviceAccountId ?? p.actor?.component ?? 'admin';
    default:
      return p.kind;
  }
};

/** The issuer (domain) of an OAuth or admin user principal, when there is one. */
export const principalDomain = (event: AuditEvent): string | undefined => {
  const p = event.principal as { kind: string; issuer?: string; actor?: { issuer?: string } };
  return p.kind === 'oauth' ? p.issuer : p.kind === 'admin' ? p.actor?.issuer : undefined;
};

export const isAdminRecord = (event: AuditEvent): boolean => (event as { kind?: string }).kind === 'admin';

/** Seconds since the epoch with milliseconds, as Splunk's `time` wants it. */
export const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** A policy version as one token: `<log position>@<content hash>` (e.g. `0:1234@9f2c…`). */
export const policyVersionText = (event: AuditEvent): string => `${event.policyVersion.logPosition}@${event.policyVersion.contentHash}`;
