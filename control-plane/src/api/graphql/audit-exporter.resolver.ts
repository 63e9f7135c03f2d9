import { Inject } from '@nestjs/common';
import { Args, Context, Field, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { deadLetters, deliveryStates, headSeq, requestRedrive, type RedriveRow } from '../../audit/exporters/export-store.js';
import { DomainError } from '../../domain/domain-error.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { pageSize } from './page-size.js';
import { CommandResultNode } from './types.js';

@ObjectType({ description: 'Where an exporter stands in its tenant’s audit trail, as stored by the exporters role (shared by every replica).' })
export class AuditExporterDeliveryNode {
  @Field(() => Float, { description: 'last seq the receiver acknowledged (or that went to a dead letter); 0 before the first delivery' }) cursorSeq!: number;
  @Field(() => Float, { description: 'newest seq of the tenant’s trail' }) headSeq!: number;
  @Field(() => Float, { description: 'records recorded but not yet delivered: headSeq − cursorSeq' }) lag!: number;
  @Field(() => Float, { description: 'records acknowledged so far (a redelivered record counts again)' }) delivered!: number;
  @Field(() => Date, { nullable: true }) lastDeliveryAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'the last failure: a status or error code, never a secret' }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) lastErrorAt!: Date | null;
  @Field(() => Int, { description: 'failed attempts of the batch in hand' }) consecutiveFailures!: number;
  @Field(() => Float, { description: 'batches given up on after their retries' }) deadLetters!: number;
  @Field(() => String, { nullable: true, description: 'the control-plane instance delivering now, while it holds the lease' }) deliveringInstance!: string | null;
}

@ObjectType({ description: "A SIEM exporter of the tenant's audit trail. Secrets appear only as credential references." })
export class AuditExporterNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'splunk-hec, elasticsearch, syslog, webhook or file' }) kind!: string;
  @Field(() => GraphQLJSONObject, { description: 'the destination as configured; credentials as ids only' }) destination!: Record<string, unknown>;
  @Field(() => Int) batchSize!: number;
  @Field(() => Int, { description: 'attempts of a batch before it becomes a dead letter' }) maxAttempts!: number;
  @Field(() => String, { description: 'earliest or latest: where a new exporter started in the trail' }) startFrom!: string;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { description: 'active or deleted' }) status!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => AuditExporterDeliveryNode, { nullable: true, description: 'null until the exporters role first ran it' }) delivery!: AuditExporterDeliveryNode | null;
}

@ObjectType({ description: "A request to deliver a dead letter's records again, and how it went." })
export class AuditExportRedriveNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) deadLetterId!: string;
  @Field(() => String, { description: 'pending (the exporter sends it between batches), delivered or failed' }) status!: string;
  @Field(() => Int, { description: 'sends tried so far (at most the exporter’s maxAttempts)' }) attempts!: number;
  @Field(() => String, { nullable: true, description: 'why the last send failed: a status or error code, never a secret' }) lastError!: string | null;
  @Field(() => GraphQLJSONObject, { description: 'who asked for it' }) requestedBy!: Record<string, unknown>;
  @Field(() => Date) requestedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}

const redriveNode = (r: RedriveRow): AuditExportRedriveNode => ({ ...r, requestedBy: JSON.parse(r.requestedBy) as Record<string, unknown> });

@ObjectType({ description: 'A batch an exporter gave up on: its seq range stays in the audit trail.' })
export class AuditExportDeadLetterNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) exporterId!: string;
  @Field(() => Float) fromSeq!: number;
  @Field(() => Float) throughSeq!: number;
  @Field(() => Int) events!: number;
  @Field(() => Int) attempts!: number;
  @Field(() => String) error!: string;
  @Field(() => Date) firstFailedAt!: Date;
  @Field(() => Date) createdAt!: Date;
  @Field(() => AuditExportRedriveNode, { nullable: true, description: 'the newest request to deliver it again' }) redrive!: AuditExportRedriveNode | null;
}

@InputType()
export class CreateAuditExporterInput {
  @Field(() => String) name!: string;
  @Field(() => GraphQLJSONObject, {
    description:
      '{kind: splunk-hec, url, tokenCredentialId, index?, sourcetype?, source?} | {kind: elasticsearch, url, index, apiKeyCredentialId?} | ' +
      '{kind: syslog, host, port, transport: tcp|tls, payload: cef|leef, facility?, caCertificatePem?, serverName?, clientCertificatePem?, clientKeyCredentialId?} | ' +
      '{kind: webhook, url, signingKeyCredentialId, format?: mcpgate|ocsf} | {kind: file, directory, format?, rotateBytes?, rotateSeconds?}. ' +
      'Secrets are vaulted credentials (storeCredential) named by id.',
  })
  destination!: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) batchSize?: number | null;
  @Field(() => Int, { nullable: true }) maxAttempts?: number | null;
  @Field(() => String, { nullable: true, description: 'earliest (default: the whole stored trail) or latest' }) startFrom?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'default true' }) enabled?: boolean | null;
}

@InputType({ description: 'fields left out keep their value; batchSize and maxAttempts together replace the delivery settings' })
export class UpdateAuditExporterInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'replaces the whole destination' }) destination?: Record<string, unknown> | null;
  @Field(() => Int, { nullable: true }) batchSize?: number | null;
  @Field(() => Int, { nullable: true }) maxAttempts?: number | null;
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

@Resolver(() => AuditExporterNode)
export class AuditExporterResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('exporter:read')
  @Query(() => [AuditExporterNode], { description: "the tenant's SIEM exporters with their delivery status (cursor, lag, last delivery, last error, dead letters)" })
  async auditExporters(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('includeDeleted', { type: () => Boolean, defaultValue: false }) includeDeleted: boolean,
  ): Promise<AuditExporterNode[]> {
    const exporters = [...(this.runtime.applier.tenant(tenantId)?.auditExporters.values() ?? [])]
      .filter((e) => includeDeleted || e.status === 'active')
      .sort((a, b) => a.name.localeCompare(b.name) || a.exporterId.localeCompare(b.exporterId));
    if (exporters.length === 0) return [];
    const sql = this.runtime.database.prisma;
    const [states, head] = await Promise.all([deliveryStates(sql, tenantId, exporters.map((e) => e.exporterId)), headSeq(sql, tenantId)]);
    return exporters.map((e) => {
      const state = states.get(e.exporterId);
      return {
        id: e.exporterId,
        tenantId,
        name: e.name,
        kind: e.destination.kind,
        destination: { ...e.destination },
        batchSize: e.delivery.batchSize,
        maxAttempts: e.delivery.maxAttempts,
        startFrom: e.startFrom,
        enabled: e.enabled,
        status: e.status,
        createdAt: new Date(e.createdAt),
        updatedAt: new Date(e.updatedAt),
        delivery: state
          ? {
              cursorSeq: state.cursorSeq,
              headSeq: head,
              lag: Math.max(0, head - state.cursorSeq),
              delivered: state.delivered,
              lastDeliveryAt: state.lastDeliveryAt ?? null,
              lastError: state.lastError ?? null,
              lastErrorAt: state.lastErrorAt ?? null,
              consecutiveFailures: state.consecutiveFailures,
              deadLetters: state.deadLetters,
              deliveringInstance: state.owner ?? null,
            }
          : null,
      };
    });
  }

  @RequirePermission('exporter:read')
  @Query(() => [AuditExportDeadLetterNode], { description: 'dead letters of one exporter, newest first; `before` is the last id of the previous page' })
  async auditExportDeadLetters(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('exporterId', { type: () => ID }) exporterId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('before', { type: () => String, nullable: true }) before: string | null | undefined,
  ): Promise<AuditExportDeadLetterNode[]> {
    if (present(before) && !/^\d{1,19}$/.test(before)) throw new DomainError('VALIDATION', 'page.invalid_cursor', 'before must be the id of a dead letter');
    if (!this.runtime.applier.tenant(tenantId)?.auditExporters.has(exporterId)) throw new DomainError('NOT_FOUND', 'audit_exporter.not_found', `audit exporter ${exporterId} does not exist`, { id: exporterId });
    const letters = await deadLetters(this.runtime.database.prisma, tenantId, exporterId, pageSize(first), before ?? undefined);
    return letters.map((letter) => ({ ...letter, redrive: letter.redrive ? redriveNode(letter.redrive) : null }));
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => AuditExportRedriveNode, {
    description:
      "delivers a dead letter's records again, out of band, once the receiver is back (receivers de-duplicate by event id); asking while a request for it is pending returns that request",
  })
  async redriveAuditExportDeadLetter(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('exporterId', { type: () => ID }) exporterId: string,
    @Args('deadLetterId', { type: () => ID }) deadLetterId: string,
  ): Promise<AuditExportRedriveNode> {
    const exporter = this.runtime.applier.tenant(tenantId)?.auditExporters.get(exporterId);
    if (!exporter || exporter.status === 'deleted') throw new DomainError('NOT_FOUND', 'audit_exporter.not_found', `audit exporter ${exporterId} does not exist`, { id: exporterId });
    const requestedBy = JSON.stringify(req.principal!.actor);
    const redrive = await requestRedrive(this.runtime.database.prisma, { tenantId, exporterId, deadLetterId, requestedBy });
    if (!redrive) throw new DomainError('NOT_FOUND', 'audit_export_dead_letter.not_found', `exporter ${exporterId} has no dead letter ${deadLetterId}`, { id: deadLetterId });
    return redriveNode(redrive);
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => CommandResultNode, { description: "starts exporting the tenant's audit trail to a SIEM; the new exporter's id is the result's id" })
  async createAuditExporter(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input', { type: () => CreateAuditExporterInput }) input: CreateAuditExporterInput,
  ): Promise<CommandResultNode> {
    const delivery = { ...(present(input.batchSize) ? { batchSize: input.batchSize } : {}), ...(present(input.maxAttempts) ? { maxAttempts: input.maxAttempts } : {}) };
    const data = {
      name: input.name,
      destination: input.destination,
      delivery,
      ...(present(input.startFrom) ? { startFrom: input.startFrom } : {}),
      ...(present(input.enabled) ? { enabled: input.enabled } : {}),
    };
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreateAuditExporter', data }));
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => CommandResultNode)
  async updateAuditExporter(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('exporterId', { type: () => ID }) exporterId: string,
    @Args('input', { type: () => UpdateAuditExporterInput }) input: UpdateAuditExporterInput,
  ): Promise<CommandResultNode> {
    const current = this.runtime.applier.tenant(tenantId)?.auditExporters.get(exporterId);
    const deliveryChanged = present(input.batchSize) || present(input.maxAttempts);
    const data = {
      exporterId,
      ...(present(input.name) ? { name: input.name } : {}),
      ...(present(input.destination) ? { destination: input.destination } : {}),
      ...(deliveryChanged && current
        ? { delivery: { batchSize: input.batchSize ?? current.delivery.batchSize, maxAttempts: input.maxAttempts ?? current.delivery.maxAttempts } }
        : deliveryChanged
          ? { delivery: { ...(present(input.batchSize) ? { batchSize: input.batchSize } : {}), ...(present(input.maxAttempts) ? { maxAttempts: input.maxAttempts } : {}) } }
          : {}),
    };
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'UpdateAuditExporter', data }));
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => CommandResultNode, { description: 'resumes delivery from the exporter’s cursor: nothing recorded meanwhile is skipped' })
  async enableAuditExporter(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string, @Args('exporterId', { type: () => ID }) exporterId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'EnableAuditExporter', data: { exporterId } }));
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => CommandResultNode, { description: 'pauses delivery; the cursor stays where it is' })
  async disableAuditExporter(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string, @Args('exporterId', { type: () => ID }) exporterId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DisableAuditExporter', data: { exporterId } }));
  }

  @RequirePermission('exporter:manage')
  @Mutation(() => CommandResultNode, { description: 'stops the exporter for good; its delivery state and dead letters are kept' })
  async deleteAuditExporter(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string, @Args('exporterId', { type: () => ID }) exporterId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeleteAuditExporter', data: { exporterId } }));
  }
}
