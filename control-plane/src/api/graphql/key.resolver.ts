import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '../../domain/domain-error.js';
import type { VirtualKey as VirtualKeyRow } from '../../generated/prisma/client.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, containing, paginate, type ListModel } from './connection.js';
import { KeyUsageLoader } from './key-usage.loader.js';
import { KEY_ORDER, NamedOrder, VirtualKeyConnection, VirtualKeyFilter } from './list.types.js';
import { CommandResultNode, IssuedKeyNode, IssueVirtualKeyInput, KeyUsageNode, VirtualKeyNode } from './types.js';

@Resolver(() => VirtualKeyNode)
export class KeyResolver {
  private readonly usageLoader: KeyUsageLoader;

  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {
    this.usageLoader = new KeyUsageLoader(runtime);
  }

  @RequirePermission('key:read')
  @Query(() => VirtualKeyConnection, { description: 'virtual keys of a tenant without secrets, newest first unless `orderBy` says otherwise' })
  async virtualKeys(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => VirtualKeyFilter, nullable: true }) filter: VirtualKeyFilter | null,
    @Args('orderBy', { type: () => NamedOrder, nullable: true }) orderBy: NamedOrder | null,
  ): Promise<VirtualKeyConnection> {
    const where = conditions({
      tenantId,
      status: filter?.status ?? undefined,
      name: containing(filter?.nameContains),
      virtualServerIds: filter?.virtualServerId ? { has: filter.virtualServerId } : undefined,
      expiresAt: filter?.expiringBefore ? { lt: filter.expiringBefore } : undefined,
    });
    const page = await paginate(this.runtime.database.prisma.virtualKey as unknown as ListModel<VirtualKeyRow>, where, { first, after, orderBy }, KEY_ORDER);
    return { ...page, nodes: page.nodes.map((r) => ({ ...r, scopes: r.scopes as Record<string, unknown> })) };
  }

  /** Read with its list (key:read there); every key of one answer shares one audit query per period. */
  @ResolveField(() => KeyUsageNode, { nullable: true, description: 'tool calls made with the key (from the audit trail) in from..to, all time by default; null when unused' })
  async usage(
    @Parent() key: VirtualKeyNode,
    @Context('req') req: ApiRequest,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
  ): Promise<KeyUsageNode | null> {
    if (from && to && from > to) throw new DomainError('VALIDATION', 'key_usage.invalid_range', '`from` is after `to`');
    return (await this.usageLoader.usageOf(req, key.tenantId, { ...(from ? { from } : {}), ...(to ? { to } : {}) })).get(key.id) ?? null;
  }

  @RequirePermission('key:issue')
  @Mutation(() => IssuedKeyNode, { description: 'issues a key; the secret in the answer is never shown again' })
  async issueVirtualKey(@Context('req') req: ApiRequest, @Args('input', { type: () => IssueVirtualKeyInput }) input: IssueVirtualKeyInput): Promise<IssuedKeyNode> {
    const { tenantId, name, scopes, expiresAt } = input;
    const result = await runCommand(this.runtime, req, tenantId, {
      type: 'IssueVirtualKey',
      data: { name, scopes, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
    });
    return { keyId: result.createdId!, secret: result.secret!, version: result.version };
  }

  @RequirePermission('key:issue')
  @Mutation(() => IssuedKeyNode, { description: 'replaces the secret; the old one keeps working for graceSeconds; the new secret is never shown again' })
  async rotateVirtualKey(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('graceSeconds', { type: () => Int, defaultValue: 0 }) graceSeconds: number,
  ): Promise<IssuedKeyNode> {
    const result = await runCommand(this.runtime, req, tenantId, { type: 'RotateVirtualKey', data: { keyId, graceSeconds } });
    return { keyId, secret: result.secret!, version: result.version };
  }

  @RequirePermission('key:revoke')
  @Mutation(() => CommandResultNode)
  async revokeVirtualKey(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('keyId', { type: () => ID }) keyId: string,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RevokeVirtualKey', data: { keyId, reason } }));
  }
}
