import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, Connection, containing, paginate, type ListModel } from './connection.js';
import { NAMED_ORDER, NamedOrder } from './list.types.js';
import { CommandResultNode } from './types.js';

@ObjectType({ description: 'A vaulted credential: metadata only. No API ever returns a credential’s secret.' })
export class CredentialNode {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'shared or per-user' }) kind!: string;
  @Field(() => String) description!: string;
  @Field(() => Int) perUserCount!: number;
  @Field(() => Date, { nullable: true }) rotatedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType() export class CredentialConnection extends Connection(CredentialNode) {}

@InputType()
export class CredentialFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'shared or per-user' }) kind?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or deleted' }) status?: string | null;
}

@Resolver(() => CredentialNode)
export class CredentialResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('credential:read')
  @Query(() => CredentialConnection, { description: 'vaulted credentials of a tenant (metadata only), by name unless `orderBy` says otherwise' })
  credentials(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => CredentialFilter, nullable: true }) filter: CredentialFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<CredentialConnection> {
    const where = conditions({ tenantId, status: filter?.status ?? 'active', name: containing(filter?.nameContains), kind: filter?.kind ?? undefined });
    return paginate(this.runtime.database.prisma.credential as unknown as ListModel<CredentialNode>, where, { first, after, orderBy }, NAMED_ORDER);
  }

  @RequirePermission('credential:manage')
  @Mutation(() => CommandResultNode, { description: 'stores a secret in the vault: it is sealed at once and never shown again' })
  async storeCredential(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('name', { type: () => String }) name: string,
    @Args('kind', { type: () => String, defaultValue: 'shared' }) kind: string,
    @Args('secret', { type: () => String, nullable: true, description: 'required for shared credentials' }) secret: string | null,
    @Args('description', { type: () => String, defaultValue: '' }) description: string,
  ): Promise<CommandResultNode> {
    const sealed = secret ? { secret: this.runtime.vault.seal(secret) } : {};
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'StoreCredential', data: { name, kind, description, ...sealed } }));
  }

  @RequirePermission('credential:manage')
  @Mutation(() => CommandResultNode)
  async rotateCredential(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('credentialId', { type: () => ID }) credentialId: string,
    @Args('secret', { type: () => String }) secret: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RotateCredential', data: { credentialId, secret: this.runtime.vault.seal(secret) } }));
  }

  @RequirePermission('credential:manage')
  @Mutation(() => CommandResultNode)
  async deleteCredential(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('credentialId', { type: () => ID }) credentialId: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeleteCredential', data: { credentialId } }));
  }
}
