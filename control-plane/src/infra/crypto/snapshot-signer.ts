import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { PolicySnapshot, SignedSnapshot, type BudgetUsageReport } from '@mcpgate/contracts';
import { canonicalJson } from '../../snapshot/canonical-json.js';
import { CryptoError } from './crypto-error.js';

export interface SigningKey {
  readonly keyId: string;
  readonly privateKeyPem: string;
}

export interface SigningKeyPair extends SigningKey {
  readonly publicKeyPem: string;
}

export type SnapshotVerification =
  | { readonly ok: true; readonly snapshot: PolicySnapshot }
  | { readonly ok: false; readonly reason: 'snapshot.unknown_key' | 'snapshot.bad_signature' | 'snapshot.invalid'; readonly message: string };

const ed25519 = (parse: () => KeyObject, what: string): KeyObject => {
  let key: KeyObject;
  try {
    key = parse();
  } catch (error) {
    throw new CryptoError('crypto.invalid_key', `${what} is not a valid PEM key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CryptoError('crypto.invalid_key', `${what} must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
};

/**
 * Signs policy snapshots with the control plane's Ed25519 key. The payload is the snapshot's
 * canonical JSON and the signature covers its UTF-8 bytes, so proxies verify exactly what they parse.
 */
export class SnapshotSigner {
  readonly keyId: string;
  readonly #privateKey: KeyObject;

  constructor({ keyId, privateKeyPem }: SigningKey) {
    if (keyId.length === 0 || keyId.length > 100) throw new CryptoError('crypto.invalid_key', 'signing key ids must be 1 to 100 characters long');
    this.keyId = keyId;
    this.#privateKey = ed25519(() => createPrivateKey(privateKeyPem), `signing key "${keyId}"`);
  }

  sign(snapshot: PolicySnapshot): SignedSnapshot {
    return this.signPayload(snapshot);
  }

  /** Signs a budget usage report the same way: the proxies verify it with the same trusted keys. */
  signUsage(report: BudgetUsageReport): SignedSnapshot {
    return this.signPayload(report);
  }

  private signPayload(value: PolicySnapshot | BudgetUsageReport): SignedSnapshot {
    const payload = canonicalJson(value);
    const signature = sign(null, Buffer.from(payload, 'utf8'), this.#privateKey).toString('base64');
    return { payload, signature: { alg: 'Ed25519', keyId: this.keyId, value: signature } };
  }
}

const issues = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * Checks a signed snapshot against the trusted signing keys (several during a rotation) and only
 * then parses its payload. A key id not in `trusted` is `snapshot.unknown_key`, a signature that
 * does not verify is `snapshot.bad_signature`, and a verified payload that is not a valid policy
 * snapshot is `snapshot.invalid`. A trusted key that is not an Ed25519 PEM public key is a
 * configuration fault and throws a `crypto.invalid_key` CryptoError.
 */
export const verifySignedSnapshot = (signed: SignedSnapshot, trusted: ReadonlyMap<string, string>): SnapshotVerification => {
  const envelope = SignedSnapshot.safeParse(signed);
  if (!envelope.success) return { ok: false, reason: 'snapshot.invalid', message: `not a signed snapshot: ${issues(envelope.error)}` };
  const { payload, signature } = envelope.data;

  const publicKeyPem = trusted.get(signature.keyId);
  if (publicKeyPem === undefined) {
    return { ok: false, reason: 'snapshot.unknown_key', message: `snapshot is signed with key "${signature.keyId}", which is not trusted (trusted: ${[...trusted.keys()].join(', ') || 'none'})` };
  }
  const publicKey = ed25519(() => createPublicKey(publicKeyPem), `trusted signing key "${signature.keyId}"`);
  let verified: boolean;
  try {
    verified = verify(null, Buffer.from(payload, 'utf8'), publicKey, Buffer.from(signature.value, 'base64'));
  } catch {
    verified = false;
  }
  if (!verified) return { ok: false, reason: 'snapshot.bad_signature', message: `the signature of key "${signature.keyId}" does not match the payload` };

  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'snapshot.invalid', message: 'the signed payload is not JSON' };
  }
  const snapshot = PolicySnapshot.safeParse(json);
  if (!snapshot.success) return { ok: false, reason: 'snapshot.invalid', message: `the signed payload is not a valid policy snapshot: ${issues(snapshot.error)}` };
  return { ok: true, snapshot: snapshot.data };
};

/** A fresh Ed25519 signing key pair (PKCS#8 private, SPKI public, both PEM) under the given id. */
export const generateSigningKeyPair = (keyId: string): SigningKeyPair => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { keyId, publicKeyPem: publicKey, privateKeyPem: privateKey };
};
