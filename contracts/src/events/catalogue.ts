import { z } from 'zod';
import { PolicyEvent } from './policy.events.js';
import { RoleBindingEvent, RoleEvent } from './role.events.js';
import { TenantEvent } from './tenant.events.js';
import { UpstreamServerEvent } from './upstream-server.events.js';
import { VirtualKeyEvent } from './virtual-key.events.js';
import { VirtualServerEvent } from './virtual-server.events.js';
import { CredentialEvent } from './credential.events.js';
import { ServiceAccountEvent } from './service-account.events.js';
import { IdentityProviderEvent } from './identity-provider.events.js';
import { AuditExporterEvent } from './audit-exporter.events.js';

/**
 * Every control-plane event type, one union. A published type is frozen: change it only by adding a
 * new type or an upcaster, and keep a test that pins the old shape (see docs/adding-an-event.md).
 */
export const ControlEvent = z.discriminatedUnion('type', [
  ...TenantEvent.options,
  ...RoleEvent.options,
  ...RoleBindingEvent.options,
  ...UpstreamServerEvent.options,
  ...VirtualServerEvent.options,
  ...VirtualKeyEvent.options,
  ...CredentialEvent.options,
  ...ServiceAccountEvent.options,
  ...PolicyEvent.options,
  ...IdentityProviderEvent.options,
  ...AuditExporterEvent.options,
]);
export type ControlEvent = z.infer<typeof ControlEvent>;
export type ControlEventType = ControlEvent['type'];

/** The aggregate each event type belongs to, which is also the prefix of its stream id. */
export const AGGREGATE_OF_EVENT: Readonly<Record<ControlEventType, string>> = {
  TenantCreated: 'tenant',
  TenantRenamed: 'tenant',
  TenantRegionsChanged: 'tenant',
  TenantSuspended: 'tenant',
  TenantReactivated: 'tenant',
  TenantDeleted: 'tenant',
  RoleCreated: 'role',
  RolePermissionsChanged: 'role',
  RoleDeleted: 'role',
  RoleBindingCreated: 'role-binding',
  RoleBindingRemoved: 'role-binding',
  UpstreamServerRegistered: 'upstream-server',
  UpstreamServerReconfigured: 'upstream-server',
  UpstreamServerRemoved: 'upstream-server',
  VirtualServerCreated: 'virtual-server',
  VirtualServerReconfigured: 'virtual-server',
  VirtualServerDeleted: 'virtual-server',
  VirtualKeyIssued: 'virtual-key',
  VirtualKeyRotated: 'virtual-key',
  VirtualKeyRevoked: 'virtual-key',
  CredentialStored: 'credential',
  CredentialRotated: 'credential',
  PerUserSecretStored: 'credential',
  CredentialDeleted: 'credential',
  ServiceAccountCreated: 'service-account',
  ApiTokenIssued: 'service-account',
  ApiTokenRevoked: 'service-account',
  ServiceAccountDeleted: 'service-account',
  PolicyCreated: 'policy',
  PolicyUpdated: 'policy',
  PolicyDeleted: 'policy',
  IdentityProviderRegistered: 'identity-provider',
  IdentityProviderReconfigured: 'identity-provider',
  IdentityProviderRemoved: 'identity-provider',
  AuditExporterCreated: 'audit-exporter',
  AuditExporterReconfigured: 'audit-exporter',
  AuditExporterEnabled: 'audit-exporter',
  AuditExporterDisabled: 'audit-exporter',
  AuditExporterDeleted: 'audit-exporter',
};

/** The result of reading one event from the log: a known, valid event or a reason to quarantine it. */
export type ParsedEvent =
  | { ok: true; event: ControlEvent }
  | { ok: false; reason: 'unknown-type' | 'invalid'; type: string | undefined; issues: string[] };

/** Parses an untrusted event; never throws, so one bad record cannot stop a consumer. */
export const parseControlEvent = (raw: unknown): ParsedEvent => {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string' ? raw.type : undefined;
  if (type === undefined || !(type in AGGREGATE_OF_EVENT)) {
    return { ok: false, reason: 'unknown-type', type, issues: [`unknown event type ${JSON.stringify(type)}`] };
  }
  const result = ControlEvent.safeParse(raw);
  if (!result.success) {
    return { ok: false, reason: 'invalid', type, issues: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  return { ok: true, event: result.data };
};
