import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

export enum AuditRecordKind {
  TOOL_CALL = 'tool-call',
  ADMIN = 'admin',
}
registerEnumType(AuditRecordKind, { name: 'AuditRecordKind', description: 'a call through a proxy, or a change applied by the control plane' });

export enum AuditOrder {
  OLDEST_FIRST = 'asc',
  NEWEST_FIRST = 'desc',
}
registerEnumType(AuditOrder, { name: 'AuditOrder' });

export enum AuditBucketInterval {
  MINUTE = 'MINUTE',
  FIVE_MINUTES = 'FIVE_MINUTES',
  FIFTEEN_MINUTES = 'FIFTEEN_MINUTES',
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(AuditBucketInterval, { name: 'AuditBucketInterval', description: 'bucket width of a time series (UTC, aligned to the epoch)' });

@InputType({ description: 'who made the call: a virtual key (kind virtual-key, keyId), an OAuth user (kind oauth, issuer, subject), or an admin (kind admin, subject = user subject, service account id or system component)' })
export class AuditPrincipalFilter {
  @Field(() => String, { nullable: true, description: 'virtual-key, oauth, anonymous or admin' }) kind?: string | null;
  @Field(() => String, { nullable: true }) keyId?: string | null;
  @Field(() => String, { nullable: true }) subject?: string | null;
  @Field(() => String, { nullable: true }) issuer?: string | null;
}

@InputType({ description: 'every field set narrows the records (AND); `to` is exclusive' })
export class AuditFilterInput {
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
  @Field(() => AuditPrincipalFilter, { nullable: true }) principal?: AuditPrincipalFilter | null;
  @Field(() => String, { nullable: true, description: 'a virtual key id (same as principal.keyId)' }) keyId?: string | null;
  @Field(() => String, { nullable: true }) tool?: string | null;
  @Field(() => ID, { nullable: true }) virtualServerId?: string | null;
  @Field(() => ID, { nullable: true }) upstreamServerId?: string | null;
  @Field(() => String, { nullable: true, description: 'allowed, denied or failed' }) outcome?: string | null;
  @Field(() => String, { nullable: true, description: 'the decision reason, e.g. policy.tool_denied' }) reason?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true, description: 'the policy version that decided: <partition>:<offset> of the control-plane log' }) policyVersion?: string | null;
  @Field(() => String, { nullable: true, description: 'JSON-RPC method (tools/call), or admin/<event type>' }) method?: string | null;
  @Field(() => AuditRecordKind, { nullable: true }) kind?: AuditRecordKind | null;
}

@ObjectType({ description: 'The policy snapshot version that decided a call (for admin records: the log entry of the change).' })
export class AuditPolicyVersionNode {
  @Field(() => String, { description: '<partition>:<offset> of the control-plane log' }) logPosition!: string;
  @Field(() => String) contentHash!: string;
}

@ObjectType({ description: 'What decided a record: outcome, reason, and the rule and policy version behind it.' })
export class AuditDecisionNode {
  @Field(() => String, { description: 'allowed, denied or failed' }) outcome!: string;
  @Field(() => String) reason!: string;
  @Field(() => String, { nullable: true, description: 'the policy rule or limit that decided' }) ruleId!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => AuditPolicyVersionNode) policyVersion!: AuditPolicyVersionNode;
}

@ObjectType({ description: 'One audit record: a tool call (or other audited MCP request) or an admin change.' })
export class AuditRecordNode {
  @Field(() => ID) eventId!: string;
  @Field(() => Float, { description: 'position in the tenant’s hash chain (an integer from 1)' }) seq!: number;
  @Field(() => Date) time!: Date;
  @Field(() => AuditRecordKind) kind!: AuditRecordKind;
  @Field(() => String) region!: string;
  @Field(() => String) proxyId!: string;
  @Field(() => String) method!: string;
  @Field(() => GraphQLJSONObject, { description: 'who: never a secret (key id and prefix, token issuer and subject, or the admin actor)' }) principal!: Record<string, unknown>;
  @Field(() => ID, { nullable: true }) virtualServerId!: string | null;
  @Field(() => ID, { nullable: true }) upstreamServerId!: string | null;
  @Field(() => String, { nullable: true }) tool!: string | null;
  @Field(() => String, { nullable: true }) argumentsHash!: string | null;
  @Field(() => AuditDecisionNode) decision!: AuditDecisionNode;
  @Field(() => Float) latencyMs!: number;
  @Field(() => String, { nullable: true }) traceId!: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'admin records: the change (event type, stream, data with secrets redacted)' }) change!: Record<string, unknown> | null;
}

@ObjectType()
export class AuditRecordEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AuditRecordNode) node!: AuditRecordNode;
}

@ObjectType()
export class AuditPageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: 'A page of audit records in a stable order (time, then chain position).' })
export class AuditRecordConnection {
  @Field(() => [AuditRecordEdge]) edges!: AuditRecordEdge[];
  @Field(() => AuditPageInfo) pageInfo!: AuditPageInfo;
  @Field(() => Float, { description: 'records matching the filter over all pages' }) totalCount!: number;
}

@ObjectType({ description: 'The signed checkpoint whose head covers a record.' })
export class AuditCheckpointNode {
  @Field(() => Float) seq!: number;
  @Field(() => Date) signedAt!: Date;
  @Field(() => String) keyId!: string;
}

@ObjectType({ description: 'One audit record with its chain links and the checkpoint that signs over it.' })
export class AuditRecordDetailNode extends AuditRecordNode {
  @Field(() => GraphQLJSONObject, { description: 'the AuditEvent exactly as stored and hashed' }) event!: Record<string, unknown>;
  @Field(() => String, { description: 'SHA-256 of the record (hex)' }) hash!: string;
  @Field(() => String, { description: 'hash of the previous record in the tenant’s chain (hex)' }) prevHash!: string;
  @Field(() => String) macKeyId!: string;
  @Field(() => AuditCheckpointNode, { nullable: true, description: 'null until the next checkpoint signs the chain past this record' }) checkpoint!: AuditCheckpointNode | null;
}

@ObjectType()
export class AuditCallBucketNode {
  @Field(() => Date) start!: Date;
  @Field(() => Float) total!: number;
  @Field(() => Float) allowed!: number;
  @Field(() => Float) denied!: number;
  @Field(() => Float) failed!: number;
}

@ObjectType()
export class AuditToolCountNode {
  @Field(() => String) tool!: string;
  @Field(() => Float) calls!: number;
  @Field(() => Float) denied!: number;
  @Field(() => Float) failed!: number;
}

@ObjectType()
export class AuditDenialCountNode {
  @Field(() => String) reason!: string;
  @Field(() => String, { nullable: true }) ruleId!: string | null;
  @Field(() => Float) count!: number;
}

@ObjectType({ description: 'Latency of the matching calls in milliseconds, from each record’s latencyMs (null without calls).' })
export class AuditLatencyNode {
  @Field(() => Float) count!: number;
  @Field(() => Float, { nullable: true }) p50!: number | null;
  @Field(() => Float, { nullable: true }) p95!: number | null;
  @Field(() => Float, { nullable: true }) p99!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
  @Field(() => Float, { nullable: true }) mean!: number | null;
}

@ObjectType({ description: 'The first record that is not what the sink wrote.' })
export class AuditProblemNode {
  @Field(() => String, { description: 'altered, removed, inserted, checkpoint_mismatch or bad_signature' }) kind!: string;
  @Field(() => Float) seq!: number;
  @Field(() => String) detail!: string;
  @Field(() => ID, { nullable: true, description: 'the record stored at that seq now (an altered or inserted one); null when it was removed' }) eventId!: string | null;
  @Field(() => Date, { nullable: true, description: 'the time of that stored record' }) time!: Date | null;
}

@ObjectType({ description: 'Whether a tenant’s trail (or the part around a time range) is intact: every link, record MAC and checkpoint signature checked.' })
export class AuditVerificationNode {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => ID) tenantId!: string;
  @Field(() => AuditProblemNode, { nullable: true }) problem!: AuditProblemNode | null;
  @Field(() => Float, { description: 'records verified' }) records!: number;
  @Field(() => Float, { description: 'signed checkpoints verified' }) checkpoints!: number;
  @Field(() => Float, { nullable: true }) fromSeq!: number | null;
  @Field(() => Float, { nullable: true }) toSeq!: number | null;
  @Field(() => String, { nullable: true, description: 'genesis, checkpoint or retention: what the first verified record chains to' }) anchor!: string | null;
  @Field(() => Float, { nullable: true }) lastCheckpointSeq!: number | null;
  @Field(() => Float, { description: 'verified records after the last signed checkpoint' }) unsignedTail!: number;
  @Field(() => Int) retentions!: number;
  @Field(() => Boolean) macChecked!: boolean;
}
