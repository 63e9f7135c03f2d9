import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { pageSize } from './page-size.js';
import { ActivityNode, CommandResultNode, UpstreamServerNode, VirtualServerNode } from './types.js';


@Resolver(() => UpstreamServerNode)
export class ServerResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('server:read')
  @Query(() => [UpstreamServerNode], { description: 'upstream MCP servers of a tenant, by name; `after` is the last name of the previous page' })
  async upstreamServers(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('includeRemoved', { type: () => Boolean, defaultValue: false }) includeRemoved: boolean,
  ): Promise<UpstreamServerNode[]> {
    const rows = await this.runtime.database.prisma.upstreamServer.findMany({
      where: { tenantId, ...(includeRemoved ? {} : { status: 'active' }), ...(after ? { name: { gt: after } } : {}) },
      orderBy: { name: 'asc' },
      take: pageSize(first),
    });
    return rows.map((r) => ({ ...r, config: r.config as Record<string, unknown> }));
  }

  @RequirePermission('server:manage')
  @Mutation(() => CommandResultNode)
  async registerUpstreamServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('config', { type: () => GraphQLJSONObject }) config: Record<string, unknown>,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RegisterUpstreamServer', data: { config } }));
  }

  @RequirePermission('server:manage')
  @Mutation(() => CommandResultNode)
  async removeUpstreamServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RemoveUpstreamServer', data: { serverId } }));
  }

  @RequirePermission('server:manage')
  @Mutation(() => CommandResultNode, { description: 'replaces the whole configuration' })
  async reconfigureUpstreamServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('serverId', { type: () => ID }) serverId: string,
    @Args('config', { type: () => GraphQLJSONObject }) config: Record<string, unknown>,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'ReconfigureUpstreamServer', data: { serverId, config } }));
  }

  @RequirePermission('virtual-server:read')
  @Query(() => [VirtualServerNode])
  async virtualServers(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<VirtualServerNode[]> {
    const rows = await this.runtime.database.prisma.virtualServer.findMany({ where: { tenantId, status: 'active' }, orderBy: { name: 'asc' } });
    return rows.map((r) => ({ ...r, config: r.config as Record<string, unknown> }));
  }

  @RequirePermission('virtual-server:manage')
  @Mutation(() => CommandResultNode)
  async reconfigureVirtualServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('virtualServerId', { type: () => ID }) virtualServerId: string,
    @Args('config', { type: () => GraphQLJSONObject }) config: Record<string, unknown>,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'ReconfigureVirtualServer', data: { virtualServerId, config } }));
  }

  @RequirePermission('virtual-server:manage')
  @Mutation(() => CommandResultNode)
  async deleteVirtualServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('virtualServerId', { type: () => ID }) virtualServerId: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'DeleteVirtualServer', data: { virtualServerId } }));
  }

  @RequirePermission('virtual-server:manage')
  @Mutation(() => CommandResultNode)
  async createVirtualServer(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('config', { type: () => GraphQLJSONObject }) config: Record<string, unknown>,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'CreateVirtualServer', data: { config } }));
  }

  @RequirePermission('activity:read')
  @Query(() => [ActivityNode], { description: 'admin activity of a tenant, newest first; `before` is the time of the last row of the previous page' })
  async activity(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('before', { type: () => Date, nullable: true }) before: Date | null,
  ): Promise<ActivityNode[]> {
    const rows = await this.runtime.database.prisma.adminActivity.findMany({
      where: { tenantId, ...(before ? { time: { lt: before } } : {}) },
      orderBy: [{ time: 'desc' }, { eventId: 'asc' }],
      take: pageSize(first),
    });
    return rows.map((r) => ({ ...r, actor: r.actor as Record<string, unknown>, data: r.data as Record<string, unknown> }));
  }
}
