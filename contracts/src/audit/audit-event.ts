import { z } from 'zod';
import { Actor } from '../actor.js';
import { StreamId } from '../envelope.js';
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
  /** An admin record's author: the actor of the control-plane event (user, service account, or the system). */
  z.object({ kind: z.literal('admin'), actor: Actor }),
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
 * What an admin record changed: one control-plane event (who is in the principal, when in `time`).
 * `data` is the event's data with secret fields redacted: the new values ("after"); `before` holds
 * the previous values where the event carries them.
 */
export const AuditChange = z.object({
  /** The control-plane event type, e.g. `VirtualKeyRevoked`. */
  type: z.string().regex(/^[A-Z][A-Za-z]+$/),
  streamId: StreamId,
  streamVersion: z.number().int().positive(),
  correlationId: z.string().min(1).max(128),
  data: z.record(z.string(), z.unknown()),
  before: z.record(z.string(), z.unknown()).optional(),
});
export type AuditChange = z.infer<typeof AuditChange>;

/**
 * The rules of an AuditEvent that span fields (the schema's refinement), for validators other than
 * zod (the audit sink's compiled one) to apply the same way.
 */
export const auditEventInconsistencies = (event: { readonly kind?: string | undefined; readonly principal: { readonly kind: string }; readonly change?: unknown }): { path: string[]; message: string }[] => {
  const admin = event.kind === 'admin';
  const issues: { path: string[]; message: string }[] = [];
  if (admin !== (event.principal.kind === 'admin')) issues.push({ path: ['principal', 'kind'], message: 'an admin record has an admin principal, and only an admin record has one' });
  if (admin !== (event.change !== undefined)) issues.push({ path: ['change'], message: 'an admin record carries `change`, and only an admin record does' });
  return issues;
};

/** What an audit record is about: a call through a proxy, or a change made in the control plane. */
export const AuditEventKind = z.enum(['tool-call', 'admin']);
export type AuditEventKind = z.infer<typeof AuditEventKind>;

/**
 * One tool call (or other audited MCP request) as it crossed a proxy, or, with `kind: 'admin'`,
 * one change applied by the control plane (principal `admin`, `change` set, method
 * `admin/<event type>`, region `control-plane`, policyVersion = the commit's log position).
 * Immutable once written; `eventId` makes redelivery harmless downstream.
 *
 * `kind` is optional so events written before admin records existed parse, hash and verify as
 * they were: absent means `tool-call`.
 */
export const AuditEvent = z
  .object({
    schemaVersion: z.literal(1),
    kind: AuditEventKind.optional(),
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
    /** What the call cost in the tenant's units (policies' `toolCosts`), for a priced tool call that went through. */
    cost: z.number().positive().max(1_000_000).optional(),
    latencyMs: z.number().nonnegative(),
    policyVersion: PolicyVersion,
    traceId: z.string().regex(/^[a-f0-9]{32}$/).optional(),
    sessionId: z.string().max(64).optional(),
    /** Admin records only: what changed. */
    change: AuditChange.optional(),
  })
  .superRefine((event, ctx) => {
    for (const issue of auditEventInconsistencies(event)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type AuditEvent = z.infer<typeof AuditEvent>;
