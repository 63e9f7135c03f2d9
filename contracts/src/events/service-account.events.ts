import { z } from 'zod';
import { Actor } from '../actor.js';
import { eventSchema } from '../envelope.js';
import { DisplayName, ServiceAccountId, Sha256Hex, Timestamp } from '../ids.js';
import { Permission } from '../permissions.js';

/** The visible start of an API token (`mcpgsa_` + 8 characters), to tell tokens apart. */
export const ApiTokenPrefix = z.string().regex(/^mcpgsa_[A-Za-z0-9]{8}$/);

/**
 * An identity for automation (CI, infrastructure as code) in one tenant, with a fixed set of
 * permissions there: never more than its creator held when creating it.
 */
export const ServiceAccountCreated = eventSchema(
  'ServiceAccountCreated',
  z.object({
    serviceAccountId: ServiceAccountId,
    name: DisplayName,
    description: z.string().max(1000).default(''),
    permissions: z.array(Permission).min(1),
    createdBy: Actor,
  }),
);
/** A bearer token for the account; only its SHA-256 is stored, the secret is shown once. */
export const ApiTokenIssued = eventSchema(
  'ApiTokenIssued',
  z.object({ tokenId: z.string().regex(/^tok_[A-Za-z0-9_]{10,64}$/), tokenPrefix: ApiTokenPrefix, secretHash: Sha256Hex, expiresAt: Timestamp.optional() }),
);
export const ApiTokenRevoked = eventSchema('ApiTokenRevoked', z.object({ tokenId: z.string().min(1).max(80), reason: z.string().min(1).max(500) }));
export const ServiceAccountDeleted = eventSchema('ServiceAccountDeleted', z.object({}));

export const ServiceAccountEvent = z.discriminatedUnion('type', [ServiceAccountCreated, ApiTokenIssued, ApiTokenRevoked, ServiceAccountDeleted]);
export type ServiceAccountEvent = z.infer<typeof ServiceAccountEvent>;
