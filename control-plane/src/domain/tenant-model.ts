import { AGGREGATE_OF_EVENT, type ControlEvent } from '@mcpgate/contracts';
import { evolveAuditExporter, initialAuditExporterState, type AuditExporterState } from './audit-exporter/audit-exporter.state.js';
import { evolveCredential, initialCredentialState, type CredentialState } from './credential/credential.state.js';
import { evolveIdentityProvider, initialIdentityProviderState, type IdentityProviderState } from './identity-provider/identity-provider.state.js';
import { evolvePolicy, initialPolicyState, type PolicyState } from './policy/policy.state.js';
import {
  evolveRole,
  evolveRoleBinding,
  initialRoleBindingState,
  initialRoleState,
  type RoleBindingState,
  type RoleState,
} from './role/role.state.js';
import { evolveServiceAccount, initialServiceAccountState, type ServiceAccountState } from './service-account/service-account.state.js';
import { evolveTenant, initialTenantState, type TenantState } from './tenant/tenant.state.js';
import { evolveUpstreamServer, initialUpstreamServerState, type UpstreamServerState } from './upstream-server/upstream-server.state.js';
import { evolveVirtualKey, initialVirtualKeyState, type VirtualKeyState } from './virtual-key/virtual-key.state.js';
import { evolveVirtualServer, initialVirtualServerState, type VirtualServerState } from './virtual-server/virtual-server.state.js';

/**
 * Everything the control plane knows about one tenant: the state of each of its streams. All
 * streams of a tenant share one log partition, so this is a pure function of that partition's
 * applied events, and every replica that reads the log holds the same model.
 *
 * Deciders read it through the `TenantView` type; only the log applier mutates it (`apply`), which
 * keeps replay linear in the number of events (per-aggregate `evolve` functions stay pure).
 */
export class TenantModel {
  readonly versions = new Map<string, number>();
  tenant: TenantState = initialTenantState;
  readonly roles = new Map<string, Exclude<RoleState, { status: 'absent' }>>();
  readonly bindings = new Map<string, Exclude<RoleBindingState, { status: 'absent' }>>();
  readonly servers = new Map<string, Exclude<UpstreamServerState, { status: 'absent' }>>();
  readonly virtualServers = new Map<string, Exclude<VirtualServerState, { status: 'absent' }>>();
  readonly keys = new Map<string, Exclude<VirtualKeyState, { status: 'absent' }>>();
  readonly policies = new Map<string, Exclude<PolicyState, { status: 'absent' }>>();
  readonly credentials = new Map<string, Exclude<CredentialState, { status: 'absent' }>>();
  readonly serviceAccounts = new Map<string, Exclude<ServiceAccountState, { status: 'absent' }>>();
  /** By the admin-chosen id (`okta`), which is also the stream's id. */
  readonly identityProviders = new Map<string, Exclude<IdentityProviderState, { status: 'absent' }>>();
  /** SIEM exporters by id (`exp_…`), deleted ones included. */
  readonly auditExporters = new Map<string, Exclude<AuditExporterState, { status: 'absent' }>>();

  constructor(readonly tenantId: string) {}

  /** Current version of a stream: the number of its applied events (0 = never written). */
  versionOf(streamId: string): number {
    return this.versions.get(streamId) ?? 0;
  }

  /**
   * The state of the aggregate that `event` belongs to, as this model holds it now (undefined or
   * absent when it does not exist). States are immutable: each `evolve` returns a new object.
   */
  stateOfStream(event: ControlEvent): unknown {
    const aggregate = AGGREGATE_OF_EVENT[event.type];
    const id = event.metadata.streamId.slice(aggregate.length + 1);
    switch (aggregate) {
      case 'tenant':
        return this.tenant;
      case 'role':
        return this.roles.get(id);
      case 'role-binding':
        return this.bindings.get(id);
      case 'upstream-server':
        return this.servers.get(id);
      case 'virtual-server':
        return this.virtualServers.get(id);
      case 'virtual-key':
        return this.keys.get(id);
      case 'policy':
        return this.policies.get(id);
      case 'credential':
        return this.credentials.get(id);
      case 'service-account':
        return this.serviceAccounts.get(id);
      case 'identity-provider':
        return this.identityProviders.get(id);
      case 'audit-exporter':
        return this.auditExporters.get(id);
      default:
        throw new Error(`no state lookup for aggregate ${aggregate}`);
    }
  }

  /** Applies one event that the arbiter has accepted. */
  apply(event: ControlEvent): void {
    const { streamId, streamVersion } = event.metadata;
    const id = streamId.slice(AGGREGATE_OF_EVENT[event.type].length + 1);
    switch (event.type) {
      case 'TenantCreated':
      case 'TenantRenamed':
      case 'TenantRegionsChanged':
      case 'TenantSuspended':
      case 'TenantReactivated':
      case 'TenantDeleted':
        this.tenant = evolveTenant(this.tenant, event);
        break;
      case 'RoleCreated':
      case 'RolePermissionsChanged':
      case 'RoleDeleted':
        put(this.roles, id, evolveRole(this.roles.get(id) ?? initialRoleState, event));
        break;
      case 'RoleBindingCreated':
      case 'RoleBindingRemoved':
        put(this.bindings, id, evolveRoleBinding(this.bindings.get(id) ?? initialRoleBindingState, event));
        break;
      case 'UpstreamServerRegistered':
      case 'UpstreamServerReconfigured':
      case 'UpstreamServerRemoved':
        put(this.servers, id, evolveUpstreamServer(this.servers.get(id) ?? initialUpstreamServerState, event));
        break;
      case 'VirtualServerCreated':
      case 'VirtualServerReconfigured':
      case 'VirtualServerDeleted':
        put(this.virtualServers, id, evolveVirtualServer(this.virtualServers.get(id) ?? initialVirtualServerState, event));
        break;
      case 'VirtualKeyIssued':
      case 'VirtualKeyRotated':
      case 'VirtualKeyRevoked':
        put(this.keys, id, evolveVirtualKey(this.keys.get(id) ?? initialVirtualKeyState, event));
        break;
      case 'PolicyCreated':
      case 'PolicyUpdated':
      case 'PolicyDeleted':
        put(this.policies, id, evolvePolicy(this.policies.get(id) ?? initialPolicyState, event));
        break;
      case 'CredentialStored':
      case 'CredentialRotated':
      case 'PerUserSecretStored':
      case 'CredentialDeleted':
        put(this.credentials, id, evolveCredential(this.credentials.get(id) ?? initialCredentialState, event));
        break;
      case 'ServiceAccountCreated':
      case 'ApiTokenIssued':
      case 'ApiTokenRevoked':
      case 'ServiceAccountDeleted':
        put(this.serviceAccounts, id, evolveServiceAccount(this.serviceAccounts.get(id) ?? initialServiceAccountState, event));
        break;
      case 'IdentityProviderRegistered':
      case 'IdentityProviderReconfigured':
      case 'IdentityProviderRemoved':
        put(this.identityProviders, id, evolveIdentityProvider(this.identityProviders.get(id) ?? initialIdentityProviderState, event));
        break;
      case 'AuditExporterCreated':
      case 'AuditExporterReconfigured':
      case 'AuditExporterEnabled':
      case 'AuditExporterDisabled':
      case 'AuditExporterDeleted':
        put(this.auditExporters, id, evolveAuditExporter(this.auditExporters.get(id) ?? initialAuditExporterState, event));
        break;
      default: {
        const unhandled: never = event;
        throw new Error(`no evolve for ${JSON.stringify(unhandled)}`);
      }
    }
    this.versions.set(streamId, streamVersion);
  }
}

/** What deciders and invariant checks may read. */
export type TenantView = Omit<TenantModel, 'apply'>;

const put = <S extends { status: string }>(map: Map<string, Exclude<S, { status: 'absent' }>>, id: string, state: S) => {
  if (state.status !== 'absent') map.set(id, state as Exclude<S, { status: 'absent' }>);
};
