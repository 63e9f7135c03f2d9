import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';

export type VerifiedSnapshot =
  | { readonly ok: true; readonly snapshot: PolicySnapshot }
  | { readonly ok: false; readonly reason: 'snapshot.invalid' | 'snapshot.unknown_key' | 'snapshot.bad_signature'; readonly message: string };

/** Trusted Ed25519 public keys by key id; several at once during a signing-key rotation. */
export const trustedKeys = (pems: ReadonlyMap<string, string>): ReadonlyMap<string, KeyObject> =>
  new Map([...pems].map(([keyId, pem]) => [keyId, createPublicKey(pem)]));

/** A signed record checked: its payload parsed from JSON, or why it was refused before any schema saw it. */
export type SignedPayload =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly failure: 'invalid' | 'unknown_key' | 'bad_signature'; readonly message: string };

/**
 * Checks a signed record (a policy snapshot, a budget usage report) exactly as it arrived: envelope
 * shape, a trusted key id, the Ed25519 signature over the payload bytes, and only then parses the
 * payload as JSON, for the caller to check against its schema. Never throws.
 */
export const verifySignedPayload = (raw: unknown, trusted: ReadonlyMap<string, KeyObject>, what: string): SignedPayload => {
  const envelope = SignedSnapshot.safeParse(raw);
  if (!envelope.success) return { ok: false, failure: 'invalid', message: `not a signed ${what} envelope` };
  const { payload, signature } = envelope.data;
  const key = trusted.get(signature.keyId);
  if (!key) return { ok: false, failure: 'unknown_key', message: `signed with untrusted key ${signature.keyId}` };
  if (!verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signature.value, 'base64'))) {
    return { ok: false, failure: 'bad_signature', message: `signature by ${signature.keyId} does not verify` };
  }
  try {
    return { ok: true, payload: JSON.parse(payload) };
  } catch {
    return { ok: false, failure: 'invalid', message: 'payload is not JSON' };
  }
};

/** A snapshot record verified (`verifySignedPayload`) and its payload checked against the PolicySnapshot schema. */
export const verifySnapshot = (raw: unknown, trusted: ReadonlyMap<string, KeyObject>): VerifiedSnapshot => {
  const verified = verifySignedPayload(raw, trusted, 'snapshot');
  if (!verified.ok) return { ok: false, reason: `snapshot.${verified.failure}`, message: verified.message };
  const snapshot = PolicySnapshot.safeParse(verified.payload);
  return snapshot.success ? { ok: true, snapshot: snapshot.data } : { ok: false, reason: 'snapshot.invalid', message: 'payload is not a policy snapshot' };
};
