import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLE_PERMISSIONS } from '@mcpgate/contracts';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { CommandResultNode } from './types.js';

@ObjectType({ description: 'A role: built in (every tenant has them, unchangeable) or custom to the tenant.' })
export class RoleNode {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) permissions!: string[];
  @Field(() => Boolean) builtIn!: boolean;
}

@ObjectType({ description: 'A user or IdP group granted a role in the tenant.' })
export class RoleBindingNode {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLJSONObject) subject!: Record<string, unknown>;
  @Field(() => String) role!: string;
  @Field(() => String) status!: string;
}

@Resolver(() => RoleNode)
export class AccessResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('role:read')
  @Query(() => [RoleNode], { description: 'built-in roles first, then the tenant’s custom roles by name' })
  async roles(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<RoleNode[]> {
    const custom = await this.runtime.database.prisma.role.findMany({ where: { tenantId, status: 'active' }, orderBy: { name: 'asc' } });
    return [
      ...BUILT_IN_ROLE_NAMES.map((name) => ({ id: name, name, description: 'built-in role', permissions: [...BUILT_IN_ROLE_PERMISSIONS[name]], builtIn: true })),
      ...custom.map((r) => ({ id: r.id, name: r.name, description: r.description, permissions: r.permissions, builtIn: false })),
    ];
  }

  @RequirePermission('member:read')
  @Query(() => [RoleBindingNode])
  async roleBindings(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<RoleBindingNode[]> {
    const rows = await this.runtime.database.prisma.roleBinding.findMany({ where: { tenantId, status: 'active' }, orderBy: { subjectKey: 'asc' } });
    return rows.map((r) => ({ id: r.id, subject: r.subject as Record<string, unknown>, role: r.role, status: r.status }));
  }

  @RequirePermission('role:manage')
  @Mutation(() => CommandResultNode)
  async createRole(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('name', { type: () => String }) name: string,
    @Args('permissions', { type: () => [String] }) permissions: string[],
    @Args('description', { type: () => String, defaultValue: '' }) description: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreateRole', data: { name, permissions, description } }));
  }

  @RequirePermission('role:manage')
  @Mutation(() => CommandResultNode)
  async changeRolePermissions(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('roleId', { type: () => ID }) roleId: string,
    @Args('permissions', { type: () => [String] }) permissions: string[],
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'ChangeRolePermissions', data: { roleId, permissions } }));
  }

  @RequirePermission('role:manage')
  @Mutation(() => CommandResultNode)
  async deleteRole(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string, @Args('roleId', { type: () => ID }) roleId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeleteRole', data: { roleId } }));
  }

  @RequirePermission('member:manage')
  @Mutation(() => CommandResultNode, { description: 'grants a role to a user ({kind: user, issuer, subject}) or an IdP group ({kind: group, idpId, group})' })
  async createRoleBinding(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('subject', { type: () => GraphQLJSONObject }) subject: Record<string, unknown>,
    @Args('role', { type: () => String }) role: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreateRoleBinding', data: { subject, role } }));
  }

  @RequirePermission('member:manage')
  @Mutation(() => CommandResultNode)
  async removeRoleBinding(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('bindingId', { type: () => ID }) bindingId: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RemoveRoleBinding', data: { bindingId } }));
  }
}
