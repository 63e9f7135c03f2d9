import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
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

@Resolver(() => CredentialNode)
export class CredentialResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('credential:read')
  @Query(() => [CredentialNode])
  credentials(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<CredentialNode[]> {
    return this.runtime.database.prisma.credential.findMany({ where: { tenantId, status: 'active' }, orderBy: { name: 'asc' } });
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
