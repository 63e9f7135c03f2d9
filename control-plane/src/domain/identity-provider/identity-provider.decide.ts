import type { IdentityProviderCommand, IdentityProviderConfig } from '@mcpgate/contracts';
import { conflict, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

const sameConfig = (a: IdentityProviderConfig, b: IdentityProviderConfig) =>
  a.issuer === b.issuer && a.jwksUri === b.jwksUri && a.groupsClaim === b.groupsClaim && [...a.audiences].sort().join('\n') === [...b.audiences].sort().join('\n');

/**
 * The identity providers whose access tokens the tenant's proxies accept. The admin chooses the id
 * (a slug that role bindings name as `idpId`), so the stream is keyed by it and two concurrent
 * registrations of one id are settled by the log's version check; unique issuers, audiences of this
 * tenant and the limit are cross-stream rules in `invariants.ts`.
 */
export const decideIdentityProvider = (command: IdentityProviderCommand, model: TenantView): Decision => {
  const { identityProviderId } = command.data;
  const streamId = streamOf('identity-provider', identityProviderId);
  const current = model.identityProviders.get(identityProviderId);
  if (model.tenant.status === 'absent') throw notFound('tenant', model.tenantId);
  if (model.tenant.status === 'deleted') throw conflict('tenant.deleted', `tenant ${model.tenant.slug} is deleted; it can no longer change`);
  switch (command.type) {
    case 'RegisterIdentityProvider': {
      const { issuer, jwksUri, audiences, groupsClaim } = command.data;
      const config = { issuer, jwksUri, audiences, groupsClaim };
      if (current?.status === 'active') {
        if (sameConfig(current, config)) return { streamId, createdId: identityProviderId, events: [] };
        throw conflict('identity_provider.id_taken', `an identity provider with id ${identityProviderId} exists; update it instead`, { id: identityProviderId });
      }
      return { streamId, createdId: identityProviderId, events: [{ type: 'IdentityProviderRegistered', data: { identityProviderId, ...config } }] };
    }
    case 'UpdateIdentityProvider': {
      if (current?.status !== 'active') throw notFound('identity-provider', identityProviderId);
      const { issuer, jwksUri, audiences, groupsClaim } = command.data;
      const next: IdentityProviderConfig = {
        issuer: issuer ?? current.issuer,
        jwksUri: jwksUri ?? current.jwksUri,
        audiences: audiences ?? current.audiences,
        groupsClaim: groupsClaim ?? current.groupsClaim,
      };
      return { streamId, events: sameConfig(current, next) ? [] : [{ type: 'IdentityProviderReconfigured', data: next }] };
    }
    case 'RemoveIdentityProvider': {
      if (!current) throw notFound('identity-provider', identityProviderId);
      return { streamId, events: current.status === 'removed' ? [] : [{ type: 'IdentityProviderRemoved', data: {} }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
