import { AccessCommand, AuditExporterCommand, IdentityProviderCommand, KeyPolicyCommand, ServerCommand, ServiceAccountCommand, TenantCommand, type ControlCommand } from '@mcpgate/contracts';
import { decideAuditExporter } from './audit-exporter/audit-exporter.decide.js';
import type { CommandContext } from './command-context.js';
import type { Decision } from './events.js';
import { decideIdentityProvider } from './identity-provider/identity-provider.decide.js';
import { checkInvariants } from './invariants.js';
import { decideAccess } from './role/role.decide.js';
import { decideServiceAccount } from './service-account/service-account.decide.js';
import type { TenantView } from './tenant-model.js';
import { decideTenant } from './tenant/tenant.decide.js';
import { decideServer } from './upstream-server/server.decide.js';
import { decideKeyOrPolicy } from './virtual-key/key-policy.decide.js';

const isOf = <C extends { type: string }>(union: { options: readonly { shape: { type: { value: string } } }[] }) => {
  const types = new Set(union.options.map((o) => o.shape.type.value));
  return (command: ControlCommand): command is Extract<ControlCommand, C> => types.has(command.type);
};
const isTenant = isOf<TenantCommand>(TenantCommand);
const isAccess = isOf<AccessCommand>(AccessCommand);
const isServer = isOf<ServerCommand>(ServerCommand);
const isKeyPolicy = isOf<KeyPolicyCommand>(KeyPolicyCommand);
const isServiceAccount = isOf<ServiceAccountCommand>(ServiceAccountCommand);
const isIdentityProvider = isOf<IdentityProviderCommand>(IdentityProviderCommand);
const isAuditExporter = isOf<AuditExporterCommand>(AuditExporterCommand);

/**
 * Decides one command against a tenant's state: the events to append to one stream, or a
 * DomainError. Cross-stream invariants are checked here and again by the log applier.
 */
export const decide = (command: ControlCommand, model: TenantView, ctx: CommandContext): Decision => {
  const decision = isTenant(command)
    ? decideTenant(command, model, ctx)
    : isAccess(command)
      ? decideAccess(command, model, ctx)
      : isServer(command)
        ? decideServer(command, model, ctx)
        : isKeyPolicy(command)
          ? decideKeyOrPolicy(command, model, ctx)
          : isServiceAccount(command)
            ? decideServiceAccount(command, model, ctx)
            : isIdentityProvider(command)
              ? decideIdentityProvider(command, model)
              : isAuditExporter(command)
                ? decideAuditExporter(command, model, ctx)
                : unreachable(command);
  const violation = checkInvariants(model, decision.streamId, decision.events);
  if (violation) throw violation;
  return decision;
};

const unreachable = (command: never): never => {
  throw new Error(`no decider for ${JSON.stringify(command)}`);
};
