import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { activityWhere } from './activity-filter.js';
import { conditions, containing, paginate, type ListModel } from './connection.js';
import {
  ACTIVITY_ORDER,
  ActivityConnection,
  ActivityFilter,
  ActivityOrder,
  NAMED_ORDER,
  NamedOrder,
  UpstreamServerConnection,
  UpstreamServerFilter,
  VirtualServerConnection,
  VirtualServerFilter,
} from './list.types.js';
import { CommandResultNode, UpstreamServerNode } from './types.js';
import type { AdminActivity as AdminActivityRow, UpstreamServer as UpstreamServerRow, VirtualServer as VirtualServerRow } from '../../generated/prisma/client.js';


/** The PHI marking of a server: the `phi` tag (all tools) and the tool globs of its configuration. */
const phiMarking = (tags: readonly string[], config: unknown): { phi: boolean; phiTools: string[] } => {
  const globs = (config as { phiTools?: unknown } | null)?.phiTools;
  return { phi: tags.includes('phi'), phiTools: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [] };
};

@Resolver(() => UpstreamServerNode)
export class ServerResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('server:read')
  @Query(() => UpstreamServerConnection, { description: 'upstream MCP servers of a tenant, by name unless `orderBy` says otherwise' })
  async upstreamServers(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => UpstreamServerFilter, nullable: true }) filter: UpstreamServerFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<UpstreamServerConnection> {
    const where = conditions({
      tenantId,
      status: filter?.status ?? 'active',
      name: containing(filter?.nameContains),
      transport: filter?.transport ?? undefined,
      tags: filter?.tag ? { has: filter.tag } : undefined,
      regions: filter?.region ? { has: filter.region } : undefined,
    });
    const page = await paginate(this.runtime.database.prisma.upstreamServer as unknown as ListModel<UpstreamServerRow>, where, { first, after, orderBy }, NAMED_ORDER);
    return { ...page, nodes: page.nodes.map((r) => ({ ...r, config: r.config as Record<string, unknown>, ...phiMarking(r.tags, r.config) })) };
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
  @Query(() => VirtualServerConnection, { description: 'virtual servers of a tenant, by name unless `orderBy` says otherwise' })
  async virtualServers(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => VirtualServerFilter, nullable: true }) filter: VirtualServerFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<VirtualServerConnection> {
    const where = conditions({
      tenantId,
      status: filter?.status ?? 'active',
      name: containing(filter?.nameContains),
      serverIds: filter?.upstreamServerId ? { has: filter.upstreamServerId } : undefined,
    });
    const page = await paginate(this.runtime.database.prisma.virtualServer as unknown as ListModel<VirtualServerRow>, where, { first, after, orderBy }, NAMED_ORDER);
    return { ...page, nodes: page.nodes.map((r) => ({ ...r, config: r.config as Record<string, unknown> })) };
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
  @Query(() => ActivityConnection, { description: 'admin activity of a tenant (who changed what, when, before and after), newest first unless `orderBy` says otherwise' })
  async activity(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => ActivityFilter, nullable: true }) filter: ActivityFilter | null,
    @Args('orderBy', { type: () => ActivityOrder, nullable: true }) orderBy: ActivityOrder | null,
  ): Promise<ActivityConnection> {
    const page = await paginate(this.runtime.database.prisma.adminActivity as unknown as ListModel<AdminActivityRow>, activityWhere(tenantId, filter), { first, after, orderBy }, ACTIVITY_ORDER);
    return {
      ...page,
      nodes: page.nodes.map((r) => ({
        ...r,
        actor: r.actor as Record<string, unknown>,
        data: r.data as Record<string, unknown>,
        before: r.before as Record<string, unknown> | null,
        after: r.after as Record<string, unknown> | null,
      })),
    };
  }
}
