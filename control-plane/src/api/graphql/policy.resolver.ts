import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { bigintAsString } from '../../core/json.js';
import { DomainError } from '../../domain/domain-error.js';
import { listAuditRecords, type AuditFilter } from '../../audit/audit-query.js';
import { SampleCall, simulatePolicyChange } from '../../policy/simulate.js';
import { simulateRecordedCalls, type RecordedCall } from '../../policy/simulate-recorded.js';
import type { LogPosition } from '../../event-log/event-log.port.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, Connection, containing, paginate, type ListModel } from './connection.js';
import { NAMED_ORDER, NamedOrder } from './list.types.js';
import { pageSize } from './page-size.js';
import { CommandResultNode } from './types.js';
import type { Policy as PolicyRow } from '../../generated/prisma/client.js';

@ObjectType()
export class PolicyNode {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => GraphQLJSONObject, { description: 'toolRules, rateLimits, budgets, toolCosts, audit' }) document!: Record<string, unknown>;
  @Field(() => Int, { description: 'the policy version: its stream version' }) version!: number;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType() export class PolicyConnection extends Connection(PolicyNode) {}

@InputType()
export class PolicyFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or deleted' }) status?: string | null;
}

const MAX_RECORDED_CALLS = 5_000;

@ObjectType({ description: 'A recorded tool call whose outcome the candidate policy would change.' })
export class SimulatedCallChangeNode {
  @Field(() => ID) eventId!: string;
  @Field(() => Date) time!: Date;
  @Field(() => String) tool!: string;
  @Field(() => GraphQLJSONObject, { description: 'as the audit trail recorded it (key id and prefix, or OAuth issuer, subject and groups)' }) principal!: Record<string, unknown>;
  @Field(() => String, { description: 'allowed, denied or failed, as it happened' }) recordedOutcome!: string;
  @Field(() => String, { description: 'allowed or denied under the policies now' }) before!: string;
  @Field(() => String, { description: 'allowed or denied with the candidate' }) after!: string;
  @Field(() => String, { nullable: true }) ruleBefore!: string | null;
  @Field(() => String, { nullable: true }) ruleAfter!: string | null;
  @Field(() => String) reasonBefore!: string;
  @Field(() => String) reasonAfter!: string;
}

@ObjectType({ description: 'What a policy change would do to sample calls or to the calls the audit trail recorded.' })
export class PolicySimulationNode {
  @Field(() => String, { description: '`sample` (the calls given) or `recorded` (the audit trail)' }) source!: string;
  @Field(() => Int) examined!: number;
  @Field(() => Int, { description: 'calls whose outcome flips' }) changed!: number;
  @Field(() => Int) newlyDenied!: number;
  @Field(() => Int) newlyAllowed!: number;
  @Field(() => [SimulatedCallChangeNode], { description: 'recorded calls that would change outcome, newest first' }) changedCalls!: SimulatedCallChangeNode[];
  @Field(() => [GraphQLJSONObject], { description: 'every sample call with before, after, changed and decidedByOtherRule' }) sampleResults!: Record<string, unknown>[];
}

/** `<partition>:<offset>` as the API shows log positions. */
const parsePosition = (value: string): LogPosition => {
  const match = /^(\d+):(\d+)$/.exec(value);
  if (!match) throw new DomainError('VALIDATION', 'point_in_time.invalid_position', 'a log position looks like <partition>:<offset>, e.g. 0:42');
  return { partition: Number(match[1]), offset: BigInt(match[2]!) };
};
const json = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value, bigintAsString)) as Record<string, unknown>;

@Resolver(() => PolicyNode)
export class PolicyResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('policy:read')
  @Query(() => PolicyConnection, { description: 'policies of a tenant, by name unless `orderBy` says otherwise' })
  async policies(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => PolicyFilter, nullable: true }) filter: PolicyFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<PolicyConnection> {
    const where = conditions({ tenantId, status: filter?.status ?? 'active', name: containing(filter?.nameContains) });
    const page = await paginate(this.runtime.database.prisma.policy as unknown as ListModel<PolicyRow>, where, { first, after, orderBy }, NAMED_ORDER);
    return { ...page, nodes: page.nodes.map((r) => ({ ...r, document: r.document as Record<string, unknown> })) };
  }

  @RequirePermission('policy:read')
  @Query(() => GraphQLJSONObject, { description: 'the policies in force at a past log position ("latest" for now) and how they combine' })
  async effectivePolicyAt(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('at', { type: () => String }) at: string): Promise<Record<string, unknown>> {
    return json(await this.runtime.pointInTime.effectivePolicyAt(tenantId, at === 'latest' ? 'latest' : parsePosition(at)));
  }

  @RequirePermission('policy:read')
  @Query(() => GraphQLJSONObject, { description: 'what changed in the tenant’s policies between two log positions, and who changed it' })
  async policyDiff(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('from', { type: () => String }) from: string,
    @Args('to', { type: () => String }) to: string,
  ): Promise<Record<string, unknown>> {
    return json(await this.runtime.pointInTime.diffPolicies(tenantId, parsePosition(from), parsePosition(to)));
  }

  @RequirePermission('policy:simulate')
  @Query(() => PolicySimulationNode, {
    description:
      'decides calls under the policies as they are and with a candidate document (replacing policyId, or added): the sample `calls` when given, otherwise the tenant’s recorded tool calls from the audit trail (newest first, within from..to, at most `limit`)',
  })
  async simulatePolicyChange(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('policyId', { type: () => ID, nullable: true }) policyId: string | null,
    @Args('candidate', { type: () => GraphQLJSONObject }) candidate: Record<string, unknown>,
    @Args('calls', { type: () => [GraphQLJSONObject], nullable: true, description: 'sample calls {tool, user, groups, roles, keyId}; leave out to replay recorded calls' }) calls: Record<string, unknown>[] | null,
    @Args('from', { type: () => Date, nullable: true, description: 'recorded calls at or after this time' }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true, description: 'recorded calls before this time' }) to: Date | null,
    @Args('limit', { type: () => Int, defaultValue: 1_000, description: `recorded calls examined at most (up to ${MAX_RECORDED_CALLS})` }) limit: number,
  ): Promise<PolicySimulationNode> {
    const tenant = this.runtime.applier.tenant(tenantId);
    if (!tenant) throw new DomainError('NOT_FOUND', 'tenant.not_found', `tenant ${tenantId} does not exist`);
    if (calls) {
      if (calls.length > 1_000) throw new DomainError('VALIDATION', 'simulation.too_many_calls', 'simulate at most 1,000 calls at once');
      const results = simulatePolicyChange(tenant, policyId ?? undefined, candidate, calls.map((c) => SampleCall.parse(c)));
      const flipped = results.filter((r) => r.changed);
      const newlyDenied = flipped.filter((r) => !r.after.allowed).length;
      return { source: 'sample', examined: results.length, changed: flipped.length, newlyDenied, newlyAllowed: flipped.length - newlyDenied, changedCalls: [], sampleResults: results.map((r) => json(r)) };
    }
    if (from && to && from > to) throw new DomainError('VALIDATION', 'simulation.invalid_range', '`from` is after `to`');
    const recorded = await this.recordedCalls(tenantId, { ...(from ? { from } : {}), ...(to ? { to } : {}) }, pageSize(limit, MAX_RECORDED_CALLS));
    const simulation = simulateRecordedCalls(tenant, policyId ?? undefined, candidate, recorded);
    return {
      source: 'recorded',
      examined: simulation.examined,
      changed: simulation.changed,
      newlyDenied: simulation.newlyDenied,
      newlyAllowed: simulation.newlyAllowed,
      sampleResults: [],
      changedCalls: simulation.changes.map((c) => ({
        eventId: c.eventId,
        time: c.time,
        tool: c.tool,
        principal: c.principal,
        recordedOutcome: c.recordedOutcome,
        before: c.before.allowed ? 'allowed' : 'denied',
        after: c.after.allowed ? 'allowed' : 'denied',
        ruleBefore: c.before.ruleId ?? null,
        ruleAfter: c.after.ruleId ?? null,
        reasonBefore: c.before.reason,
        reasonAfter: c.after.reason,
      })),
    };
  }

  /** The tenant's recorded tool calls (`tools/call` with a tool), newest first. */
  private async recordedCalls(tenantId: string, period: Pick<AuditFilter, 'from' | 'to'>, limit: number): Promise<RecordedCall[]> {
    const page = await listAuditRecords(this.runtime.audit.sql, tenantId, { ...period, kind: 'tool-call', method: 'tools/call' }, { first: limit, order: 'desc' });
    return page.rows.flatMap((row) =>
      row.tool ? [{ eventId: row.eventId, time: row.time, tool: row.tool, principal: (row.event['principal'] ?? {}) as Record<string, unknown>, outcome: row.outcome }] : [],
    );
  }

  @RequirePermission('policy:manage')
  @Mutation(() => CommandResultNode)
  async createPolicy(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('name', { type: () => String }) name: string,
    @Args('document', { type: () => GraphQLJSONObject }) document: Record<string, unknown>,
    @Args('description', { type: () => String, defaultValue: '' }) description: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreatePolicy', data: { name, document, description } }));
  }

  @RequirePermission('policy:manage')
  @Mutation(() => CommandResultNode)
  async updatePolicy(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('policyId', { type: () => ID }) policyId: string,
    @Args('document', { type: () => GraphQLJSONObject }) document: Record<string, unknown>,
    @Args('changeNote', { type: () => String, defaultValue: '' }) changeNote: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'UpdatePolicy', data: { policyId, document, changeNote } }));
  }

  @RequirePermission('policy:manage')
  @Mutation(() => CommandResultNode)
  async deletePolicy(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string, @Args('policyId', { type: () => ID }) policyId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeletePolicy', data: { policyId } }));
  }
}
