import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { IssuerUrl } from '@mcpgate/contracts';
import { z } from 'zod';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { runCommand, toResultNode } from './command-result.js';
import { conditions, Connection, containing, OrderBy, OrderDirection, paginate, type ListModel, type ListOrder } from './connection.js';
import { CommandResultNode } from './types.js';
import type { IdentityProvider as IdentityProviderRow } from '../../generated/prisma/client.js';

@ObjectType({ description: "An OAuth 2.1 / OIDC issuer whose access tokens the tenant's proxies accept (not an admin-login provider)." })
export class IdentityProviderNode {
  @Field(() => ID, { description: 'chosen by the admin, unique in the tenant; role bindings name it as a group’s idpId' }) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String, { description: 'exactly as tokens carry it in `iss`' }) issuer!: string;
  @Field(() => String) jwksUri!: string;
  @Field(() => [String], { description: 'resource indicators the tokens must name in `aud`: <proxy public url>/t/<tenant>/mcp/<virtual server>' }) audiences!: string[];
  @Field(() => String, { description: 'the token claim listing the caller’s groups' }) groupsClaim!: string;
  @Field(() => String, { description: 'active or removed' }) status!: string;
  @Field(() => Int) version!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType() export class IdentityProviderConnection extends Connection(IdentityProviderNode) {}

export enum IdentityProviderOrderField {
  ID = 'identityProviderId',
  ISSUER = 'issuer',
  CREATED_AT = 'createdAt',
}
registerEnumType(IdentityProviderOrderField, { name: 'IdentityProviderOrderField' });
@InputType() export class IdentityProviderOrder extends OrderBy(IdentityProviderOrderField) {}
const IDP_ORDER: ListOrder = {
  fields: { identityProviderId: 'string', issuer: 'string', createdAt: 'date' },
  idFields: ['id'],
  defaultOrder: { field: 'identityProviderId', direction: OrderDirection.ASC },
};

@InputType()
export class IdentityProviderFilter {
  @Field(() => String, { nullable: true, description: 'in the id or the issuer, any case' }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or removed' }) status?: string | null;
}

@InputType()
export class RegisterIdentityProviderInput {
  @Field(() => String, { description: 'a slug such as `okta`; reuse the admin-login provider’s id for the same IdP so group bindings apply to both' }) id!: string;
  @Field(() => String) issuer!: string;
  @Field(() => String, { nullable: true, description: 'discovered from the issuer’s metadata (RFC 8414 or OpenID Connect discovery) when left out' }) jwksUri?: string | null;
  @Field(() => [String]) audiences!: string[];
  @Field(() => String, { nullable: true, description: 'default `groups`' }) groupsClaim?: string | null;
}

@InputType({ description: 'fields left out keep their value; a new issuer without a jwksUri has its jwksUri discovered again' })
export class UpdateIdentityProviderInput {
  @Field(() => String, { nullable: true }) issuer?: string | null;
  @Field(() => String, { nullable: true }) jwksUri?: string | null;
  @Field(() => [String], { nullable: true, description: 'replaces the whole list' }) audiences?: string[] | null;
  @Field(() => String, { nullable: true }) groupsClaim?: string | null;
}

const IssuerOnly = z.object({ data: z.object({ issuer: IssuerUrl }) });
const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

@Resolver(() => IdentityProviderNode)
export class IdentityProviderResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('idp:read')
  @Query(() => IdentityProviderConnection, { description: 'identity providers of a tenant, by id unless `orderBy` says otherwise' })
  async identityProviders(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('filter', { type: () => IdentityProviderFilter, nullable: true }) filter: IdentityProviderFilter | null,
    @Args('orderBy', { type: () => IdentityProviderOrder, nullable: true }) orderBy: IdentityProviderOrder | null,
  ): Promise<IdentityProviderConnection> {
    const name = containing(filter?.nameContains);
    const where = conditions({ tenantId, status: filter?.status ?? 'active', OR: name ? [{ identityProviderId: name }, { issuer: name }] : undefined });
    const page = await paginate(this.runtime.database.prisma.identityProvider as unknown as ListModel<IdentityProviderRow>, where, { first, after, orderBy }, IDP_ORDER);
    return { ...page, nodes: page.nodes.map(({ identityProviderId, ...row }) => ({ ...row, id: identityProviderId })) };
  }

  @RequirePermission('idp:manage')
  @Mutation(() => CommandResultNode, { description: "trusts an issuer's access tokens at the tenant's proxies, from their next snapshot on" })
  async registerIdentityProvider(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input', { type: () => RegisterIdentityProviderInput }) input: RegisterIdentityProviderInput,
  ): Promise<CommandResultNode> {
    const jwksUri = present(input.jwksUri) ? input.jwksUri : await this.discoverJwksUri(input.issuer);
    const data = {
      identityProviderId: input.id,
      issuer: input.issuer,
      jwksUri,
      audiences: input.audiences,
      ...(present(input.groupsClaim) ? { groupsClaim: input.groupsClaim } : {}),
    };
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RegisterIdentityProvider', data }));
  }

  @RequirePermission('idp:manage')
  @Mutation(() => CommandResultNode)
  async updateIdentityProvider(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('identityProviderId', { type: () => ID }) identityProviderId: string,
    @Args('input', { type: () => UpdateIdentityProviderInput }) input: UpdateIdentityProviderInput,
  ): Promise<CommandResultNode> {
    const jwksUri = present(input.jwksUri) ? input.jwksUri : present(input.issuer) ? await this.discoverJwksUri(input.issuer) : undefined;
    const data = {
      identityProviderId,
      ...(present(input.issuer) ? { issuer: input.issuer } : {}),
      ...(present(jwksUri) ? { jwksUri } : {}),
      ...(present(input.audiences) ? { audiences: input.audiences } : {}),
      ...(present(input.groupsClaim) ? { groupsClaim: input.groupsClaim } : {}),
    };
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'UpdateIdentityProvider', data }));
  }

  @RequirePermission('idp:manage')
  @Mutation(() => CommandResultNode, { description: "stops trusting the issuer: the tenant's proxies refuse its tokens from their next snapshot on" })
  async removeIdentityProvider(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('identityProviderId', { type: () => ID }) identityProviderId: string,
  ): Promise<CommandResultNode> {
    return toResultNode(await runCommand(this.runtime, req, tenantId, { type: 'RemoveIdentityProvider', data: { identityProviderId } }));
  }

  /** A malformed issuer is refused (at the path the command would name) before anything is fetched from it. */
  private async discoverJwksUri(issuer: string): Promise<string> {
    const { data } = IssuerOnly.parse({ data: { issuer } });
    return this.runtime.issuerDiscovery.jwksUriOf(data.issuer);
  }
}
