import { z } from 'zod';
import { AccessCommand } from './access.commands.js';
import { IdentityProviderCommand } from './identity-provider.commands.js';
import { AuditExporterCommand } from './audit-exporter.commands.js';
import { KeyPolicyCommand } from './key-policy.commands.js';
import { ServerCommand } from './server.commands.js';
import { ServiceAccountCommand } from './service-account.commands.js';
import { TenantCommand } from './tenant.commands.js';

/** Every control-plane command. Inputs from the API are parsed with this before they reach a decider. */
export const ControlCommand = z.discriminatedUnion('type', [
  ...TenantCommand.options,
  ...AccessCommand.options,
  ...ServerCommand.options,
  ...KeyPolicyCommand.options,
  ...ServiceAccountCommand.options,
  ...IdentityProviderCommand.options,
  ...AuditExporterCommand.options,
]);
export type ControlCommand = z.infer<typeof ControlCommand>;
export type ControlCommandType = ControlCommand['type'];
