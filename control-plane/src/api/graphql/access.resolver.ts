import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLE_PERMISSIONS } from '@mcpgate/contracts';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, Connection, containing, OrderBy, OrderDirection, paginate, paginateRows, type ListModel, type ListOrder } from './connection.js';
import { CommandResultNode } from './types.js';
import type { RoleBinding as RoleBindingRow } from '../../generated/prisma/client.js';

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

@ObjectType() export class RoleConnection extends Connection(RoleNode) {}
@ObjectType() export class RoleBindingConnection extends Connection(RoleBindingNode) {}

export enum RoleOrderField {
  NAME = 'name',
}
registerEnumType(RoleOrderField, { name: 'RoleOrderField' });
@InputType() export class RoleOrder extends OrderBy(RoleOrderField) {}
const ROLE_ORDER: ListOrder = { fields: { name: 'string' }, idFields: ['id'], defaultOrder: { field: 'name', direction: OrderDirection.ASC } };

@InputType()
export class RoleFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'only built-in (true) or only custom (false) roles' }) builtIn?: boolean | null;
}

export enum RoleBindingOrderField {
  SUBJECT = 'subjectKey',
  ROLE = 'role',
  CREATED_AT = 'createdAt',
}
registerEnumType(RoleBindingOrderField, { name: 'RoleBindingOrderField' });
@InputType() export class RoleBindingOrder extends OrderBy(RoleBindingOrderField) {}
const ROLE_BINDING_ORDER: ListOrder = {
  fields: { subjectKey: 'string', role: 'string', createdAt: 'date' },
  idFields: ['id'],
  defaultOrder: { field: 'subjectKey', direction: OrderDirection.ASC },
};

@InputType()
export class RoleBindingFilter {
  @Field(() => String, { nullable: true, description: 'bindings granting this role' }) role?: string | null;
  @Field(() => String, { nullable: true, description: 'user or group' }) subjectKind?: string | null;
  @Field(() => String, { nullable: true, description: "in the subject (a user's issuer and subject, a group's IdP and name), any case" }) subjectContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or removed' }) status?: string | null;
}

@Resolver(() => RoleNode)
export class AccessResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('role:read')
  @Query(() => RoleConnection, { description: 'built-in and custom roles of the tenant, by name unless `orderBy` says otherwise' })
  async roles(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => RoleFilter, nullable: true }) filter: RoleFilter | null,
    @Args('orderBy', { type: () => RoleOrder, nullable: true }) orderBy: RoleOrder | null,
  ): Promise<RoleConnection> {
    const custom = await this.runtime.database.prisma.role.findMany({ where: conditions({ tenantId, status: 'active', name: containing(filter?.nameContains) }) });
    const needle = filter?.nameContains?.toLowerCase();
    const all = [
      ...BUILT_IN_ROLE_NAMES.filter((name) => !needle || name.toLowerCase().includes(needle)).map((name) => ({
        id: name,
        name,
        description: 'built-in role',
        permissions: [...BUILT_IN_ROLE_PERMISSIONS[name]],
        builtIn: true,
      })),
      ...custom.map((r) => ({ id: r.id, name: r.name, description: r.description, permissions: r.permissions, builtIn: false })),
    ].filter((r) => (filter?.builtIn ?? r.builtIn) === r.builtIn);
    return paginateRows(all, { first, after, orderBy }, ROLE_ORDER);
  }

  @RequirePermission('member:read')
  @Query(() => RoleBindingConnection, { description: 'who holds which role in the tenant, by subject unless `orderBy` says otherwise' })
  async roleBindings(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => RoleBindingFilter, nullable: true }) filter: RoleBindingFilter | null,
    @Args('orderBy', { type: () => RoleBindingOrder, nullable: true }) orderBy: RoleBindingOrder | null,
  ): Promise<RoleBindingConnection> {
    const where = conditions({
      tenantId,
      status: filter?.status ?? 'active',
      role: filter?.role ?? undefined,
      subjectKind: filter?.subjectKind ?? undefined,
      subjectKey: containing(filter?.subjectContains),
    });
    const page = await paginate(this.runtime.database.prisma.roleBinding as unknown as ListModel<RoleBindingRow>, where, { first, after, orderBy }, ROLE_BINDING_ORDER);
    return { ...page, nodes: page.nodes.map((r) => ({ id: r.id, subject: r.subject as Record<string, unknown>, role: r.role, status: r.status })) };
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
