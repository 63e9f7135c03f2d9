import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { VaultCiphertext } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { Vault, VAULT_WRAPPED_KEY_BYTES } from './vault.js';
import { cryptoErrorOf } from './test/crypto-error-of.js';

const PLAINTEXT = 'ghp_s3cr3t-token-ünïcode-✓';

const vaultWith = (activeKeyId: string, keys: Record<string, Buffer>) => new Vault({ activeKeyId, keys: new Map(Object.entries(keys)) });

/** Flips one bit of the byte at `index` of a base64 field. */
const flip = (base64: string, index = 0) => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};

describe(Vault.name, () => {
  const key1 = randomBytes(32);
  const key2 = randomBytes(32);

  it('opens what it sealed, and the ciphertext is a valid VaultCiphertext that does not contain the plaintext', () => {
    const sut = vaultWith('vault-1', { 'vault-1': key1 });
    const sealed = sut.seal(PLAINTEXT);
    expect(VaultCiphertext.parse(sealed)).toEqual(sealed);
    expect(sealed.vaultKeyId).toBe('vault-1');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.authTag, 'base64')).toHaveLength(16);
    expect(Buffer.from(sealed.wrappedDataKey, 'base64')).toHaveLength(VAULT_WRAPPED_KEY_BYTES);
    expect(JSON.stringify(sealed)).not.toContain(PLAINTEXT);
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(PLAINTEXT).toString('base64'));
    expect(sut.open(sealed)).toBe(PLAINTEXT);
    expect(sut.open(sut.seal(''))).toBe('');
  });

  it('uses a fresh data key and iv for every seal', () => {
    const sut = vaultWith('vault-1', { 'vault-1': key1 });
    const [a, b] = [sut.seal(PLAINTEXT), sut.seal(PLAINTEXT)];
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(sut.unwrapDataKey(a).equals(sut.unwrapDataKey(b))).toBe(false);
  });

  it('unwraps a 32-byte data key for re-wrapping', () => {
    const sut = vaultWith('vault-1', { 'vault-1': key1 });
    const sealed = sut.seal(PLAINTEXT);
    const dataKey = sut.unwrapDataKey(sealed);
    expect(dataKey).toHaveLength(32);
    expect(dataKey.equals(sut.unwrapDataKey(sealed))).toBe(true);
  });

  it.each([
    ['ciphertext', (c: VaultCiphertext) => ({ ...c, ciphertext: flip(c.ciphertext, 3) })],
    ['authTag', (c: VaultCiphertext) => ({ ...c, authTag: flip(c.authTag, 15) })],
    ['iv', (c: VaultCiphertext) => ({ ...c, iv: flip(c.iv) })],
    ['wrappedDataKey: wrap iv', (c: VaultCiphertext) => ({ ...c, wrappedDataKey: flip(c.wrappedDataKey, 0) })],
    ['wrappedDataKey: wrap auth tag', (c: VaultCiphertext) => ({ ...c, wrappedDataKey: flip(c.wrappedDataKey, 12) })],
    ['wrappedDataKey: encrypted data key', (c: VaultCiphertext) => ({ ...c, wrappedDataKey: flip(c.wrappedDataKey, 40) })],
    ['wrappedDataKey: truncated', (c: VaultCiphertext) => ({ ...c, wrappedDataKey: Buffer.from(c.wrappedDataKey, 'base64').subarray(0, 59).toString('base64') })],
    ['authTag: truncated to 12 bytes', (c: VaultCiphertext) => ({ ...c, authTag: Buffer.from(c.authTag, 'base64').subarray(0, 12).toString('base64') })],
    ['secret of another data key', (c: VaultCiphertext) => {
      const other = vaultWith('vault-1', { 'vault-1': key1 }).seal(PLAINTEXT);
      return { ...c, iv: other.iv, ciphertext: other.ciphertext, authTag: other.authTag };
    }],
  ])('refuses a tampered %s with crypto.decrypt_failed, leaking nothing', (_part, tamper) => {
    const sut = vaultWith('vault-1', { 'vault-1': key1 });
    const error = cryptoErrorOf(() => sut.open(tamper(sut.seal(PLAINTEXT))));
    expect(error.reason).toBe('crypto.decrypt_failed');
    expect(error.message).not.toContain(PLAINTEXT);
    expect(error.message).not.toContain(key1.toString('base64'));
  });

  it('refuses a ciphertext whose key id names a key with other material', () => {
    const sealed = vaultWith('vault-1', { 'vault-1': key1 }).seal(PLAINTEXT);
    const sut = vaultWith('vault-1', { 'vault-1': key2 });
    expect(cryptoErrorOf(() => sut.open(sealed)).reason).toBe('crypto.decrypt_failed');
  });

  it('still opens secrets sealed under a retired key while that key is kept, and seals new ones under the active key', () => {
    const before = vaultWith('vault-1', { 'vault-1': key1 });
    const old = before.seal(PLAINTEXT);
    const sut = vaultWith('vault-2', { 'vault-1': key1, 'vault-2': key2 });
    expect(sut.open(old)).toBe(PLAINTEXT);
    const fresh = sut.seal('new secret');
    expect(fresh.vaultKeyId).toBe('vault-2');
    expect(sut.open(fresh)).toBe('new secret');
    expect(cryptoErrorOf(() => before.open(fresh)).reason).toBe('crypto.unknown_vault_key');
  });

  it('names the unknown vault key id when the key was dropped', () => {
    const old = vaultWith('vault-1', { 'vault-1': key1 }).seal(PLAINTEXT);
    const sut = vaultWith('vault-2', { 'vault-2': key2 });
    const error = cryptoErrorOf(() => sut.open(old));
    expect(error).toMatchObject({ name: 'CryptoError', reason: 'crypto.unknown_vault_key' });
    expect(error.message).toContain('"vault-1"');
    expect(cryptoErrorOf(() => sut.unwrapDataKey(old)).reason).toBe('crypto.unknown_vault_key');
  });

  it('refuses keys of the wrong size and an active key it does not hold', () => {
    expect(cryptoErrorOf(() => vaultWith('vault-1', { 'vault-1': randomBytes(16) }))).toMatchObject({ reason: 'crypto.invalid_key', message: expect.stringContaining('"vault-1" must be 32 bytes, got 16') });
    expect(cryptoErrorOf(() => vaultWith('vault-9', { 'vault-1': key1 }))).toMatchObject({ reason: 'crypto.invalid_key', message: expect.stringContaining('"vault-9"') });
  });

  it('never shows its keys when inspected or serialized', () => {
    const sut = vaultWith('vault-1', { 'vault-1': key1 });
    for (const text of [inspect(sut, { depth: 10, showHidden: true }), JSON.stringify(sut)]) {
      expect(text).not.toContain(key1.toString('base64'));
      expect(text).not.toContain(key1.toString('hex'));
    }
  });

  describe(Vault.fromBase64Keys.name, () => {
    it('loads several base64 keys and uses the active one', () => {
      const sut = Vault.fromBase64Keys('vault-2', { 'vault-1': key1.toString('base64'), 'vault-2': key2.toString('base64') });
      const sealed = sut.seal(PLAINTEXT);
      expect(sealed.vaultKeyId).toBe('vault-2');
      expect(vaultWith('vault-2', { 'vault-2': key2 }).open(sealed)).toBe(PLAINTEXT);
    });

    it.each([
      ['too short', randomBytes(31).toString('base64'), 'must decode to 32 bytes, got 31'],
      ['too long', randomBytes(33).toString('base64'), 'must decode to 32 bytes, got 33'],
      ['not base64', 'not*base64!', 'is not valid base64'],
      ['empty', '', 'must decode to 32 bytes, got 0'],
    ])('refuses a key that is %s with a clear error that does not echo it', (_case, value, expected) => {
      const error = cryptoErrorOf(() => Vault.fromBase64Keys('vault-1', { 'vault-1': value }));
      expect(error.reason).toBe('crypto.invalid_key');
      expect(error.message).toContain(`vault key "vault-1" ${expected}`);
      if (value) expect(error.message).not.toContain(value);
    });
  });
});
