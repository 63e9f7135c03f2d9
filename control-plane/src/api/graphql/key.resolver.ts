import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { CommandResultNode, IssuedKeyNode, IssueVirtualKeyInput, VirtualKeyNode } from './types.js';

@Resolver(() => VirtualKeyNode)
export class KeyResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('key:read')
  @Query(() => [VirtualKeyNode], { description: 'virtual keys of a tenant, newest first, without secrets' })
  async virtualKeys(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<VirtualKeyNode[]> {
    const rows = await this.runtime.database.prisma.virtualKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, take: 500 });
    return rows.map((r) => ({ ...r, scopes: r.scopes as Record<string, unknown> }));
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
