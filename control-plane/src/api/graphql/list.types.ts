import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, OrderBy, OrderDirection, type ListOrder } from './connection.js';
import { ActivityNode, TenantNode, UpstreamServerNode, UserAccountNode, VirtualKeyNode, VirtualServerNode } from './types.js';

// Filters, orders and connections of the lists whose nodes live in types.ts (see connection.ts).

export enum TenantOrderField {
  SLUG = 'slug',
  DISPLAY_NAME = 'displayName',
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
}
registerEnumType(TenantOrderField, { name: 'TenantOrderField' });
@InputType() export class TenantOrder extends OrderBy(TenantOrderField) {}
@ObjectType() export class TenantConnection extends Connection(TenantNode) {}
@InputType()
export class TenantFilter {
  @Field(() => String, { nullable: true, description: 'in the slug or the display name, any case' }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active, suspended or deleted' }) status?: string | null;
}
export const TENANT_ORDER: ListOrder = {
  fields: { slug: 'string', displayName: 'string', createdAt: 'date', updatedAt: 'date' },
  idFields: ['id'],
  defaultOrder: { field: 'slug', direction: OrderDirection.ASC },
};

export enum NamedOrderField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
}
registerEnumType(NamedOrderField, { name: 'NamedOrderField', description: 'sort fields of lists of named things' });
@InputType({ description: 'sort field and direction; each list says its default (by name, ascending, for most)' }) export class NamedOrder extends OrderBy(NamedOrderField) {}
export const NAMED_ORDER: ListOrder = {
  fields: { name: 'string', createdAt: 'date', updatedAt: 'date' },
  idFields: ['id'],
  defaultOrder: { field: 'name', direction: OrderDirection.ASC },
};

@ObjectType() export class UpstreamServerConnection extends Connection(UpstreamServerNode) {}
@InputType()
export class UpstreamServerFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or removed' }) status?: string | null;
  @Field(() => String, { nullable: true, description: 'stdio, sse or streamable-http' }) transport?: string | null;
  @Field(() => String, { nullable: true, description: 'servers carrying this tag' }) tag?: string | null;
  @Field(() => String, { nullable: true, description: 'servers deployed in this region' }) region?: string | null;
}

@ObjectType() export class VirtualServerConnection extends Connection(VirtualServerNode) {}
@InputType()
export class VirtualServerFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active (default) or deleted' }) status?: string | null;
  @Field(() => ID, { nullable: true, description: 'virtual servers bundling tools of this upstream server' }) upstreamServerId?: string | null;
}

@ObjectType() export class VirtualKeyConnection extends Connection(VirtualKeyNode) {}
@InputType()
export class VirtualKeyFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'active or revoked; both when unset' }) status?: string | null;
  @Field(() => ID, { nullable: true, description: 'keys scoped to this virtual server' }) virtualServerId?: string | null;
  @Field(() => Date, { nullable: true, description: 'keys that expire before this time' }) expiringBefore?: Date | null;
}
export const KEY_ORDER: ListOrder = { ...NAMED_ORDER, defaultOrder: { field: 'createdAt', direction: OrderDirection.DESC } };

export enum UserOrderField {
  LAST_LOGIN_AT = 'lastLoginAt',
  FIRST_SEEN_AT = 'firstSeenAt',
  SUBJECT = 'subject',
}
registerEnumType(UserOrderField, { name: 'UserOrderField' });
@InputType({ description: 'default: most recent login first' }) export class UserOrder extends OrderBy(UserOrderField) {}
@ObjectType() export class UserAccountConnection extends Connection(UserAccountNode) {}
@InputType()
export class UserAccountFilter {
  @Field(() => String, { nullable: true, description: 'in the display name or the subject, any case' }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'the admin-login provider the user signed in with' }) idpId?: string | null;
}
export const USER_ORDER: ListOrder = {
  fields: { lastLoginAt: 'date', firstSeenAt: 'date', subject: 'string' },
  idFields: ['issuer', 'subject'],
  defaultOrder: { field: 'lastLoginAt', direction: OrderDirection.DESC },
};

export enum ActivityOrderField {
  TIME = 'time',
}
registerEnumType(ActivityOrderField, { name: 'ActivityOrderField' });
@InputType({ description: 'default: newest first' }) export class ActivityOrder extends OrderBy(ActivityOrderField) {}
@ObjectType() export class ActivityConnection extends Connection(ActivityNode) {}
@InputType()
export class ActivityFilter {
  @Field(() => String, { nullable: true, description: "who: a user's subject, a service account's id or a system component" }) actor?: string | null;
  @Field(() => [String], { nullable: true, description: 'event types, e.g. VirtualKeyRevoked' }) types?: string[] | null;
  @Field(() => String, { nullable: true, description: 'aggregate kind: tenant, role, role-binding, upstream-server, virtual-server, virtual-key, policy, credential, service-account, identity-provider, audit-exporter' })
  aggregate?: string | null;
  @Field(() => String, { nullable: true, description: 'one stream, e.g. virtual-key-<id>' }) streamId?: string | null;
  @Field(() => Date, { nullable: true, description: 'changes at or after this time' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'changes before this time' }) to?: Date | null;
}
export const ACTIVITY_ORDER: ListOrder = { fields: { time: 'date' }, idFields: ['eventId'], defaultOrder: { field: 'time', direction: OrderDirection.DESC } };
