import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { tokenLastUse } from '../../audit/access-use.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, Connection, containing, paginate, type ListModel } from './connection.js';
import { NAMED_ORDER, NamedOrder } from './list.types.js';
import { CommandResultNode } from './types.js';
import type { ServiceAccount as ServiceAccountRow } from '../../generated/prisma/client.js';

@ObjectType({ description: 'An API token of a service account, without its secret.' })
export class ApiTokenNode {
  @Field(() => ID) id!: string;
  @Field(() => String) tokenPrefix!: string;
  @Field(() => String) status!: string;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'when the token last authenticated a request (written every few seconds); null if never' }) lastUsedAt!: Date | null;
}

@ObjectType({ description: 'An identity for automation in one tenant, with fixed permissions there.' })
export class ServiceAccountNode {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) permissions!: string[];
  @Field(() => [ApiTokenNode]) tokens!: ApiTokenNode[];
}

@ObjectType() export class ServiceAccountConnection extends Connection(ServiceAccountNode) {}

@InputType()
export class ServiceAccountFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or deleted' }) status?: string | null;
}

@ObjectType()
export class IssuedTokenNode {
  @Field(() => ID) tokenId!: string;
  @Field(() => String, { description: 'the whole token: shown exactly once; send it as `Authorization: Bearer <token>`' }) token!: string;
}

@Resolver(() => ServiceAccountNode)
export class ServiceAccountResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('service-account:manage')
  @Query(() => ServiceAccountConnection, { description: 'service accounts of a tenant with their tokens (no secrets), by name unless `orderBy` says otherwise' })
  async serviceAccounts(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => ServiceAccountFilter, nullable: true }) filter: ServiceAccountFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<ServiceAccountConnection> {
    const prisma = this.runtime.database.prisma;
    const where = conditions({ tenantId, status: filter?.status ?? 'active', name: containing(filter?.nameContains) });
    const page = await paginate(prisma.serviceAccount as unknown as ListModel<ServiceAccountRow>, where, { first, after, orderBy }, NAMED_ORDER);
    const tokens = await prisma.apiToken.findMany({ where: { tenantId, serviceAccountId: { in: page.nodes.map((a) => a.id) } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
    const lastUse = await tokenLastUse(prisma, tenantId, { tokenIds: tokens.map((t) => t.id) });
    const withUse = tokens.map((t) => ({ ...t, lastUsedAt: lastUse.get(t.id)?.lastUsedAt ?? null }));
    return { ...page, nodes: page.nodes.map((a) => ({ ...a, tokens: withUse.filter((t) => t.serviceAccountId === a.id) })) };
  }

  @RequirePermission('service-account:manage')
  @Mutation(() => CommandResultNode, { description: 'refused with FORBIDDEN when asked for a permission the caller does not hold in the tenant' })
  async createServiceAccount(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('name', { type: () => String }) name: string,
    @Args('permissions', { type: () => [String] }) permissions: string[],
    @Args('description', { type: () => String, defaultValue: '' }) description: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreateServiceAccount', data: { name, permissions, description } }));
  }

  @RequirePermission('service-account:manage')
  @Mutation(() => IssuedTokenNode)
  async issueApiToken(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('serviceAccountId', { type: () => ID }) serviceAccountId: string,
    @Args('expiresAt', { type: () => Date, nullable: true }) expiresAt: Date | null,
  ): Promise<IssuedTokenNode> {
    const result = await runCommand(this.runtime, req, tenantId, { type: 'IssueApiToken', data: { serviceAccountId, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) } });
    return { tokenId: result.createdId!, token: result.secret! };
  }

  @RequirePermission('service-account:manage')
  @Mutation(() => CommandResultNode)
  async revokeApiToken(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('serviceAccountId', { type: () => ID }) serviceAccountId: string,
    @Args('tokenId', { type: () => ID }) tokenId: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RevokeApiToken', data: { serviceAccountId, tokenId, reason } }));
  }
}
