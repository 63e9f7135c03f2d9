import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { permissionsIn } from '../auth/principal.js';
import { Public, RequirePermission } from '../auth/permissions.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { pageSize } from './page-size.js';
import { CommandResultNode, CreateTenantInput, PrincipalNode, TenantNode, UserAccountNode } from './types.js';

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
  @Query(() => [UserAccountNode], { description: 'everyone who has signed in, most recent first (platform admins)' })
  async users(@Args('first', { type: () => Int, defaultValue: 100 }) first: number): Promise<UserAccountNode[]> {
    return this.runtime.database.prisma.userAccount.findMany({ orderBy: { lastLoginAt: 'desc' }, take: pageSize(first, 500) });
  }

  @RequirePermission('tenant:read', 'any-tenant')
  @Query(() => [TenantNode], { description: 'the tenants the caller may read' })
  async tenants(@Context('req') req: ApiRequest): Promise<TenantNode[]> {
    const visible = this.runtime.applier.tenantIds().filter((id) => permissionsIn(req.principal!, this.runtime.applier.tenant(id)).has('tenant:read'));
    return this.runtime.database.prisma.tenant.findMany({ where: { id: { in: visible } }, orderBy: { slug: 'asc' } });
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
