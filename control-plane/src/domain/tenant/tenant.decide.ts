import type { TenantCommand } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { conflict, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

const DAY_MS = 86_400_000;

export const decideTenant = (command: TenantCommand, model: TenantView, ctx: CommandContext): Decision => {
  const streamId = streamOf('tenant', model.tenantId);
  const state = model.tenant;
  const none = { streamId, events: [] };
  if (command.type === 'CreateTenant') {
    const { slug, displayName, regions } = command.data;
    if (state.status === 'absent') {
      return { streamId, createdId: model.tenantId, events: [{ type: 'TenantCreated', data: { tenantId: model.tenantId, slug, displayName, regions } }] };
    }
    const same = state.displayName === displayName && state.regions.join() === regions.join() && state.status !== 'deleted';
    if (same) return { ...none, createdId: model.tenantId };
    throw conflict('tenant.slug_taken', `a tenant with slug ${slug} already exists`);
  }
  if (state.status === 'absent') throw notFound('tenant', model.tenantId);
  if (state.status === 'deleted') throw conflict('tenant.deleted', `tenant ${state.slug} is deleted; it can no longer change`);
  switch (command.type) {
    case 'RenameTenant':
      return state.displayName === command.data.displayName ? none : { streamId, events: [{ type: 'TenantRenamed', data: { displayName: command.data.displayName } }] };
    case 'ChangeTenantRegions':
      return state.regions.join() === command.data.regions.join()
        ? none
        : { streamId, events: [{ type: 'TenantRegionsChanged', data: { regions: command.data.regions } }] };
    case 'SuspendTenant':
      return state.status === 'suspended' ? none : { streamId, events: [{ type: 'TenantSuspended', data: { reason: command.data.reason } }] };
    case 'ReactivateTenant':
      return state.status === 'active' ? none : { streamId, events: [{ type: 'TenantReactivated', data: {} }] };
    case 'DeleteTenant': {
      const retainUntil = new Date(ctx.now.getTime() + command.data.retentionDays * DAY_MS).toISOString();
      return { streamId, events: [{ type: 'TenantDeleted', data: { reason: command.data.reason, retainUntil } }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
