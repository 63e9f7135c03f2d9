import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';

export type VerifiedSnapshot =
  | { readonly ok: true; readonly snapshot: PolicySnapshot }
  | { readonly ok: false; readonly reason: 'snapshot.invalid' | 'snapshot.unknown_key' | 'snapshot.bad_signature'; readonly message: string };

/** Trusted Ed25519 public keys by key id; several at once during a signing-key rotation. */
export const trustedKeys = (pems: ReadonlyMap<string, string>): ReadonlyMap<string, KeyObject> =>
  new Map([...pems].map(([keyId, pem]) => [keyId, createPublicKey(pem)]));

/**
 * Checks a snapshot record exactly as it arrived: envelope shape, a trusted key id, the Ed25519
 * signature over the payload bytes, and only then the payload's schema. Never throws.
 */
export const verifySnapshot = (raw: unknown, trusted: ReadonlyMap<string, KeyObject>): VerifiedSnapshot => {
  const envelope = SignedSnapshot.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: 'snapshot.invalid', message: 'not a signed snapshot envelope' };
  const { payload, signature } = envelope.data;
  const key = trusted.get(signature.keyId);
  if (!key) return { ok: false, reason: 'snapshot.unknown_key', message: `signed with untrusted key ${signature.keyId}` };
  if (!verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signature.value, 'base64'))) {
    return { ok: false, reason: 'snapshot.bad_signature', message: `signature by ${signature.keyId} does not verify` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'snapshot.invalid', message: 'payload is not JSON' };
  }
  const snapshot = PolicySnapshot.safeParse(parsed);
  return snapshot.success ? { ok: true, snapshot: snapshot.data } : { ok: false, reason: 'snapshot.invalid', message: 'payload is not a policy snapshot' };
};
