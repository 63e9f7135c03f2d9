import type { ServiceAccountCommand } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { conflict, DomainError, invalid, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

export const decideServiceAccount = (command: ServiceAccountCommand, model: TenantView, ctx: CommandContext): Decision => {
  if (command.type === 'CreateServiceAccount') {
    const { name, description, permissions } = command.data;
    const beyond = ctx.actorPermissions ? permissions.filter((p) => !ctx.actorPermissions!.has(p)) : [];
    if (beyond.length) {
      throw new DomainError('FORBIDDEN', 'service_account.exceeds_creator', `a service account cannot hold what its creator does not: ${beyond.join(', ')}`, { permissions: beyond });
    }
    const serviceAccountId = ctx.newId('sa');
    return {
      streamId: streamOf('service-account', serviceAccountId),
      createdId: serviceAccountId,
      events: [{ type: 'ServiceAccountCreated', data: { serviceAccountId, name, description, permissions: [...new Set(permissions)], createdBy: ctx.actor } }],
    };
  }
  const account = model.serviceAccounts.get(command.data.serviceAccountId);
  if (!account) throw notFound('service-account', command.data.serviceAccountId);
  const streamId = streamOf('service-account', account.serviceAccountId);
  switch (command.type) {
    case 'DeleteServiceAccount':
      return { streamId, events: account.status === 'deleted' ? [] : [{ type: 'ServiceAccountDeleted', data: {} }] };
    case 'IssueApiToken': {
      if (account.status === 'deleted') throw conflict('service_account.deleted', `service account ${account.name} is deleted`);
      const { expiresAt } = command.data;
      if (expiresAt && new Date(expiresAt) <= ctx.now) throw invalid('api_token.expiry_in_past', 'expiresAt must be in the future');
      const tokenId = ctx.newId('tok');
      const { keyPrefix, secretHash } = ctx.newKeySecret('mcpgsa_');
      return { streamId, createdId: tokenId, events: [{ type: 'ApiTokenIssued', data: { tokenId, tokenPrefix: keyPrefix, secretHash, ...(expiresAt ? { expiresAt } : {}) } }] };
    }
    case 'RevokeApiToken': {
      const token = account.tokens.get(command.data.tokenId);
      if (!token) throw notFound('api-token', command.data.tokenId);
      return { streamId, events: token.revokedAt ? [] : [{ type: 'ApiTokenRevoked', data: { tokenId: token.tokenId, reason: command.data.reason } }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
