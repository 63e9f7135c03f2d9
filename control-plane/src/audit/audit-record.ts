import { isUtf8 } from 'node:buffer';
import { parseAuditEvent, validateAuditEvent, type AuditEvent } from '@mcpgate/contracts';
import { canonicalize } from './audit-hash.js';
import { isoTimeText } from '../core/iso-time.js';

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
  /** The event's JSON exactly as received (UTF-8): what is hashed and stored, byte for byte. */
  readonly eventBytes: Buffer;
  /** The same, as text. */
  readonly eventJson: string;
  readonly columns: AuditColumns;
  /** The row's fields event_id … event in binary COPY form, when an admission thread encoded them ahead (`writeEventFields`). */
  readonly copyFields?: Buffer;
}

export type Admission = { readonly ok: true; readonly event: AcceptedEvent } | { readonly ok: false; readonly error: string };

/** Larger events are refused (the proxy's spool takes at most 512 KiB per event). */
export const MAX_EVENT_JSON_BYTES = 1024 * 1024;

/**
 * Whether a JSON value holds a NUL character or a lone UTF-16 surrogate (in a key or a string):
 * JSON can carry them as \u escapes, but PostgreSQL's json operators and jsonb refuse them, so such
 * an event could never be queried: it is refused up front. Only walked when the text holds an
 * escape (`\u`), as any such character must then be written.
 */
const UNSTORABLE_CHARACTER = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const holdsUnstorable = (value: unknown): boolean => {
  if (typeof value === 'string') return UNSTORABLE_CHARACTER.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  return Object.entries(value).some(([key, item]) => holdsUnstorable(key) || holdsUnstorable(item));
};

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
    time: isoTimeText(event.time),
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

/** A valid event as stored: checks what PostgreSQL can hold and copies the query columns. */
const accept = (event: AuditEvent, json: unknown, eventBytes: Buffer, eventJson: string): Admission => {
  if (Number.isNaN(Date.parse(event.time))) return { ok: false, error: 'time: not a point in time' };
  if (eventJson.includes('\\u') && holdsUnstorable(json)) return { ok: false, error: 'event holds a NUL character or a lone UTF-16 surrogate, which PostgreSQL cannot query' };
  return { ok: true, event: { tenantId: event.tenantId, eventId: event.eventId.toLowerCase(), eventBytes, eventJson, columns: columnsOf(event) } };
};

/**
 * Admits a record's bytes: UTF-8 JSON of one AuditEvent. The record is kept exactly as the proxy
 * wrote it (hashed and stored byte for byte, fields this version does not know included), so
 * nothing is re-encoded on the way in and anyone can hash a stored event as it is. Errors name
 * fields and rules, never values.
 */
export const admitRecord = (value: Buffer | null): Admission => {
  if (!value || value.length === 0) return { ok: false, error: 'empty record' };
  if (value.length > MAX_EVENT_JSON_BYTES) return { ok: false, error: `event larger than ${MAX_EVENT_JSON_BYTES} bytes` };
  if (!isUtf8(value)) return { ok: false, error: 'not UTF-8' };
  const text = value.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const valid = validateAuditEvent(json);
  return valid.ok ? accept(valid.event, json, value, text) : valid;
};

/**
 * An event another thread admitted (`AdmissionPool`), put together from the bytes this thread
 * holds and the row fields the other thread encoded: hashing and COPY take those as they are, so
 * the text and the columns are only made again here when something asks for them (a redelivery's
 * comparison, the statement path of an embedded database).
 */
class AdmittedElsewhere implements AcceptedEvent {
  private text: string | undefined;
  private copied: AuditColumns | undefined;

  constructor(
    readonly tenantId: string,
    readonly eventId: string,
    readonly eventBytes: Buffer,
    readonly copyFields: Buffer,
  ) {}

  get eventJson(): string {
    this.text ??= this.eventBytes.toString('utf8');
    return this.text;
  }

  get columns(): AuditColumns {
    this.copied ??= columnsOf(JSON.parse(this.eventJson) as AuditEvent);
    return this.copied;
  }
}

export const admittedElsewhere = (tenantId: string, eventId: string, eventBytes: Buffer, copyFields: Buffer): AcceptedEvent =>
  new AdmittedElsewhere(tenantId, eventId, eventBytes, copyFields);

/**
 * Admits an event the control plane built itself (admin activity): validated against the contract,
 * and stored as the canonical JSON (RFC 8785) of what the schema parsed (unknown fields dropped,
 * defaults filled in).
 */
export const admitEvent = (value: unknown): Admission => {
  const valid = parseAuditEvent(value);
  if (!valid.ok) return valid;
  const eventJson = canonicalize(valid.event);
  const eventBytes = Buffer.from(eventJson, 'utf8');
  if (eventBytes.length > MAX_EVENT_JSON_BYTES) return { ok: false, error: `event larger than ${MAX_EVENT_JSON_BYTES} bytes` };
  return accept(valid.event, valid.event, eventBytes, eventJson);
};
