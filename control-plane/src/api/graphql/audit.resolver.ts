import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import {
  auditRecord,
  recordAtSeq,
  callsOverTime,
  denialsByReason,
  encodeCursor,
  latencyPercentiles,
  listAuditRecords,
  topTools,
  AuditQueryError,
  type AuditFilter,
  type AuditRecordRow,
} from '../../audit/audit-query.js';
import { DomainError } from '../../domain/domain-error.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import {
  AuditBucketInterval,
  AuditCallBucketNode,
  AuditDenialCountNode,
  AuditFilterInput,
  AuditLatencyNode,
  AuditOrder,
  AuditRecordConnection,
  AuditRecordDetailNode,
  AuditRecordKind,
  AuditRecordNode,
  AuditToolCountNode,
  AuditVerificationNode,
} from './audit.types.js';
import { pageSize } from './page-size.js';

const MAX_FILTER_VALUE = 512;

const invalid = (reason: string, message: string) => new DomainError('VALIDATION', reason, message);

/** The API's filter as the query module's; conflicting or oversized values are VALIDATION errors. */
export const toAuditFilter = (input: AuditFilterInput | null | undefined): AuditFilter => {
  if (!input) return {};
  const keyIds = [input.keyId, input.principal?.keyId].filter((v): v is string => typeof v === 'string');
  if (keyIds.length === 2 && keyIds[0] !== keyIds[1]) throw invalid('audit.conflicting_filter', 'keyId and principal.keyId name different keys');
  const strings: Record<string, string | null | undefined> = {
    principalKind: input.principal?.kind,
    principalKeyId: keyIds[0],
    principalSubject: input.principal?.subject,
    principalIssuer: input.principal?.issuer,
    tool: input.tool,
    virtualServerId: input.virtualServerId,
    upstreamServerId: input.upstreamServerId,
    outcome: input.outcome,
    reason: input.reason,
    region: input.region,
    policyLogPosition: input.policyVersion,
    method: input.method,
  };
  const filter: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(strings)) {
    if (typeof value !== 'string') continue;
    if (value.length > MAX_FILTER_VALUE) throw invalid('audit.filter_too_long', `${name} is longer than ${MAX_FILTER_VALUE} characters`);
    filter[name] = value;
  }
  if (input.from) filter['from'] = input.from;
  if (input.to) filter['to'] = input.to;
  if (input.kind) filter['kind'] = input.kind;
  return filter as AuditFilter;
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const toRecordNode = (row: AuditRecordRow): AuditRecordNode => {
  const e = row.event;
  const decision = (e['decision'] ?? {}) as Record<string, unknown>;
  const version = (e['policyVersion'] ?? {}) as Record<string, unknown>;
  return {
    eventId: row.eventId,
    seq: row.seq,
    time: row.time,
    kind: e['kind'] === 'admin' ? AuditRecordKind.ADMIN : AuditRecordKind.TOOL_CALL,
    region: row.region,
    proxyId: str(e['proxyId']) ?? '',
    method: row.method,
    principal: (e['principal'] ?? {}) as Record<string, unknown>,
    virtualServerId: row.virtualServerId,
    upstreamServerId: row.upstreamServerId,
    tool: row.tool,
    argumentsHash: str(e['argumentsHash']),
    decision: {
      outcome: row.outcome,
      reason: row.reason,
      ruleId: str(decision['ruleId']),
      message: str(decision['message']),
      policyVersion: { logPosition: row.policyLogPosition, contentHash: str(version['contentHash']) ?? '' },
    },
    latencyMs: typeof e['latencyMs'] === 'number' ? e['latencyMs'] : 0,
    traceId: str(e['traceId']),
    change: (e['change'] as Record<string, unknown> | undefined) ?? null,
  };
};

/** The query module's errors are the caller's: VALIDATION with their reason. */
const mapped = async <T>(work: Promise<T>): Promise<T> => {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AuditQueryError) throw invalid(error.reason, error.message);
    throw error;
  }
};

const MAX_TOP = 100;

/**
 * The audit trail over GraphQL: records with filters and cursor pages, one record in detail,
 * aggregates for charts, verification, and a live tail. Every operation is scoped to the tenant in
 * its `tenantId` argument and checked there (audit:read; verification audit:verify), so another
 * tenant's id answers FORBIDDEN like an unknown one.
 */
@Resolver()
export class AuditResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('audit:read')
  @Query(() => AuditRecordConnection, { description: 'audit records of a tenant (tool calls and admin changes), newest first unless `order` says otherwise' })
  async auditEvents(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page' }) after: string | null,
    @Args('order', { type: () => AuditOrder, defaultValue: AuditOrder.NEWEST_FIRST }) order: AuditOrder,
  ): Promise<AuditRecordConnection> {
    const page = await mapped(listAuditRecords(this.runtime.audit.sql, tenantId, toAuditFilter(filter), { first: pageSize(first), after: after ?? undefined, order }));
    return {
      edges: page.rows.map((row) => ({ cursor: encodeCursor(row, order), node: toRecordNode(row) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.total,
    };
  }

  @RequirePermission('audit:read')
  @Query(() => AuditRecordDetailNode, { nullable: true, description: 'one audit record with its chain links and the policy version and rule that decided it; null when the tenant has no such record' })
  async auditEvent(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('eventId', { type: () => ID }) eventId: string): Promise<AuditRecordDetailNode | null> {
    const row = await mapped(auditRecord(this.runtime.audit.sql, tenantId, eventId));
    if (!row) return null;
    return { ...toRecordNode(row), event: row.event, hash: row.hash, prevHash: row.prevHash, macKeyId: row.macKeyId, checkpoint: row.checkpoint };
  }

  @RequirePermission('audit:read')
  @Query(() => [AuditCallBucketNode], { description: 'calls per time bucket (only buckets with calls), oldest first; tool calls unless filter.kind says otherwise' })
  auditCallsOverTime(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
    @Args('interval', { type: () => AuditBucketInterval, defaultValue: AuditBucketInterval.HOUR }) interval: AuditBucketInterval,
  ): Promise<AuditCallBucketNode[]> {
    return mapped(callsOverTime(this.runtime.audit.sql, tenantId, toAuditFilter(filter), interval));
  }

  @RequirePermission('audit:read')
  @Query(() => [AuditToolCountNode], { description: 'the most called tools, most calls first' })
  auditTopTools(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
  ): Promise<AuditToolCountNode[]> {
    return mapped(topTools(this.runtime.audit.sql, tenantId, toAuditFilter(filter), pageSize(first, MAX_TOP)));
  }

  @RequirePermission('audit:read')
  @Query(() => [AuditDenialCountNode], { description: 'denied calls by reason and rule, most first' })
  auditDenialsByReason(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<AuditDenialCountNode[]> {
    return mapped(denialsByReason(this.runtime.audit.sql, tenantId, toAuditFilter(filter), pageSize(first, MAX_TOP)));
  }

  @RequirePermission('audit:read')
  @Query(() => AuditLatencyNode, { description: 'latency percentiles (p50, p95, p99) of the matching calls' })
  auditLatency(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
  ): Promise<AuditLatencyNode> {
    return mapped(latencyPercentiles(this.runtime.audit.sql, tenantId, toAuditFilter(filter)));
  }

  @RequirePermission('audit:verify')
  @Query(() => AuditVerificationNode, { description: 'proves the tenant’s trail (or the part around from..to) intact, or names the first altered, removed or inserted record' })
  async auditVerification(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
  ): Promise<AuditVerificationNode> {
    if (from && to && from > to) throw invalid('audit.invalid_range', '`from` is after `to`');
    const v = await this.runtime.audit.verify({ tenantId, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (!v.ok) {
      const stored = await recordAtSeq(this.runtime.audit.sql, tenantId, v.firstBadSeq);
      return {
        ok: false,
        tenantId,
        problem: { kind: v.problem, seq: v.firstBadSeq, detail: v.detail, eventId: stored?.eventId ?? null, time: stored?.time ?? null },
        records: v.records,
        checkpoints: v.checkpoints,
        fromSeq: null,
        toSeq: null,
        anchor: null,
        lastCheckpointSeq: null,
        unsignedTail: 0,
        retentions: 0,
        macChecked: this.runtime.audit.keys.mac !== undefined,
      };
    }
    return { ...v, problem: null };
  }

  @RequirePermission('audit:read')
  @Subscription(() => AuditRecordNode, { description: 'audit records of the tenant matching the filter as they are written', resolve: (node: AuditRecordNode) => node })
  auditTail(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter: AuditFilterInput | null,
  ): AsyncIterableIterator<AuditRecordNode> {
    const rows = this.runtime.audit.tail.follow(tenantId, toAuditFilter(filter));
    const nodes: AsyncIterableIterator<AuditRecordNode> = {
      next: async () => {
        const next = await rows.next();
        return next.done ? { done: true, value: undefined } : { done: false, value: toRecordNode(next.value) };
      },
      return: async () => {
        await rows.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => nodes,
    };
    return nodes;
  }
}
