import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SigningKey } from '../infra/crypto/snapshot-signer.js';

/** Signs checkpoint and retention payloads (Ed25519), with the control plane's signing key. */
export interface AuditSigner {
  readonly keyId: string;
  sign(payload: Buffer): Buffer;
}

/** A key the sink MACs records with. */
export interface MacKey {
  readonly keyId: string;
  readonly key: Buffer;
}

/** The record MAC keys: new records use `active`; older records name theirs in `mac_key_id`. */
export interface AuditMacKeyring {
  readonly active: MacKey;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/**
 * What verification trusts: Ed25519 public keys (PEM, by key id) for checkpoints and retention
 * records, and, when the verifier is the control plane itself, the record MAC keys. Without MAC
 * keys verification is public: the chain and the signatures are checked, record MACs are not.
 */
export interface AuditTrustedKeys {
  readonly signing: ReadonlyMap<string, string>;
  readonly mac?: ReadonlyMap<string, Buffer>;
}

/** A key file or key that cannot be used. */
export class AuditKeyError extends Error {
  readonly reason = 'audit.invalid_key';

  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'AuditKeyError';
  }
}

export const auditSigner = ({ keyId, privateKeyPem }: SigningKey): AuditSigner => {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (cause) {
    throw new AuditKeyError(`signing key "${keyId}" is not a valid PEM key`, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AuditKeyError(`signing key "${keyId}" must be an Ed25519 key`);
  return { keyId, sign: (payload) => sign(null, payload, key) };
};

export type SignatureCheck = 'valid' | 'unknown_key' | 'invalid';

/** Checks Ed25519 signatures against trusted public keys, parsing each key once. */
export class SignatureVerifier {
  private readonly parsed = new Map<string, KeyObject | null>();

  constructor(private readonly trusted: ReadonlyMap<string, string>) {}

  check(keyId: string, payload: Buffer, signature: Buffer): SignatureCheck {
    let key = this.parsed.get(keyId);
    if (key === undefined) {
      const pem = this.trusted.get(keyId);
      try {
        key = pem === undefined ? null : createPublicKey(pem);
      } catch (cause) {
        throw new AuditKeyError(`trusted signing key "${keyId}" is not a valid PEM public key`, { cause });
      }
      this.parsed.set(keyId, key);
    }
    if (key === null) return 'unknown_key';
    try {
      return verify(null, payload, key, signature) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

interface MacKeyFile {
  activeKeyId: string;
  keys: Record<string, string>;
}

export const AUDIT_MAC_KEY_FILE = 'audit-mac.json';

/**
 * Loads the record MAC keys from `<keysDir>/audit-mac.json` ({activeKeyId, keys: {id: base64 of
 * 32 bytes}}, mode 0600, beside the key store's files). In development a missing file is created
 * with one fresh key; in production it is an error naming the file. Rotation: add a key, make it
 * active, keep the old ones for as long as records MACed with them are kept.
 */
export const loadAuditMacKeys = (keysDir: string, generateMissing: boolean): AuditMacKeyring => {
  const path = join(keysDir, AUDIT_MAC_KEY_FILE);
  let file: MacKeyFile;
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as MacKeyFile;
    } catch (cause) {
      throw new AuditKeyError(`key file ${path} is not valid JSON`, { cause });
    }
  } else {
    if (!generateMissing) throw new AuditKeyError(`key file ${path} is missing (keys are only generated in development)`);
    file = { activeKeyId: 'audit-mac-1', keys: { 'audit-mac-1': randomBytes(32).toString('base64') } };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    chmodSync(keysDir, 0o700);
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  return macKeyring(file.activeKeyId, file.keys ?? {}, path);
};

/** A keyring from base64 keys; each key must be 32 bytes and the active one must be present. */
export const macKeyring = (activeKeyId: string, keys: Record<string, string>, where = 'the audit MAC keyring'): AuditMacKeyring => {
  const decoded = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32) throw new AuditKeyError(`audit MAC key "${id}" in ${where} must be 32 bytes of base64`);
    decoded.set(id, key);
  }
  const active = decoded.get(activeKeyId);
  if (!active) throw new AuditKeyError(`the active audit MAC key "${activeKeyId}" is not in ${where}`);
  return { active: { keyId: activeKeyId, key: active }, keys: decoded };
};
