import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { PolicyId, Slug } from '../ids.js';
import { PolicyDocument } from '../policy/policy-rules.js';

/** A named policy was created; its stream version is its policy version number. */
export const PolicyCreated = eventSchema(
  'PolicyCreated',
  z.object({ policyId: PolicyId, name: Slug, description: z.string().max(1000).default(''), document: PolicyDocument }),
);
/** The whole new document; a diff between two versions is computed, not stored. */
export const PolicyUpdated = eventSchema(
  'PolicyUpdated',
  z.object({ document: PolicyDocument, changeNote: z.string().max(1000).default('') }),
);
export const PolicyDeleted = eventSchema('PolicyDeleted', z.object({}));

export const PolicyEvent = z.discriminatedUnion('type', [PolicyCreated, PolicyUpdated, PolicyDeleted]);
export type PolicyEvent = z.infer<typeof PolicyEvent>;
