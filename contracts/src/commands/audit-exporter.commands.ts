import { z } from 'zod';
import { AuditExporterConfig, AuditExporterId, ExporterDelivery, ExporterDestination } from '../events/audit-exporter.events.js';
import { Slug } from '../ids.js';
import { commandSchema } from './command.js';

/**
 * Exports the tenant's audit trail to a SIEM. Secrets (HEC tokens, HMAC keys, API keys, TLS private
 * keys) are never part of the command: it names vaulted credentials, which must exist.
 */
export const CreateAuditExporter = commandSchema(
  'CreateAuditExporter',
  AuditExporterConfig.extend({ startFrom: z.enum(['earliest', 'latest']).default('earliest'), enabled: z.boolean().default(true) }),
);

/** Changes some of the configuration; fields left out keep their value. At least one is needed. */
export const UpdateAuditExporter = commandSchema(
  'UpdateAuditExporter',
  z
    .object({ exporterId: AuditExporterId, name: Slug.optional(), destination: ExporterDestination.optional(), delivery: ExporterDelivery.optional() })
    .refine((d) => d.name !== undefined || d.destination !== undefined || d.delivery !== undefined, { message: 'name at least one of name, destination, delivery' }),
);
export const EnableAuditExporter = commandSchema('EnableAuditExporter', z.object({ exporterId: AuditExporterId }));
export const DisableAuditExporter = commandSchema('DisableAuditExporter', z.object({ exporterId: AuditExporterId }));
/** Stops the exporter for good; its delivery state and dead letters are kept as evidence. */
export const DeleteAuditExporter = commandSchema('DeleteAuditExporter', z.object({ exporterId: AuditExporterId }));

export const AuditExporterCommand = z.discriminatedUnion('type', [CreateAuditExporter, UpdateAuditExporter, EnableAuditExporter, DisableAuditExporter, DeleteAuditExporter]);
export type AuditExporterCommand = z.infer<typeof AuditExporterCommand>;
