import { z } from 'zod';
import { Region, Sha256Hex, TenantId, Timestamp, UpstreamServerId, VirtualKeyId, VirtualServerId } from '../ids.js';
import { PolicyVersion } from '../snapshot/policy-snapshot.js';

/** Who made a call, as the proxy authenticated them. Never the key secret or the bearer token. */
export const AuditPrincipal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('virtual-key'), keyId: VirtualKeyId, keyPrefix: z.string().max(20) }),
  z.object({
    kind: z.literal('oauth'),
    issuer: z.string().max(512),
    subject: z.string().max(512),
    clientId: z.string().max(256).optional(),
    groups: z.array(z.string().max(512)).max(200).default([]),
  }),
  z.object({ kind: z.literal('anonymous') }),
]);
export type AuditPrincipal = z.infer<typeof AuditPrincipal>;

/** Why a call ended as it did. `ruleId` names the policy rule or limit that decided a denial. */
export const AuditDecision = z.object({
  outcome: z.enum(['allowed', 'denied', 'failed']),
  reason: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/),
  ruleId: z.string().max(100).optional(),
  message: z.string().max(2000).optional(),
});
export type AuditDecision = z.infer<typeof AuditDecision>;

/**
 * One tool call (or other audited MCP request) as it crossed a proxy. Immutable once written;
 * `eventId` makes redelivery harmless downstream.
 */
export const AuditEvent = z.object({
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  time: Timestamp,
  tenantId: TenantId,
  region: Region,
  proxyId: z.string().min(1).max(200),
  principal: AuditPrincipal,
  virtualServerId: VirtualServerId.optional(),
  upstreamServerId: UpstreamServerId.optional(),
  /** JSON-RPC method, e.g. `tools/call`. */
  method: z.string().min(1).max(100),
  /** Tool name as the caller saw it (prefixed), for tool calls. */
  tool: z.string().max(256).optional(),
  /** SHA-256 of the canonical JSON of the arguments, when argument capture is `hash` or `full`. */
  argumentsHash: Sha256Hex.optional(),
  /** Arguments themselves, only when the tenant's policy says `full`; redacted of known secret fields. */
  arguments: z.record(z.string(), z.unknown()).optional(),
  decision: AuditDecision,
  latencyMs: z.number().nonnegative(),
  policyVersion: PolicyVersion,
  traceId: z.string().regex(/^[a-f0-9]{32}$/).optional(),
  sessionId: z.string().max(64).optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
