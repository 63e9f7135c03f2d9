import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { VaultCiphertext } from '@mcpgate/contracts';
import { CryptoError } from './crypto-error.js';

export const DATA_KEY_BYTES = 32;
export const IV_BYTES = 12;
export const AUTH_TAG_BYTES = 16;
/** `wrappedDataKey` of a vault ciphertext: wrap iv (12) ‖ wrap auth tag (16) ‖ encrypted data key (32). */
export const VAULT_WRAPPED_KEY_BYTES = IV_BYTES + AUTH_TAG_BYTES + DATA_KEY_BYTES;

const CIPHER = 'aes-256-gcm';
const KEY_ID_MAX = 100;

export interface VaultOptions {
  /** The key new secrets are sealed under; must be one of `keys`. */
  readonly activeKeyId: string;
  /** Every vault key still needed to open stored secrets, by id; each exactly 32 bytes. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** The parts of an AES-256-GCM ciphertext, base64 as they travel in events and snapshots. */
export interface GcmParts {
  readonly iv: string;
  readonly ciphertext: string;
  readonly authTag: string;
}

const decryptFailed = (what: string, cause?: unknown) =>
  new CryptoError('crypto.decrypt_failed', `${what} could not be decrypted: wrong key, or the ciphertext was tampered with or is malformed`, { cause });

/** AES-256-GCM with a full 16-byte tag, refusing shorter tags (Node would otherwise accept truncated ones). */
const gcmEncrypt = (key: KeyObject | Buffer, plaintext: Buffer) => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: AUTH_TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
};

const gcmDecrypt = (key: KeyObject | Buffer, iv: Buffer, ciphertext: Buffer, authTag: Buffer, what: string): Buffer => {
  if (iv.length !== IV_BYTES || authTag.length !== AUTH_TAG_BYTES) throw decryptFailed(what);
  try {
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: AUTH_TAG_BYTES });
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw decryptFailed(what, error);
  }
};

const b64 = (value: string) => Buffer.from(value, 'base64');

/**
 * Decrypts a secret's AES-256-GCM ciphertext with its (already unwrapped) data key. Shared by the
 * vault and by whoever opens a secret sealed for a region; the plaintext exists only in memory.
 */
export const openWithDataKey = (dataKey: Buffer, parts: GcmParts): string => {
  if (dataKey.length !== DATA_KEY_BYTES) throw decryptFailed('the secret');
  return gcmDecrypt(dataKey, b64(parts.iv), b64(parts.ciphertext), b64(parts.authTag), 'the secret').toString('utf8');
};

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The control plane's vault: envelope encryption of stored credentials. Each secret gets a fresh
 * 32-byte data key; the secret is encrypted with AES-256-GCM under the data key and the data key
 * is wrapped with AES-256-GCM under the active vault key. Several vault keys can be held at once so
 * that secrets sealed under a retired key still open after a rotation. See README.md.
 */
export class Vault {
  readonly activeKeyId: string;
  readonly #keys: ReadonlyMap<string, KeyObject>;

  constructor({ activeKeyId, keys }: VaultOptions) {
    const held = new Map<string, KeyObject>();
    for (const [id, key] of keys) {
      if (id.length === 0 || id.length > KEY_ID_MAX) throw new CryptoError('crypto.invalid_key', `vault key ids must be 1 to ${KEY_ID_MAX} characters long`);
      if (key.length !== DATA_KEY_BYTES) throw new CryptoError('crypto.invalid_key', `vault key "${id}" must be ${DATA_KEY_BYTES} bytes, got ${key.length}`);
      held.set(id, createSecretKey(Buffer.from(key)));
    }
    if (!held.has(activeKeyId)) {
      const known = [...held.keys()].join(', ') || 'none';
      throw new CryptoError('crypto.invalid_key', `the active vault key "${activeKeyId}" is not among the configured vault keys (${known})`);
    }
    this.activeKeyId = activeKeyId;
    this.#keys = held;
  }

  /**
   * Loads vault keys from configuration: each value is 32 bytes in standard base64 (e.g. from
   * `openssl rand -base64 32`). A malformed or wrongly sized key is named by id, never echoed.
   */
  static fromBase64Keys(activeKeyId: string, keys: Readonly<Record<string, string>>): Vault {
    const decoded = new Map<string, Buffer>();
    for (const [id, value] of Object.entries(keys)) {
      const text = value.trim();
      if (!STRICT_BASE64.test(text)) throw new CryptoError('crypto.invalid_key', `vault key "${id}" is not valid base64`);
      const key = Buffer.from(text, 'base64');
      if (key.length !== DATA_KEY_BYTES) {
        throw new CryptoError('crypto.invalid_key', `vault key "${id}" must decode to ${DATA_KEY_BYTES} bytes, got ${key.length} (generate one with: openssl rand -base64 32)`);
      }
      decoded.set(id, key);
    }
    return new Vault({ activeKeyId, keys: decoded });
  }

  /** Encrypts a secret under a fresh data key, wrapped by the active vault key. */
  seal(plaintext: string): VaultCiphertext {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const secret = gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'));
      const wrap = gcmEncrypt(this.#key(this.activeKeyId), dataKey);
      return {
        vaultKeyId: this.activeKeyId,
        wrappedDataKey: Buffer.concat([wrap.iv, wrap.authTag, wrap.ciphertext]).toString('base64'),
        iv: secret.iv.toString('base64'),
        ciphertext: secret.ciphertext.toString('base64'),
        authTag: secret.authTag.toString('base64'),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /** Decrypts a secret; the plaintext is returned to the caller only, never logged or stored. */
  open(ciphertext: VaultCiphertext): string {
    const dataKey = this.unwrapDataKey(ciphertext);
    try {
      return openWithDataKey(dataKey, ciphertext);
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * The secret's data key, for re-wrapping it under another key (a region's). The caller owns the
   * buffer and should zero it (`fill(0)`) as soon as it is done.
   */
  unwrapDataKey(ciphertext: VaultCiphertext): Buffer {
    const key = this.#key(ciphertext.vaultKeyId);
    const packed = b64(ciphertext.wrappedDataKey);
    if (packed.length !== VAULT_WRAPPED_KEY_BYTES) throw decryptFailed('the wrapped data key');
    const iv = packed.subarray(0, IV_BYTES);
    const authTag = packed.subarray(IV_BYTES, IV_BYTES + AUTH_TAG_BYTES);
    const encrypted = packed.subarray(IV_BYTES + AUTH_TAG_BYTES);
    return gcmDecrypt(key, iv, encrypted, authTag, 'the wrapped data key');
  }

  #key(id: string): KeyObject {
    const key = this.#keys.get(id);
    if (!key) {
      throw new CryptoError('crypto.unknown_vault_key', `the secret is sealed under vault key "${id}", which this vault does not hold (held: ${[...this.#keys.keys()].join(', ')})`);
    }
    return key;
  }
}
