import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../../domain/domain-error.js';
import { toGraphqlError } from '../errors/format-error.js';
import { API_TOKENS, CONTROL_PLANE, SESSIONS } from '../tokens.js';
import type { ApiTokenIndex } from './api-token-index.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { PUBLIC_OPERATION, REQUIRED_PERMISSION, type PermissionRequirement } from './permissions.js';
import { permissionsIn, type Principal } from './principal.js';
import { principalOf } from './request-principal.js';
import type { SessionStore } from './session-store.js';

/** The request as resolvers and guards see it, with the principal attached by the guard. */
export interface ApiRequest extends IncomingMessage {
  principal?: Principal;
  /** The one lookup of the principal per request (a query with several fields is guarded per field). */
  principalLookup?: Promise<Principal | undefined>;
}

const tenantArgument = (args: Record<string, unknown>): string | undefined => {
  if (typeof args['tenantId'] === 'string') return args['tenantId'];
  const input = args['input'];
  if (input && typeof input === 'object' && 'tenantId' in input && typeof input.tenantId === 'string') return input.tenantId;
  return undefined;
};

/**
 * The global guard: fails closed. An operation without a declaration is refused; a public one
 * passes; any other needs a principal holding its permission in the tenant it names.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SESSIONS) private readonly sessions: SessionStore,
    @Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime,
    @Inject(API_TOKENS) private readonly tokens: ApiTokenIndex,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.check(context);
    } catch (error) {
      // subscriptions over WebSocket bypass Apollo's formatError: hand them a typed GraphQLError
      if (context.getType<string>() === 'graphql' && error instanceof DomainError) throw toGraphqlError(error);
      throw error;
    }
  }

  private async check(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isGraphql = context.getType<string>() === 'graphql';
    const req: ApiRequest = isGraphql ? GqlExecutionContext.create(context).getContext<{ req: ApiRequest }>().req : context.switchToHttp().getRequest<ApiRequest>();
    req.principalLookup ??= principalOf(req, this.sessions, this.tokens);
    req.principal ??= await req.principalLookup;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_OPERATION, targets)) return true;
    const requirement = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(REQUIRED_PERMISSION, targets);
    if (!requirement) throw new DomainError('FORBIDDEN', 'auth.undeclared_operation', 'this operation declares no permission, so nobody may call it');
    const principal = req.principal;
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'sign in first');
    const { permission, scope } = requirement;
    if (principal.platform.has(permission)) return true;
    const allowed =
      scope === 'platform'
        ? false
        : scope === 'any-tenant'
          ? this.runtime.applier.tenantIds().some((id) => permissionsIn(principal, this.runtime.applier.tenant(id)).has(permission))
          : (() => {
              const tenantId = tenantArgument(isGraphql ? GqlExecutionContext.create(context).getArgs() : {});
              return tenantId !== undefined && permissionsIn(principal, this.runtime.applier.tenant(tenantId)).has(permission);
            })();
    // the same answer for "no such tenant" and "not yours", so ids of other tenants reveal nothing
    if (!allowed) throw new DomainError('FORBIDDEN', 'auth.permission_denied', `this needs the ${permission} permission`, { permission });
    return true;
  }
}
