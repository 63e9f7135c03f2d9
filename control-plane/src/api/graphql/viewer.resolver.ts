import { Inject } from '@nestjs/common';
import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { PERMISSIONS } from '@mcpgate/contracts';
import { DomainError } from '../../domain/domain-error.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { Public } from '../auth/permissions.js';
import { permissionsIn } from '../auth/principal.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';

/**
 * What the signed-in caller may do, so the console shows only what they can use. Public because it
 * only ever describes the caller; the server stays the authority (every operation checks again).
 * A tenant the caller has no part in answers like an unknown one: platform permissions only.
 */
@Resolver()
export class ViewerResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @Public()
  @Query(() => [String], { description: 'the caller’s permissions in a tenant, or those that hold in every tenant when tenantId is left out' })
  myPermissions(@Context('req') req: ApiRequest, @Args('tenantId', { type: () => ID, nullable: true }) tenantId: string | null): string[] {
    const principal = req.principal;
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'sign in first');
    const granted = tenantId === null ? new Set(principal.scopedTo ? [] : principal.platform) : permissionsIn(principal, this.runtime.applier.tenant(tenantId));
    return PERMISSIONS.filter((p) => granted.has(p));
  }
}
