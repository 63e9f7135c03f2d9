import type { ServerCommand, UpstreamServerConfig } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { conflict, invalid, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** PHI tool globs must be distinct; one that is `*` says what the `phi` tag says, so it must be the tag. */
const checkPhiTools = (config: UpstreamServerConfig): void => {
  const globs = config.phiTools ?? [];
  if (new Set(globs).size !== globs.length) throw invalid('upstream_server.duplicate_phi_tools', 'phiTools lists a pattern twice');
  if (globs.includes('*')) throw invalid('upstream_server.phi_tools_all', "phiTools '*' marks every tool: tag the server `phi` instead");
};

/** Upstream servers, virtual servers and the credentials they use. */
export const decideServer = (command: ServerCommand, model: TenantView, ctx: CommandContext): Decision => {
  switch (command.type) {
    case 'RegisterUpstreamServer': {
      checkPhiTools(command.data.config);
      const serverId = ctx.newId('srv');
      return { streamId: streamOf('upstream-server', serverId), createdId: serverId, events: [{ type: 'UpstreamServerRegistered', data: { serverId, config: command.data.config } }] };
    }
    case 'ReconfigureUpstreamServer': {
      const server = model.servers.get(command.data.serverId);
      if (server?.status !== 'active') throw notFound('upstream-server', command.data.serverId);
      checkPhiTools(command.data.config);
      return {
        streamId: streamOf('upstream-server', server.serverId),
        events: same(server.config, command.data.config) ? [] : [{ type: 'UpstreamServerReconfigured', data: { config: command.data.config } }],
      };
    }
    case 'RemoveUpstreamServer': {
      const server = model.servers.get(command.data.serverId);
      if (!server) throw notFound('upstream-server', command.data.serverId);
      return { streamId: streamOf('upstream-server', server.serverId), events: server.status === 'removed' ? [] : [{ type: 'UpstreamServerRemoved', data: {} }] };
    }
    case 'CreateVirtualServer': {
      const virtualServerId = ctx.newId('vsr');
      return {
        streamId: streamOf('virtual-server', virtualServerId),
        createdId: virtualServerId,
        events: [{ type: 'VirtualServerCreated', data: { virtualServerId, config: command.data.config } }],
      };
    }
    case 'ReconfigureVirtualServer': {
      const bundle = model.virtualServers.get(command.data.virtualServerId);
      if (bundle?.status !== 'active') throw notFound('virtual-server', command.data.virtualServerId);
      return {
        streamId: streamOf('virtual-server', bundle.virtualServerId),
        events: same(bundle.config, command.data.config) ? [] : [{ type: 'VirtualServerReconfigured', data: { config: command.data.config } }],
      };
    }
    case 'DeleteVirtualServer': {
      const bundle = model.virtualServers.get(command.data.virtualServerId);
      if (!bundle) throw notFound('virtual-server', command.data.virtualServerId);
      return { streamId: streamOf('virtual-server', bundle.virtualServerId), events: bundle.status === 'deleted' ? [] : [{ type: 'VirtualServerDeleted', data: {} }] };
    }
    case 'StoreCredential': {
      const { name, kind, description, secret } = command.data;
      if (kind === 'shared' && !secret) throw invalid('credential.secret_required', 'a shared credential needs its secret');
      if (kind === 'per-user' && secret) throw invalid('credential.secret_not_allowed', 'a per-user credential gets one secret per user, not a shared one');
      const credentialId = ctx.newId('cred');
      return {
        streamId: streamOf('credential', credentialId),
        createdId: credentialId,
        events: [{ type: 'CredentialStored', data: { credentialId, name, kind, description, ...(secret ? { secret } : {}) } }],
      };
    }
    case 'RotateCredential':
    case 'StorePerUserSecret':
    case 'DeleteCredential': {
      const credential = model.credentials.get(command.data.credentialId);
      if (!credential) throw notFound('credential', command.data.credentialId);
      const streamId = streamOf('credential', credential.credentialId);
      if (command.type === 'DeleteCredential') return { streamId, events: credential.status === 'deleted' ? [] : [{ type: 'CredentialDeleted', data: {} }] };
      if (credential.status === 'deleted') throw conflict('credential.deleted', `credential ${credential.name} is deleted`);
      if (command.type === 'RotateCredential') {
        if (credential.kind !== 'shared') throw invalid('credential.not_shared', 'per-user credentials are rotated per user');
        return { streamId, events: [{ type: 'CredentialRotated', data: { secret: command.data.secret } }] };
      }
      if (credential.kind !== 'per-user') throw invalid('credential.not_per_user', `credential ${credential.name} is shared`);
      const { issuer, subject, secret } = command.data;
      return { streamId, events: [{ type: 'PerUserSecretStored', data: { issuer, subject, secret } }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
