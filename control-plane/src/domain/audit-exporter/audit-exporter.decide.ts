import type { AuditExporterCommand, ExporterDelivery, ExporterDestination } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { conflict, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

/** Canonical text of a value: object keys sorted, so equal configurations compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
const sameConfig = (a: { name: string; destination: ExporterDestination; delivery: ExporterDelivery }, b: typeof a) =>
  a.name === b.name && canonical(a.destination) === canonical(b.destination) && canonical(a.delivery) === canonical(b.delivery);

/**
 * The tenant's SIEM exporters. Ids are generated (`exp_…`), so a repeated create is recognised by
 * its name and configuration (idempotent) instead; unique names, referenced credentials and the
 * limit are cross-stream rules in `invariants.ts`. Secrets are never here: the destination names
 * vaulted credentials.
 */
export const decideAuditExporter = (command: AuditExporterCommand, model: TenantView, ctx: CommandContext): Decision => {
  if (model.tenant.status === 'absent') throw notFound('tenant', model.tenantId);
  if (model.tenant.status === 'deleted') throw conflict('tenant.deleted', `tenant ${model.tenant.slug} is deleted; it can no longer change`);
  if (command.type === 'CreateAuditExporter') {
    const { name, destination, delivery, startFrom, enabled } = command.data;
    const existing = [...model.auditExporters.values()].find((e) => e.status === 'active' && e.name === name);
    if (existing) {
      const same = sameConfig(existing, { name, destination, delivery }) && existing.startFrom === startFrom && existing.enabled === enabled;
      if (same) return { streamId: streamOf('audit-exporter', existing.exporterId), createdId: existing.exporterId, events: [] };
      throw conflict('audit_exporter.name_taken', `an audit exporter named ${name} exists; update it instead`, { id: existing.exporterId });
    }
    const exporterId = ctx.newId('exp');
    return {
      streamId: streamOf('audit-exporter', exporterId),
      createdId: exporterId,
      events: [{ type: 'AuditExporterCreated', data: { exporterId, name, destination, delivery, startFrom, enabled } }],
    };
  }
  const { exporterId } = command.data;
  const streamId = streamOf('audit-exporter', exporterId);
  const current = model.auditExporters.get(exporterId);
  if (!current || (current.status === 'deleted' && command.type !== 'DeleteAuditExporter')) throw notFound('audit-exporter', exporterId);
  switch (command.type) {
    case 'UpdateAuditExporter': {
      const next = { name: command.data.name ?? current.name, destination: command.data.destination ?? current.destination, delivery: command.data.delivery ?? current.delivery };
      return { streamId, events: sameConfig(current, next) ? [] : [{ type: 'AuditExporterReconfigured', data: next }] };
    }
    case 'EnableAuditExporter':
      return { streamId, events: current.enabled ? [] : [{ type: 'AuditExporterEnabled', data: {} }] };
    case 'DisableAuditExporter':
      return { streamId, events: current.enabled ? [{ type: 'AuditExporterDisabled', data: {} }] : [] };
    case 'DeleteAuditExporter':
      return { streamId, events: current.status === 'deleted' ? [] : [{ type: 'AuditExporterDeleted', data: {} }] };
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
