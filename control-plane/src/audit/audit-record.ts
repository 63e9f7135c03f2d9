import { AuditEvent } from '@mcpgate/contracts';
import type { ZodError } from 'zod';
import { canonicalize } from './audit-hash.js';

/** The copies of event fields kept in their own columns for queries; verification checks them. */
export interface AuditColumns {
  /** ISO-8601 UTC with milliseconds (the event's time, truncated to what timestamptz(3) keeps). */
  readonly time: string;
  readonly region: string;
  readonly method: string;
  readonly principalKind: string;
  readonly principalKeyId: string | null;
  readonly principalIssuer: string | null;
  readonly principalSubject: string | null;
  readonly virtualServerId: string | null;
  readonly upstreamServerId: string | null;
  readonly tool: string | null;
  readonly outcome: string;
  readonly reason: string;
  readonly policyLogPosition: string;
}

/** A valid, storable audit event with what the chain needs from it. */
export interface AcceptedEvent {
  readonly tenantId: string;
  /** Lowercase, as the uuid column returns it. */
  readonly eventId: string;
  /** `canonicalize(event)`: what is hashed and stored. */
  readonly eventJson: string;
  readonly columns: AuditColumns;
}

export type Admission = { readonly ok: true; readonly event: AcceptedEvent } | { readonly ok: false; readonly error: string };

/** Larger events are refused (the proxy's spool takes at most 512 KiB per event). */
export const MAX_EVENT_JSON_BYTES = 1024 * 1024;

// JSON.stringify writes NUL and lone UTF-16 surrogates as \u escapes; PostgreSQL's jsonb accepts
// neither, so such an event could never be stored: it is refused up front instead of failing (and
// being retried forever) inside a batch. An even run of backslashes before the escape is literal text.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

const timeIso = (time: string) => new Date(Date.parse(time)).toISOString();

/**
 * Issuer and subject columns of a principal: an OAuth caller's; for an admin record, the actor's
 * (a user's issuer and subject, a service account's id, the system component's name).
 */
const principalIdentity = (p: AuditEvent['principal']): { issuer: string | null; subject: string | null } => {
  if (p.kind === 'oauth') return { issuer: p.issuer, subject: p.subject };
  if (p.kind !== 'admin') return { issuer: null, subject: null };
  const a = p.actor;
  return a.kind === 'user' ? { issuer: a.issuer, subject: a.subject } : { issuer: null, subject: a.kind === 'service-account' ? a.serviceAccountId : a.component };
};

export const columnsOf = (event: AuditEvent): AuditColumns => {
  const p = event.principal;
  const identity = principalIdentity(p);
  return {
    time: timeIso(event.time),
    region: event.region,
    method: event.method,
    principalKind: p.kind,
    principalKeyId: p.kind === 'virtual-key' ? p.keyId : null,
    principalIssuer: identity.issuer,
    principalSubject: identity.subject,
    virtualServerId: event.virtualServerId ?? null,
    upstreamServerId: event.upstreamServerId ?? null,
    tool: event.tool ?? null,
    outcome: event.decision.outcome,
    reason: event.decision.reason,
    policyLogPosition: event.policyVersion.logPosition,
  };
};

const describeIssues = (error: ZodError) =>
  error.issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * Validates a value against the AuditEvent contract and checks that PostgreSQL can store it. The
 * stored and hashed form is the schema's output (unknown fields dropped, defaults filled in) in
 * canonical JSON. Errors name fields and rules, never values.
 */
export const admitEvent = (value: unknown): Admission => {
  const parsed = AuditEvent.safeParse(value);
  if (!parsed.success) return { ok: false, error: `not an AuditEvent: ${describeIssues(parsed.error)}` };
  const event = parsed.data;
  if (Number.isNaN(Date.parse(event.time))) return { ok: false, error: 'time: not a point in time' };
  const eventJson = canonicalize(event);
  if (Buffer.byteLength(eventJson, 'utf8') > MAX_EVENT_JSON_BYTES) return { ok: false, error: `event larger than ${MAX_EVENT_JSON_BYTES} bytes` };
  if (eventJson.includes('\\u') && UNSTORABLE_ESCAPE.test(eventJson)) return { ok: false, error: 'event holds a NUL character or a lone UTF-16 surrogate, which jsonb cannot store' };
  return { ok: true, event: { tenantId: event.tenantId, eventId: event.eventId.toLowerCase(), eventJson, columns: columnsOf(event) } };
};

/** `admitEvent` for a record's bytes: UTF-8 JSON of one AuditEvent. */
export const admitRecord = (value: Buffer | null): Admission => {
  if (!value || value.length === 0) return { ok: false, error: 'empty record' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  return admitEvent(json);
};
