import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { permissionsIn } from '../auth/principal.js';
import { Public, RequirePermission } from '../auth/permissions.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, containing, paginate, type ListModel } from './connection.js';
import { TENANT_ORDER, TenantConnection, TenantFilter, TenantOrder, USER_ORDER, UserAccountConnection, UserAccountFilter, UserOrder } from './list.types.js';
import { CommandResultNode, CreateTenantInput, PrincipalNode, TenantNode, type UserAccountNode } from './types.js';

@Resolver(() => TenantNode)
export class TenantResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @Public()
  @Query(() => PrincipalNode, { nullable: true, description: 'who is signed in; null when nobody is' })
  me(@Context('req') req: ApiRequest): PrincipalNode | null {
    const p = req.principal;
    if (!p) return null;
    const subject = p.actor.kind === 'user' ? p.actor.subject : p.actor.kind === 'service-account' ? p.actor.serviceAccountId : p.actor.component;
    return { kind: p.actor.kind, subject, groups: [...p.groups], platformAdmin: p.platform.has('platform:tenants:manage') };
  }

  @RequirePermission('platform:tenants:manage', 'platform')
  @Query(() => UserAccountConnection, { description: 'everyone who has signed in, most recent login first unless `orderBy` says otherwise (platform admins)' })
  users(
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => UserAccountFilter, nullable: true }) filter: UserAccountFilter | null,
    @Args('orderBy', { type: () => UserOrder, nullable: true }) orderBy: UserOrder | null,
  ): Promise<UserAccountConnection> {
    const name = containing(filter?.nameContains);
    const where = conditions({ idpId: filter?.idpId ?? undefined, OR: name ? [{ displayName: name }, { subject: name }] : undefined });
    return paginate(this.runtime.database.prisma.userAccount as unknown as ListModel<UserAccountNode>, where, { first, after, orderBy }, USER_ORDER);
  }

  @RequirePermission('tenant:read', 'any-tenant')
  @Query(() => TenantConnection, { description: 'the tenants the caller may read, by slug unless `orderBy` says otherwise' })
  tenants(
    @Context('req') req: ApiRequest,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => TenantFilter, nullable: true }) filter: TenantFilter | null,
    @Args('orderBy', { type: () => TenantOrder, nullable: true }) orderBy: TenantOrder | null,
  ): Promise<TenantConnection> {
    const visible = this.runtime.applier.tenantIds().filter((id) => permissionsIn(req.principal!, this.runtime.applier.tenant(id)).has('tenant:read'));
    const name = containing(filter?.nameContains);
    const where = conditions({ id: { in: visible }, status: filter?.status ?? undefined, OR: name ? [{ slug: name }, { displayName: name }] : undefined });
    return paginate(this.runtime.database.prisma.tenant as unknown as ListModel<TenantNode>, where, { first, after, orderBy }, TENANT_ORDER);
  }

  @RequirePermission('tenant:read')
  @Query(() => TenantNode, { nullable: true })
  tenant(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<TenantNode | null> {
    return this.runtime.database.prisma.tenant.findUnique({ where: { id: tenantId } });
  }

  @RequirePermission('platform:tenants:manage', 'platform')
  @Mutation(() => CommandResultNode)
  async createTenant(@Context('req') req: ApiRequest, @Args('input', { type: () => CreateTenantInput }) input: CreateTenantInput): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, undefined, { type: 'CreateTenant', data: input }));
  }

  @RequirePermission('tenant:update')
  @Mutation(() => CommandResultNode)
  async renameTenant(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('displayName', { type: () => String }) displayName: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RenameTenant', data: { tenantId, displayName } }));
  }

  @RequirePermission('platform:tenants:manage', 'platform')
  @Mutation(() => CommandResultNode)
  async suspendTenant(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'SuspendTenant', data: { tenantId, reason } }));
  }

  @RequirePermission('platform:tenants:manage', 'platform')
  @Mutation(() => CommandResultNode)
  async reactivateTenant(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID }) tenantId: string): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'ReactivateTenant', data: { tenantId } }));
  }

  @RequirePermission('platform:tenants:manage', 'platform')
  @Mutation(() => CommandResultNode, { description: 'stops service at once; history is kept for retentionDays (default 7 years)' })
  async deleteTenant(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('reason', { type: () => String }) reason: string,
    @Args('retentionDays', { type: () => Int, nullable: true }) retentionDays: number | null,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeleteTenant', data: { tenantId, reason, ...(retentionDays === null ? {} : { retentionDays }) } }));
  }

  @RequirePermission('tenant:update')
  @Mutation(() => CommandResultNode)
  async changeTenantRegions(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('regions', { type: () => [String] }) regions: string[],
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'ChangeTenantRegions', data: { tenantId, regions } }));
  }
}
