import { Inject } from '@nestjs/common';
import { Args, Field, Float, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { budgetPeriod, budgetSpent, type BudgetUsageEntry, type TenantBudget } from '@mcpgate/contracts';
import type { TenantBudgetUsage } from '../../budget-usage/budget-usage-tracker.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';

/** Subjects listed per budget at most, the heaviest users first. */
const SUBJECTS_SHOWN = 50;

@ObjectType({ description: 'What one subject (key, user, tool or the tenant) used of a budget in its current period.' })
export class BudgetSubjectUseNode {
  @Field(() => String) subject!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Float) cost!: number;
  @Field(() => Boolean, { description: 'maxCalls or maxCost reached: the proxies refuse this subject until the period ends' }) spent!: boolean;
}

@ObjectType({ description: 'A budget of a key or a policy and what it has used in its current UTC period, across all proxies.' })
export class BudgetUseNode {
  @Field(() => String, { description: 'the id proxies count under and name in refusals: key:<key id>:<id> or policy:<policy name>:<id>' }) budgetId!: string;
  @Field(() => String, { description: 'the id within its key or policy' }) id!: string;
  @Field(() => ID, { nullable: true, description: 'set for a key’s own budget' }) keyId!: string | null;
  @Field(() => String, { nullable: true, description: 'set for a policy’s budget' }) policyName!: string | null;
  @Field(() => String, { description: 'key, user, tool or tenant: what it counts per' }) scope!: string;
  @Field(() => String, { description: 'day, week (ISO, from Monday) or month, in UTC' }) period!: string;
  @Field(() => String, { description: 'first day of the current period, YYYY-MM-DD' }) periodStart!: string;
  @Field(() => Date) periodEnd!: Date;
  @Field(() => Int, { nullable: true }) maxCalls!: number | null;
  @Field(() => Float, { nullable: true }) maxCost!: number | null;
  @Field(() => Int, { description: 'subjects that used it this period' }) subjectCount!: number;
  @Field(() => [BudgetSubjectUseNode], { description: `the ${SUBJECTS_SHOWN} heaviest users, most calls first` }) subjects!: BudgetSubjectUseNode[];
}

@ObjectType({ description: 'A tenant’s budgets and their use, counted from the audit trail: what the proxies were last sent.' })
export class TenantBudgetUsageNode {
  @Field(() => ID) tenantId!: string;
  @Field(() => String, { description: 'the tenant’s audit trail is counted up to this sequence number' }) countedThroughSeq!: string;
  @Field(() => Date) asOf!: Date;
  @Field(() => [BudgetUseNode]) budgets!: BudgetUseNode[];
}

const budgetNode = (budget: TenantBudget, entries: readonly BudgetUsageEntry[], nowMs: number): BudgetUseNode => {
  const period = budgetPeriod(budget.period, nowMs);
  const mine = entries.filter((e) => e.budgetId === budget.id).sort((a, b) => b.calls - a.calls || b.cost - a.cost);
  return {
    budgetId: budget.id,
    id: budget.id.split(':').at(-1)!,
    keyId: budget.keyId ?? null,
    policyName: budget.policyName ?? null,
    scope: budget.scope,
    period: budget.period,
    periodStart: period.start,
    periodEnd: new Date(period.endMs),
    maxCalls: budget.maxCalls ?? null,
    maxCost: budget.maxCost ?? null,
    subjectCount: mine.length,
    subjects: mine.slice(0, SUBJECTS_SHOWN).map((e) => ({ subject: e.subject, calls: e.calls, cost: e.cost, spent: budgetSpent(budget, e.calls, e.cost) })),
  };
};

const usageNode = (tenantId: string, usage: TenantBudgetUsage | undefined): TenantBudgetUsageNode => ({
  tenantId,
  countedThroughSeq: (usage?.throughSeq ?? 0n).toString(),
  asOf: usage?.asOf ?? new Date(),
  budgets: usage ? usage.budgets.map((b) => budgetNode(b, usage.entries, usage.asOf.getTime())) : [],
});

/** Budgets of keys and policies with what they used, for admins (the proxies get the same counts). */
@Resolver()
export class BudgetUsageResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('policy:read')
  @Query(() => TenantBudgetUsageNode, { description: 'every budget of the tenant’s keys and policies and what it used in its current period, across all proxies' })
  budgetUsage(@Args('tenantId', { type: () => ID }) tenantId: string): TenantBudgetUsageNode {
    return usageNode(tenantId, this.runtime.budgetUsage.usage(tenantId));
  }
}
