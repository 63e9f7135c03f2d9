import { AGGREGATE_OF_EVENT, type BindingSubject, type ControlEvent } from '@mcpgate/contracts';
import type { LogPosition } from '../event-log/event-log.port.js';
import type { StateChange } from './stream-states.js';
import { isoTimeText } from '../core/iso-time.js';

export type ReadModelTable =
  | 'tenant'
  | 'role'
  | 'roleBinding'
  | 'upstreamServer'
  | 'virtualServer'
  | 'virtualKey'
  | 'policy'
  | 'credential'
  | 'serviceAccount'
  | 'apiToken'
  | 'identityProvider';

/**
 * One change to the read models, as data. `create` inserts a row unless its id exists; `update`
 * only touches a row whose version is below the event's, so applying an event twice changes
 * nothing; `activity` records the event in the admin activity history (once per event id).
 */
export type RowChange =
  | { readonly kind: 'create'; readonly table: ReadModelTable; readonly row: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'update';
      readonly table: ReadModelTable;
      readonly id: string;
      readonly version: number;
      readonly set: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'activity'; readonly row: Readonly<Record<string, unknown>> };

/** Sealed secrets, key and token hashes (current and during a rotation's grace), per-user sealed secrets. */
const SECRET_FIELDS = new Set(['secret', 'secretHash', 'previousSecretHash', 'perUser']);

/**
 * A copy of `value` as the activity history shows it: sealed secrets and key hashes replaced, Maps
 * turned into plain objects (aggregate states hold some). Written as loops: it runs for every
 * event of a replay, and this is several times faster than `Object.fromEntries(Object.entries())`.
 */
export const redact = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redact);
  const out: Record<string, unknown> = {};
  if (value instanceof Map) {
    for (const [k, v] of value) out[String(k)] = SECRET_FIELDS.has(String(k)) ? '[redacted]' : redact(v);
    return out;
  }
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : redact(v);
  }
  return out;
};

const subjectKey = (s: BindingSubject) => (s.kind === 'user' ? `${s.issuer} ${s.subject}` : `${s.idpId} ${s.group}`);

/**
 * Translates one applied event into read-model changes: a pure function, tested with golden files
 * (testdata/*.in.json → *.out.json). The projector executes the changes in one transaction with
 * its checkpoint. `states` is the stream's state around the event (already redacted, from
 * `StreamStates`), kept in the activity row.
 */
export const projectEvent = (event: ControlEvent, position: LogPosition, states?: StateChange): RowChange[] => {
  const { tenantId, streamId, streamVersion: version, time } = event.metadata;
  // times travel as toISOString text (UTC), which both writers store as they are: a Date would be
  // written back to that same text for every row, at about a microsecond each
  const at = isoTimeText(time);
  const id = streamId.slice(AGGREGATE_OF_EVENT[event.type].length + 1);
  const stamps = { version, createdAt: at, updatedAt: at };
  const update = (table: ReadModelTable, set: Record<string, unknown>): RowChange => ({ kind: 'update', table, id, version, set: { ...set, updatedAt: at } });
  const activity: RowChange = {
    kind: 'activity',
    row: {
      eventId: event.metadata.eventId,
      tenantId,
      streamId,
      streamVersion: version,
      type: event.type,
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      time: at,
      data: redact(event.data),
      before: states?.before ?? null,
      after: states?.after ?? null,
      logPartition: position.partition,
      logOffset: position.offset,
    },
  };
  const changes = ((): RowChange[] => {
    switch (event.type) {
      case 'TenantCreated': {
        const { tenantId: tid, slug, displayName, regions } = event.data;
        return [{ kind: 'create', table: 'tenant', row: { id: tid, slug, displayName, regions, status: 'active', ...stamps } }];
      }
      case 'TenantRenamed':
        return [update('tenant', { displayName: event.data.displayName })];
      case 'TenantRegionsChanged':
        return [update('tenant', { regions: event.data.regions })];
      case 'TenantSuspended':
        return [update('tenant', { status: 'suspended', suspendedReason: event.data.reason })];
      case 'TenantReactivated':
        return [update('tenant', { status: 'active', suspendedReason: null })];
      case 'TenantDeleted':
        return [update('tenant', { status: 'deleted', retainUntil: isoTimeText(event.data.retainUntil) })];
      case 'RoleCreated': {
        const { roleId, name, description, permissions } = event.data;
        return [{ kind: 'create', table: 'role', row: { id: roleId, tenantId, name, description, permissions, status: 'active', ...stamps } }];
      }
      case 'RolePermissionsChanged':
        return [update('role', { permissions: event.data.permissions, ...(event.data.description === undefined ? {} : { description: event.data.description }) })];
      case 'RoleDeleted':
        return [update('role', { status: 'deleted' })];
      case 'RoleBindingCreated': {
        const { bindingId, subject, role } = event.data;
        return [
          { kind: 'create', table: 'roleBinding', row: { id: bindingId, tenantId, subjectKind: subject.kind, subjectKey: subjectKey(subject), subject, role, status: 'active', ...stamps } },
        ];
      }
      case 'RoleBindingRemoved':
        return [update('roleBinding', { status: 'removed' })];
      case 'UpstreamServerRegistered':
      case 'UpstreamServerReconfigured': {
        const { config } = event.data;
        const fields = {
          name: config.name,
          transport: config.connection.transport,
          credentialId: config.credential?.credentialId ?? null,
          regions: config.regions,
          tags: config.tags,
          config,
        };
        return event.type === 'UpstreamServerRegistered'
          ? [{ kind: 'create', table: 'upstreamServer', row: { id: event.data.serverId, tenantId, ...fields, status: 'active', ...stamps } }]
          : [update('upstreamServer', fields)];
      }
      case 'UpstreamServerRemoved':
        return [update('upstreamServer', { status: 'removed' })];
      case 'VirtualServerCreated':
      case 'VirtualServerReconfigured': {
        const { config } = event.data;
        const fields = {
          name: config.name,
          prefixMode: config.prefixMode,
          anonymousAccess: config.anonymousAccess,
          serverIds: config.upstreams.map((u) => u.serverId),
          config,
        };
        return event.type === 'VirtualServerCreated'
          ? [{ kind: 'create', table: 'virtualServer', row: { id: event.data.virtualServerId, tenantId, ...fields, status: 'active', ...stamps } }]
          : [update('virtualServer', fields)];
      }
      case 'VirtualServerDeleted':
        return [update('virtualServer', { status: 'deleted' })];
      case 'VirtualKeyIssued': {
        const { keyId, name, keyPrefix, scopes, issuedBy, expiresAt } = event.data;
        return [
          {
            kind: 'create',
            table: 'virtualKey',
            row: { id: keyId, tenantId, name, keyPrefix, virtualServerIds: scopes.virtualServerIds, scopes, issuedBy, expiresAt: expiresAt ? isoTimeText(expiresAt) : null, status: 'active', ...stamps },
          },
        ];
      }
      case 'VirtualKeyRotated':
        return [update('virtualKey', { keyPrefix: event.data.keyPrefix, rotatedAt: at })];
      case 'VirtualKeyRevoked':
        return [update('virtualKey', { status: 'revoked', revokedAt: at, revokedReason: event.data.reason })];
      case 'PolicyCreated': {
        const { policyId, name, description, document } = event.data;
        return [{ kind: 'create', table: 'policy', row: { id: policyId, tenantId, name, description, document, status: 'active', ...stamps } }];
      }
      case 'PolicyUpdated':
        return [update('policy', { document: event.data.document })];
      case 'PolicyDeleted':
        return [update('policy', { status: 'deleted' })];
      case 'CredentialStored': {
        const { credentialId, name, kind, description } = event.data;
        return [{ kind: 'create', table: 'credential', row: { id: credentialId, tenantId, name, kind, description, perUserCount: 0, status: 'active', ...stamps } }];
      }
      case 'CredentialRotated':
        return [update('credential', { rotatedAt: at })];
      case 'PerUserSecretStored':
        return [update('credential', { perUserCount: { increment: 1 } })];
      case 'CredentialDeleted':
        return [update('credential', { status: 'deleted' })];
      case 'ServiceAccountCreated': {
        const { serviceAccountId, name, description, permissions, createdBy } = event.data;
        return [{ kind: 'create', table: 'serviceAccount', row: { id: serviceAccountId, tenantId, name, description, permissions, createdBy, status: 'active', ...stamps } }];
      }
      case 'ApiTokenIssued': {
        const { tokenId, tokenPrefix, expiresAt } = event.data;
        return [
          update('serviceAccount', {}),
          {
            kind: 'create',
            table: 'apiToken',
            row: { id: tokenId, tenantId, serviceAccountId: id, tokenPrefix, expiresAt: expiresAt ? isoTimeText(expiresAt) : null, status: 'active', ...stamps },
          },
        ];
      }
      case 'ApiTokenRevoked':
        return [
          update('serviceAccount', {}),
          { kind: 'update', table: 'apiToken', id: event.data.tokenId, version, set: { status: 'revoked', revokedAt: at, revokedReason: event.data.reason, updatedAt: at } },
        ];
      case 'ServiceAccountDeleted':
        return [update('serviceAccount', { status: 'deleted' })];
      // identity provider ids are chosen per tenant (`okta`), so their rows are keyed `<tenant>/<id>`
      case 'IdentityProviderRegistered': {
        const { identityProviderId, issuer, jwksUri, audiences, groupsClaim } = event.data;
        const fields = { issuer, jwksUri, audiences, groupsClaim, status: 'active' };
        const key = `${tenantId}/${identityProviderId}`;
        // an id removed earlier and registered again continues its stream, so its row exists: revive it
        return version === 1
          ? [{ kind: 'create', table: 'identityProvider', row: { id: key, tenantId, identityProviderId, ...fields, ...stamps } }]
          : [{ kind: 'update', table: 'identityProvider', id: key, version, set: { ...fields, createdAt: at, updatedAt: at } }];
      }
      case 'IdentityProviderReconfigured': {
        const { issuer, jwksUri, audiences, groupsClaim } = event.data;
        return [{ kind: 'update', table: 'identityProvider', id: `${tenantId}/${id}`, version, set: { issuer, jwksUri, audiences, groupsClaim, updatedAt: at } }];
      }
      case 'IdentityProviderRemoved':
        return [{ kind: 'update', table: 'identityProvider', id: `${tenantId}/${id}`, version, set: { status: 'removed', updatedAt: at } }];
      // audit exporters are read from the tenant model and the exporters' own delivery tables
      // (src/audit/exporters/README.md); their changes appear in the activity history
      case 'AuditExporterCreated':
      case 'AuditExporterReconfigured':
      case 'AuditExporterEnabled':
      case 'AuditExporterDisabled':
      case 'AuditExporterDeleted':
        return [];
      default: {
        const unhandled: never = event;
        throw new Error(`no projection for ${JSON.stringify(unhandled)}`);
      }
    }
  })();
  return [...changes, activity];
};
