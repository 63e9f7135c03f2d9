import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'A tenant: an isolated organisation with its own servers, keys, policies and audit trail.' })
export class TenantNode {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String, { description: 'active, suspended or deleted' }) status!: string;
  @Field(() => [String]) regions!: string[];
  @Field(() => Int) version!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class UpstreamServerNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'stdio, sse or streamable-http' }) transport!: string;
  @Field(() => [String]) regions!: string[];
  @Field(() => [String]) tags!: string[];
  @Field(() => Boolean, { description: 'tagged `phi`: every tool of the server handles PHI (HIPAA evidence packs report calls to it)' }) phi!: boolean;
  @Field(() => [String], { description: 'tool-name globs (config.phiTools) whose calls handle PHI, besides a `phi` tag; empty when unset' }) phiTools!: string[];
  @Field(() => GraphQLJSONObject, { description: 'the whole configuration; credentials appear only as references' }) config!: Record<string, unknown>;
  @Field(() => String) status!: string;
  @Field(() => Int) version!: number;
}

@ObjectType({ description: 'A virtual MCP server: one endpoint bundling chosen tools of several upstream servers.' })
export class VirtualServerNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'always, on-collision or never' }) prefixMode!: string;
  @Field(() => Boolean, { description: 'insecure: callers need no credential' }) anonymousAccess!: boolean;
  @Field(() => [ID]) serverIds!: string[];
  @Field(() => GraphQLJSONObject) config!: Record<string, unknown>;
  @Field(() => Int) version!: number;
}

@ObjectType({ description: 'A virtual key without its secret: the secret is shown once, when issued or rotated.' })
export class VirtualKeyNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) keyPrefix!: string;
  @Field(() => [ID]) virtualServerIds!: string[];
  @Field(() => GraphQLJSONObject) scopes!: Record<string, unknown>;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => String) status!: string;
  @Field(() => Int) version!: number;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'How a virtual key was used, from the audit trail of tool calls.' })
export class KeyUsageNode {
  @Field(() => Int) calls!: number;
  @Field(() => Int) denied!: number;
  @Field(() => Date) firstUsedAt!: Date;
  @Field(() => Date) lastUsedAt!: Date;
}

@ObjectType({ description: 'One change to a tenant: who did what, when, from which event (secrets redacted).' })
export class ActivityNode {
  @Field(() => ID) eventId!: string;
  @Field(() => String) type!: string;
  @Field(() => String) streamId!: string;
  @Field(() => Int) streamVersion!: number;
  @Field(() => GraphQLJSONObject) actor!: Record<string, unknown>;
  @Field(() => Date) time!: Date;
  @Field(() => GraphQLJSONObject) data!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'the changed thing before the event (secrets redacted); null when it did not exist (and in the live feed)' }) before!: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'the changed thing after the event (secrets redacted)' }) after!: Record<string, unknown> | null;
}

@ObjectType({ description: 'The outcome of a mutation: the stream it changed and its version afterwards.' })
export class CommandResultNode {
  @Field(() => String) streamId!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID, { nullable: true, description: 'the id of what the mutation created' }) id!: string | null;
  @Field(() => String, { nullable: true, description: '<partition>:<offset> of the commit; null when nothing had to change' }) logPosition!: string | null;
}

@ObjectType()
export class IssuedKeyNode {
  @Field(() => ID) keyId!: string;
  @Field(() => String, { description: 'the whole secret: shown exactly once, stored nowhere' }) secret!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class PrincipalNode {
  @Field(() => String) kind!: string;
  @Field(() => String) subject!: string;
  @Field(() => [String]) groups!: string[];
  @Field(() => Boolean) platformAdmin!: boolean;
}

@InputType()
export class CreateTenantInput {
  @Field(() => String) slug!: string;
  @Field(() => String) displayName!: string;
  @Field(() => [String]) regions!: string[];
}

@InputType()
export class IssueVirtualKeyInput {
  @Field(() => ID) tenantId!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLJSONObject, { description: 'virtualServerIds, tools {allow, deny}, rateLimits, budget' }) scopes!: Record<string, unknown>;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
}

@ObjectType({ description: 'A person who has signed in, recorded at their first login.' })
export class UserAccountNode {
  @Field(() => String) issuer!: string;
  @Field(() => String) subject!: string;
  @Field(() => String) idpId!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => [String]) groups!: string[];
  @Field(() => Date) firstSeenAt!: Date;
  @Field(() => Date) lastLoginAt!: Date;
  @Field(() => Int) loginCount!: number;
}
