import { z } from 'zod';
import { VaultCiphertext } from '../events/credential.events.js';
import { UpstreamServerConfig } from '../events/upstream-server.events.js';
import { VirtualServerConfig } from '../events/virtual-server.events.js';
import { CredentialId, Slug, UpstreamServerId, VirtualServerId } from '../ids.js';
import { commandSchema } from './command.js';

export const RegisterUpstreamServer = commandSchema('RegisterUpstreamServer', z.object({ config: UpstreamServerConfig }));
export const ReconfigureUpstreamServer = commandSchema('ReconfigureUpstreamServer', z.object({ serverId: UpstreamServerId, config: UpstreamServerConfig }));
export const RemoveUpstreamServer = commandSchema('RemoveUpstreamServer', z.object({ serverId: UpstreamServerId }));

export const CreateVirtualServer = commandSchema('CreateVirtualServer', z.object({ config: VirtualServerConfig }));
export const ReconfigureVirtualServer = commandSchema('ReconfigureVirtualServer', z.object({ virtualServerId: VirtualServerId, config: VirtualServerConfig }));
export const DeleteVirtualServer = commandSchema('DeleteVirtualServer', z.object({ virtualServerId: VirtualServerId }));

/**
 * Credentials arrive at the decider already sealed by the vault: the plaintext secret is taken by
 * the API, encrypted, and never reaches a command, an event or a log.
 */
export const StoreCredential = commandSchema(
  'StoreCredential',
  z.object({ name: Slug, kind: z.enum(['shared', 'per-user']), description: z.string().max(1000).default(''), secret: VaultCiphertext.optional() }),
);
export const RotateCredential = commandSchema('RotateCredential', z.object({ credentialId: CredentialId, secret: VaultCiphertext }));
export const StorePerUserSecret = commandSchema(
  'StorePerUserSecret',
  z.object({ credentialId: CredentialId, issuer: z.string().min(1).max(512), subject: z.string().min(1).max(512), secret: VaultCiphertext }),
);
export const DeleteCredential = commandSchema('DeleteCredential', z.object({ credentialId: CredentialId }));

export const ServerCommand = z.discriminatedUnion('type', [
  RegisterUpstreamServer,
  ReconfigureUpstreamServer,
  RemoveUpstreamServer,
  CreateVirtualServer,
  ReconfigureVirtualServer,
  DeleteVirtualServer,
  StoreCredential,
  RotateCredential,
  StorePerUserSecret,
  DeleteCredential,
]);
export type ServerCommand = z.infer<typeof ServerCommand>;
