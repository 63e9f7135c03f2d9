import { z } from 'zod';
import { Actor } from '../actor.js';
import { eventSchema } from '../envelope.js';
import { DisplayName, Sha256Hex, Timestamp, VirtualKeyId, VirtualServerId } from '../ids.js';
import { Budget, RateLimit, ToolFilter } from '../policy/policy-rules.js';

/**
 * The visible start of a key secret (`mcpg_` + 8 characters) so people can tell keys apart;
 * far too short to guess the rest from.
 */
export const KeyPrefix = z.string().regex(/^mcpg_[A-Za-z0-9]{8}$/);

/** What a key may reach. A key never grants more than its issuer held when it was issued. */
export const VirtualKeyScopes = z.object({
  virtualServerIds: z.array(VirtualServerId).min(1).max(100),
  tools: ToolFilter.default({ allow: ['*'], deny: [] }),
  rateLimits: z.array(RateLimit).max(20).default([]),
  budget: Budget.optional(),
});
export type VirtualKeyScopes = z.infer<typeof VirtualKeyScopes>;

/**
 * A key was issued. Only the SHA-256 of the secret is stored: the secret itself is returned once
 * by the command and appears in no event, log or snapshot.
 */
export const VirtualKeyIssued = eventSchema(
  'VirtualKeyIssued',
  z.object({
    keyId: VirtualKeyId,
    name: DisplayName,
    keyPrefix: KeyPrefix,
    secretHash: Sha256Hex,
    scopes: VirtualKeyScopes,
    expiresAt: Timestamp.optional(),
    issuedBy: Actor,
  }),
);
/** The secret was replaced; the previous one keeps working until `previousValidUntil` (grace period). */
export const VirtualKeyRotated = eventSchema(
  'VirtualKeyRotated',
  z.object({ keyPrefix: KeyPrefix, secretHash: Sha256Hex, previousValidUntil: Timestamp.optional() }),
);
export const VirtualKeyRevoked = eventSchema('VirtualKeyRevoked', z.object({ reason: z.string().min(1).max(500) }));

export const VirtualKeyEvent = z.discriminatedUnion('type', [VirtualKeyIssued, VirtualKeyRotated, VirtualKeyRevoked]);
export type VirtualKeyEvent = z.infer<typeof VirtualKeyEvent>;
