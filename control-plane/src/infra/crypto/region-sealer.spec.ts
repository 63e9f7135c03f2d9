import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { SealedSecret } from '@mcpgate/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegionSealer, generateRegionKeyPair, openSealedSecret, type RegionKeyPair } from './region-sealer.js';
import { Vault } from './vault.js';
import { cryptoErrorOf } from './test/crypto-error-of.js';

const PLAINTEXT = 'xoxb-region-sealed-secret';
const CREDENTIAL = 'cred_0000000001';

describe(createRegionSealer.name, () => {
  const vault = new Vault({ activeKeyId: 'vault-1', keys: new Map([['vault-1', randomBytes(32)]]) });
  let eu: RegionKeyPair;
  let us: RegionKeyPair;
  let sut: ReturnType<typeof createRegionSealer>;

  beforeAll(() => {
    eu = generateRegionKeyPair();
    us = generateRegionKeyPair();
    sut = createRegionSealer(
      vault,
      new Map([
        ['eu-west-1', { keyId: 'eu-west-1/2026-11', publicKeyPem: eu.publicKeyPem }],
        ['us-east-1', { keyId: 'us-east-1/2026-11', publicKeyPem: us.publicKeyPem }],
      ]),
    );
  });

  it('seals a vaulted secret that only the region private key opens', () => {
    const vaulted = vault.seal(PLAINTEXT);
    const sealed = sut(CREDENTIAL, vaulted, 'eu-west-1');
    expect(SealedSecret.parse(sealed)).toEqual(sealed);
    expect(sealed).toMatchObject({ credentialId: CREDENTIAL, regionKeyId: 'eu-west-1/2026-11' });
    expect(Buffer.from(sealed.wrappedDataKey, 'base64')).toHaveLength(3072 / 8);
    expect(openSealedSecret(sealed, eu.privateKeyPem)).toBe(PLAINTEXT);
  });

  it('reuses the vault ciphertext, re-wraps only the data key, and never carries the plaintext or the data key', () => {
    const vaulted = vault.seal(PLAINTEXT);
    const sealed = sut(CREDENTIAL, vaulted, 'eu-west-1');
    expect({ iv: sealed.iv, ciphertext: sealed.ciphertext, authTag: sealed.authTag }).toEqual({ iv: vaulted.iv, ciphertext: vaulted.ciphertext, authTag: vaulted.authTag });
    expect(sealed.wrappedDataKey).not.toBe(vaulted.wrappedDataKey);
    const text = JSON.stringify(sealed);
    const dataKey = vault.unwrapDataKey(vaulted);
    for (const leak of [PLAINTEXT, Buffer.from(PLAINTEXT).toString('base64'), Buffer.from(PLAINTEXT).toString('hex'), dataKey.toString('base64'), dataKey.toString('hex')]) {
      expect(text).not.toContain(leak);
    }
  });

  it('wraps with randomized OAEP, so two seals of one secret differ but both open', () => {
    const vaulted = vault.seal(PLAINTEXT);
    const [a, b] = [sut(CREDENTIAL, vaulted, 'us-east-1'), sut(CREDENTIAL, vaulted, 'us-east-1')];
    expect(a.wrappedDataKey).not.toBe(b.wrappedDataKey);
    expect([openSealedSecret(a, us.privateKeyPem), openSealedSecret(b, us.privateKeyPem)]).toEqual([PLAINTEXT, PLAINTEXT]);
  });

  it("refuses to open a secret with another region's private key", () => {
    const sealed = sut(CREDENTIAL, vault.seal(PLAINTEXT), 'eu-west-1');
    const error = cryptoErrorOf(() => openSealedSecret(sealed, us.privateKeyPem));
    expect(error.reason).toBe('crypto.decrypt_failed');
    expect(error.message).not.toContain(PLAINTEXT);
  });

  it.each([
    ['ciphertext', (s: SealedSecret) => ({ ...s, ciphertext: Buffer.from('tampered').toString('base64') })],
    ['authTag', (s: SealedSecret) => ({ ...s, authTag: Buffer.alloc(16).toString('base64') })],
    ['wrappedDataKey', (s: SealedSecret) => ({ ...s, wrappedDataKey: Buffer.from(s.wrappedDataKey, 'base64').reverse().toString('base64') })],
  ])('refuses a sealed secret with a tampered %s', (_part, tamper) => {
    const sealed = sut(CREDENTIAL, vault.seal(PLAINTEXT), 'eu-west-1');
    expect(cryptoErrorOf(() => openSealedSecret(tamper(sealed), eu.privateKeyPem)).reason).toBe('crypto.decrypt_failed');
  });

  it('refuses a region it has no key for', () => {
    const error = cryptoErrorOf(() => sut(CREDENTIAL, vault.seal(PLAINTEXT), 'ap-south-1'));
    expect(error).toMatchObject({ reason: 'crypto.unknown_region', message: expect.stringContaining('ap-south-1') });
  });

  it('refuses a vaulted secret whose vault key it does not hold before wrapping anything', () => {
    const foreign = new Vault({ activeKeyId: 'vault-x', keys: new Map([['vault-x', randomBytes(32)]]) }).seal(PLAINTEXT);
    expect(cryptoErrorOf(() => sut(CREDENTIAL, foreign, 'eu-west-1')).reason).toBe('crypto.unknown_vault_key');
  });

  it('refuses, at creation, a public key that is not PEM, not RSA or shorter than 3072 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const ed = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    for (const [publicKeyPem, message] of [
      ['not a key', 'is not a valid PEM public key'],
      [small.publicKey, 'at least 3072 bits, got 2048'],
      [ed.publicKey, 'must be an RSA key, got ed25519'],
    ] as const) {
      const error = cryptoErrorOf(() => createRegionSealer(vault, new Map([['eu-west-1', { keyId: 'eu-1', publicKeyPem }]])));
      expect(error).toMatchObject({ reason: 'crypto.invalid_key', message: expect.stringContaining(message) });
    }
  });
});

describe(generateRegionKeyPair.name, () => {
  it('gives a matching RSA-3072 key pair in PEM', () => {
    const sut = generateRegionKeyPair();
    expect(sut.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(sut.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(createPublicKey(sut.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(createPublicKey(sut.privateKeyPem).export({ type: 'spki', format: 'pem' })).toBe(sut.publicKeyPem);
  });
});
