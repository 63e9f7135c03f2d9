import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from './connection.js';

export enum EvidenceFrameworkEnum {
  SOC2 = 'SOC2',
  HIPAA = 'HIPAA',
}
registerEnumType(EvidenceFrameworkEnum, { name: 'EvidenceFramework', description: 'SOC 2 (Trust Services Criteria) or the HIPAA Security Rule' });

export enum EvidencePackStatusEnum {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(EvidencePackStatusEnum, { name: 'EvidencePackStatus' });

@InputType()
export class GenerateEvidencePackInput {
  @Field(() => EvidenceFrameworkEnum) framework!: EvidenceFrameworkEnum;
  @Field(() => Date, { description: 'start of the period (inclusive)' }) from!: Date;
  @Field(() => Date, { description: 'end of the period (exclusive); at most 400 days after `from`' }) to!: Date;
}

@ObjectType({ description: 'Where a generation stands: the phase, units done of total in it, and the whole job in percent.' })
export class EvidenceProgressNode {
  @Field(() => String, { description: 'queued, state, tool-calls, admin-changes, access-review, exporters, verification, rules, charts, report, archive, done' }) phase!: string;
  @Field(() => Float) done!: number;
  @Field(() => Float) total!: number;
  @Field(() => Int) percent!: number;
}

@ObjectType({ description: 'A compliance evidence pack of a tenant for a framework and period: a signed zip archive (manifest, report, CSVs, verification).' })
export class EvidencePackNode {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => EvidenceFrameworkEnum) framework!: EvidenceFrameworkEnum;
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => EvidencePackStatusEnum) status!: EvidencePackStatusEnum;
  @Field(() => EvidenceProgressNode) progress!: EvidenceProgressNode;
  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the archive, once it succeeded' }) sha256!: string | null;
  @Field(() => Int, { nullable: true, description: 'size of the archive in bytes, once it succeeded' }) bytes!: number | null;
  @Field(() => String, { nullable: true, description: 'why the generation failed ("interrupted" when the control plane stopped during it)' }) error!: string | null;
  @Field(() => String, { description: 'who asked for it: user, service account or system' }) requestedBy!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'path of the zip on this API (GET, same authentication as /graphql), once it succeeded' }) downloadUrl!: string | null;
}

@ObjectType() export class EvidencePackConnection extends Connection(EvidencePackNode) {}
