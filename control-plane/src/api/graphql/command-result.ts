import { ControlCommand } from '@mcpgate/contracts';
import type { CommandResult } from '../../core/command-bus.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { permissionsIn } from '../auth/principal.js';
import { DomainError } from '../../domain/domain-error.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import type { CommandResultNode } from './types.js';

export const toResultNode = (result: CommandResult): CommandResultNode => ({
  streamId: result.streamId,
  version: result.version,
  id: result.createdId ?? null,
  logPosition: result.position ? `${result.position.partition}:${result.position.offset}` : null,
});

/**
 * Parses a command exactly as the contracts define it (a ZodError becomes a VALIDATION error with
 * field paths) and runs it as the request's principal.
 */
export const runCommand = (runtime: ControlPlaneRuntime, req: ApiRequest, tenantId: string | undefined, raw: unknown): Promise<CommandResult> => {
  const principal = req.principal;
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'sign in first');
  const command = ControlCommand.parse(raw);
  const actorPermissions = permissionsIn(principal, tenantId ? runtime.applier.tenant(tenantId) : undefined);
  return runtime.commands.execute(tenantId, command, { actor: principal.actor, actorGroups: principal.groups, actorPermissions });
};
