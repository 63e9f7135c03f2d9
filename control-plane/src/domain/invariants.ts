import { AGGREGATE_OF_EVENT, BUILT_IN_ROLE_NAMES, credentialsOfDestination, type PolicyDocument } from '@mcpgate/contracts';
import type { DomainError} from './domain-error.js';
import { conflict, invalid, notFound } from './domain-error.js';
import type { NewEvent } from './events.js';
import type { TenantView } from './tenant-model.js';

/**
 * Rules that span streams of a tenant: unique names, references that must exist, nothing left
 * dangling, no change to a deleted tenant. Deciders call this before writing, and the log applier
 * calls it again when a commit is applied, so a commit that lost a race (two admins registering the
 * same name at once) is voided deterministically on every replica instead of corrupting state.
 * Returns the first violation, or undefined.
 */
export const checkInvariants = (model: TenantView, streamId: string, events: readonly NewEvent[]): DomainError | undefined => {
  for (const event of events) {
    const violation = check(model, streamId, event);
    if (violation) return violation;
  }
  return undefined;
};

const isBuiltInRole = (role: string) => (BUILT_IN_ROLE_NAMES as readonly string[]).includes(role);
const activeEntries = <S extends { status: string }>(map: ReadonlyMap<string, S>, status = 'active') =>
  [...map.entries()].filter(([, s]) => s.status === status);

const nameTaken = (entries: [string, { name: string }][], name: string, selfId: string) =>
  entries.some(([id, s]) => id !== selfId && s.name === name);

const rolesOf = (document: PolicyDocument) => document.toolRules.flatMap((r) => r.subjects.roles);

/** Identity providers a tenant may trust at once: each is one more issuer every proxy may ask for keys. */
export const MAX_IDENTITY_PROVIDERS = 20;
/** SIEM exporters a tenant may have at once: each is a delivery loop of the exporters role. */
export const MAX_AUDIT_EXPORTERS = 20;
/** The tenant slug an audience (`…/t/<tenant>/mcp/<virtual server>`) names. */
const tenantOfAudience = (audience: string) => /\/t\/([a-z0-9-]+)\/mcp\/[a-z0-9-]+$/.exec(audience)?.[1];

const check = (model: TenantView, streamId: string, event: NewEvent): DomainError | undefined => {
  const selfId = streamId.slice(AGGREGATE_OF_EVENT[event.type].length + 1);
  if (event.type === 'TenantCreated') {
    return model.tenant.status === 'absent' ? undefined : conflict('tenant.slug_taken', `a tenant with slug ${event.data.slug} already exists`);
  }
  if (model.tenant.status === 'absent') return notFound('tenant', model.tenantId);
  if (model.tenant.status === 'deleted') return conflict('tenant.deleted', `tenant ${model.tenantId} is deleted; it can no longer change`);
  const tenantRegions = model.tenant.regions;
  const tenantSlug = model.tenant.slug;

  switch (event.type) {
    case 'RoleCreated': {
      if (isBuiltInRole(event.data.name)) return conflict('role.name_reserved', `${event.data.name} is a built-in role`);
      const roles = activeEntries(model.roles).map(([id, r]) => [id, r] as [string, { name: string }]);
      return nameTaken(roles, event.data.name, selfId) ? conflict('role.name_taken', `a role named ${event.data.name} exists`) : undefined;
    }
    case 'RoleDeleted': {
      const bound = activeEntries(model.bindings).filter(([, b]) => b.role === selfId).map(([id]) => id);
      return bound.length ? conflict('role.in_use', `role ${selfId} is still bound (${bound.length} binding(s))`, { bindings: bound }) : undefined;
    }
    case 'RoleBindingCreated': {
      const { role } = event.data;
      return isBuiltInRole(role) || model.roles.get(role)?.status === 'active' ? undefined : notFound('role', role);
    }
    case 'UpstreamServerRegistered':
    case 'UpstreamServerReconfigured': {
      const { config } = event.data;
      const servers = activeEntries(model.servers).map(([id, s]) => [id, s.config] as [string, { name: string }]);
      if (nameTaken(servers, config.name, selfId)) return conflict('upstream_server.name_taken', `an upstream server named ${config.name} exists`);
      const credentialId = config.credential?.credentialId;
      if (credentialId && model.credentials.get(credentialId)?.status !== 'active') return notFound('credential', credentialId);
      const outside = config.regions.filter((r) => !tenantRegions.includes(r));
      return outside.length
        ? invalid('upstream_server.region_not_served', `the tenant is not served in ${outside.join(', ')}`, { regions: outside })
        : undefined;
    }
    case 'UpstreamServerRemoved': {
      const users = activeEntries(model.virtualServers).filter(([, v]) => v.config.upstreams.some((u) => u.serverId === selfId)).map(([id]) => id);
      return users.length ? conflict('upstream_server.in_use', `virtual servers still use ${selfId}`, { virtualServers: users }) : undefined;
    }
    case 'VirtualServerCreated':
    case 'VirtualServerReconfigured': {
      const { config } = event.data;
      const bundles = activeEntries(model.virtualServers).map(([id, v]) => [id, v.config] as [string, { name: string }]);
      if (nameTaken(bundles, config.name, selfId)) return conflict('virtual_server.name_taken', `a virtual server named ${config.name} exists`);
      const missing = config.upstreams.map((u) => u.serverId).find((id) => model.servers.get(id)?.status !== 'active');
      return missing ? notFound('upstream-server', missing) : undefined;
    }
    case 'VirtualServerDeleted': {
      const keys = activeEntries(model.keys).filter(([, k]) => k.scopes.virtualServerIds.includes(selfId)).map(([id]) => id);
      return keys.length ? conflict('virtual_server.in_use', `active keys still grant ${selfId}`, { keys }) : undefined;
    }
    case 'VirtualKeyIssued': {
      const missing = event.data.scopes.virtualServerIds.find((id) => model.virtualServers.get(id)?.status !== 'active');
      return missing ? notFound('virtual-server', missing) : undefined;
    }
    case 'PolicyCreated':
    case 'PolicyUpdated': {
      if (event.type === 'PolicyCreated') {
        const policies = activeEntries(model.policies).map(([id, p]) => [id, p] as [string, { name: string }]);
        if (nameTaken(policies, event.data.name, selfId)) return conflict('policy.name_taken', `a policy named ${event.data.name} exists`);
      }
      const customRoles = new Set(activeEntries(model.roles).map(([, r]) => r.name));
      const unknown = rolesOf(event.data.document).filter((r) => !isBuiltInRole(r) && !customRoles.has(r));
      return unknown.length ? invalid('policy.unknown_role', `no role named ${unknown.join(', ')}`, { roles: unknown }) : undefined;
    }
    case 'CredentialStored': {
      const credentials = activeEntries(model.credentials).map(([id, c]) => [id, c] as [string, { name: string }]);
      return nameTaken(credentials, event.data.name, selfId) ? conflict('credential.name_taken', `a credential named ${event.data.name} exists`) : undefined;
    }
    case 'CredentialDeleted': {
      const users = activeEntries(model.servers).filter(([, s]) => s.config.credential?.credentialId === selfId).map(([id]) => id);
      if (users.length) return conflict('credential.in_use', `upstream servers still use ${selfId}`, { servers: users });
      const exporters = activeEntries(model.auditExporters).filter(([, e]) => credentialsOfDestination(e.destination).includes(selfId)).map(([id]) => id);
      return exporters.length ? conflict('credential.in_use', `audit exporters still use ${selfId}`, { exporters }) : undefined;
    }
    case 'IdentityProviderRegistered':
    case 'IdentityProviderReconfigured': {
      const { issuer, audiences } = event.data;
      const others = activeEntries(model.identityProviders).filter(([id]) => id !== selfId);
      const sameIssuer = others.find(([, idp]) => idp.issuer === issuer);
      if (sameIssuer) return conflict('identity_provider.issuer_taken', `identity provider ${sameIssuer[0]} already trusts ${issuer}`, { id: sameIssuer[0], issuer });
      const foreign = audiences.filter((a) => tenantOfAudience(a) !== tenantSlug);
      if (foreign.length) {
        return invalid('identity_provider.audience_other_tenant', `audiences must be resources of tenant ${tenantSlug}: …/t/${tenantSlug}/mcp/<virtual server>`, { audiences: foreign });
      }
      if (event.type === 'IdentityProviderRegistered' && others.length >= MAX_IDENTITY_PROVIDERS) {
        return conflict('identity_provider.limit_reached', `a tenant trusts at most ${MAX_IDENTITY_PROVIDERS} identity providers`, { limit: MAX_IDENTITY_PROVIDERS });
      }
      return undefined;
    }
    case 'AuditExporterCreated':
    case 'AuditExporterReconfigured': {
      const { name, destination } = event.data;
      const others = activeEntries(model.auditExporters).filter(([id]) => id !== selfId);
      const sameName = others.find(([, e]) => e.name === name);
      if (sameName) return conflict('audit_exporter.name_taken', `an audit exporter named ${name} exists`, { id: sameName[0] });
      const missing = credentialsOfDestination(destination).find((id) => model.credentials.get(id)?.status !== 'active');
      if (missing) return notFound('credential', missing);
      const perUser = credentialsOfDestination(destination).find((id) => model.credentials.get(id)?.kind !== 'shared');
      if (perUser) return invalid('audit_exporter.credential_not_shared', `credential ${perUser} is per-user; an exporter needs a shared credential`, { id: perUser });
      if (event.type === 'AuditExporterCreated' && others.length >= MAX_AUDIT_EXPORTERS) {
        return conflict('audit_exporter.limit_reached', `a tenant has at most ${MAX_AUDIT_EXPORTERS} audit exporters`, { limit: MAX_AUDIT_EXPORTERS });
      }
      return undefined;
    }
    default:
      return undefined;
  }
};
