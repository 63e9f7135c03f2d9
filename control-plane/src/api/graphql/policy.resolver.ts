import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { bigintAsString } from '../../core/json.js';
import { DomainError } from '../../domain/domain-error.js';
import { SampleCall, simulatePolicyChange } from '../../policy/simulate.js';
import type { LogPosition } from '../../event-log/event-log.port.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { CommandResultNode } from './types.js';

@ObjectType()
export class PolicyNode {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => GraphQLJSONObject, { description: 'toolRules, rateLimits, budgets, audit' }) document!: Record<string, unknown>;
  @Field(() => Int, { description: 'the policy version: its stream version' }) version!: number;
  @Field(() => Date) updatedAt!: Date;
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
  @Query(() => [PolicyNode])
  async policies(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<PolicyNode[]> {
    const rows = await this.runtime.database.prisma.policy.findMany({ where: { tenantId, status: 'active' }, orderBy: { name: 'asc' } });
    return rows.map((r) => ({ ...r, document: r.document as Record<string, unknown> }));
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
  @Query(() => [GraphQLJSONObject], {
    description: 'decides sample calls under the policies as they are and with a candidate document (replacing policyId, or added); answers each with before, after and changed',
  })
  simulatePolicyChange(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('policyId', { type: () => ID, nullable: true }) policyId: string | null,
    @Args('candidate', { type: () => GraphQLJSONObject }) candidate: Record<string, unknown>,
    @Args('calls', { type: () => [GraphQLJSONObject] }) calls: Record<string, unknown>[],
  ): Record<string, unknown>[] {
    const tenant = this.runtime.applier.tenant(tenantId);
    if (!tenant) throw new DomainError('NOT_FOUND', 'tenant.not_found', `tenant ${tenantId} does not exist`);
    if (calls.length > 1_000) throw new DomainError('VALIDATION', 'simulation.too_many_calls', 'simulate at most 1,000 calls at once');
    return simulatePolicyChange(tenant, policyId ?? undefined, candidate, calls.map((c) => SampleCall.parse(c))).map((r) => json(r));
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
