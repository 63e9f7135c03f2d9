import { AGGREGATE_OF_EVENT } from '@mcpgate/contracts';
import { DomainError } from '../../domain/domain-error.js';
import { conditions } from './connection.js';
import type { ActivityFilter } from './list.types.js';

const AGGREGATES = [...new Set(Object.values(AGGREGATE_OF_EVENT))];
const MAX_TYPES = 50;

/**
 * The activity filter as a Prisma condition on `admin_activity`, scoped to the tenant. An aggregate
 * kind matches its stream prefix but not a longer kind's (`role` is not `role-binding`).
 */
export const activityWhere = (tenantId: string, filter: ActivityFilter | null): Record<string, unknown> => {
  if (!filter) return { tenantId };
  const { actor, types, aggregate, streamId, from, to } = filter;
  if (aggregate && !AGGREGATES.includes(aggregate)) throw new DomainError('VALIDATION', 'activity.unknown_aggregate', `aggregate is one of ${AGGREGATES.join(', ')}`);
  if (types && types.length > MAX_TYPES) throw new DomainError('VALIDATION', 'activity.too_many_types', `filter by at most ${MAX_TYPES} event types`);
  if (from && to && from > to) throw new DomainError('VALIDATION', 'activity.invalid_range', '`from` is after `to`');
  const longer = aggregate ? AGGREGATES.filter((a) => a !== aggregate && a.startsWith(`${aggregate}-`)) : [];
  const and: Record<string, unknown>[] = [];
  if (actor) and.push({ OR: ['subject', 'serviceAccountId', 'component'].map((field) => ({ actor: { path: [field], equals: actor } })) });
  if (aggregate) and.push({ streamId: { startsWith: `${aggregate}-` } }, ...longer.map((a) => ({ NOT: { streamId: { startsWith: `${a}-` } } })));
  return conditions({
    tenantId,
    type: types?.length ? { in: types } : undefined,
    streamId: streamId ?? undefined,
    time: from || to ? conditions({ gte: from ?? undefined, lt: to ?? undefined }) : undefined,
    AND: and.length ? and : undefined,
  });
};
