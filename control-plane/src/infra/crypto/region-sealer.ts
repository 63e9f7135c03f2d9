import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import type { SealedSecret, VaultCiphertext } from '@mcpgate/contracts';
import { CryptoError } from './crypto-error.js';
import { DATA_KEY_BYTES, openWithDataKey, type Vault } from './vault.js';

/** RSA modulus of region keys; smaller keys are refused. */
export const REGION_KEY_BITS = 3072;

/** A region's public key as the control plane holds it; the private key stays with the region's proxies. */
export interface RegionPublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

export interface RegionKeyPair {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;

const rsaKey = (key: KeyObject, what: string): KeyObject => {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa') throw new CryptoError('crypto.invalid_key', `${what} must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  if (bits < REGION_KEY_BITS) throw new CryptoError('crypto.invalid_key', `${what} must have at least ${REGION_KEY_BITS} bits, got ${bits}`);
  return key;
};

const parsePublicKey = (region: string, { keyId, publicKeyPem }: RegionPublicKey): KeyObject => {
  const what = `region key "${keyId}" of ${region}`;
  if (keyId.length === 0 || keyId.length > 100) throw new CryptoError('crypto.invalid_key', `region key ids must be 1 to 100 characters long (region ${region})`);
  try {
    return rsaKey(createPublicKey(publicKeyPem), what);
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError('crypto.invalid_key', `${what} is not a valid PEM public key`, { cause: error });
  }
};

/**
 * Seals vaulted secrets for regions (envelope encryption): the secret's data key is unwrapped from
 * the vault and wrapped again with RSA-OAEP-SHA256 under the region's public key; the AES-256-GCM
 * ciphertext, iv and tag are reused as they are. The control plane never holds a region's private
 * key. Keys are checked here, once, so a bad configuration fails at start-up, not mid-build.
 */
/** Seals a vaulted secret for a region; throws a CryptoError when it cannot. */
export type RegionSealer = (credentialId: string, secret: VaultCiphertext, region: string) => SealedSecret;

export const createRegionSealer = (vault: Vault, regionKeys: ReadonlyMap<string, RegionPublicKey>): RegionSealer => {
  const keys = new Map([...regionKeys].map(([region, key]) => [region, { keyId: key.keyId, publicKey: parsePublicKey(region, key) }]));
  return (credentialId, secret, region) => {
    const key = keys.get(region);
    if (!key) throw new CryptoError('crypto.unknown_region', `no region key is configured for region ${region}`);
    const dataKey = vault.unwrapDataKey(secret);
    try {
      return {
        credentialId,
        regionKeyId: key.keyId,
        wrappedDataKey: publicEncrypt({ key: key.publicKey, ...OAEP }, dataKey).toString('base64'),
        iv: secret.iv,
        ciphertext: secret.ciphertext,
        authTag: secret.authTag,
      };
    } finally {
      dataKey.fill(0);
    }
  };
};

/**
 * What a region's proxy does with a sealed secret: unwrap the data key with the region's private
 * key (chosen by `sealed.regionKeyId`) and decrypt the secret, in memory only. Any mismatch (another
 * region's key, tampering) is a `crypto.decrypt_failed` CryptoError.
 */
export const openSealedSecret = (sealed: SealedSecret, privateKeyPem: string): string => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new CryptoError('crypto.invalid_key', `the private key for region key "${sealed.regionKeyId}" is not a valid PEM private key`, { cause: error });
  }
  let dataKey: Buffer;
  try {
    dataKey = privateDecrypt({ key: rsaKey(privateKey, `region key "${sealed.regionKeyId}"`), ...OAEP }, Buffer.from(sealed.wrappedDataKey, 'base64'));
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError('crypto.decrypt_failed', `the data key of credential ${sealed.credentialId} could not be unwrapped with region key "${sealed.regionKeyId}"`, { cause: error });
  }
  try {
    if (dataKey.length !== DATA_KEY_BYTES) throw new CryptoError('crypto.decrypt_failed', `the data key of credential ${sealed.credentialId} has the wrong size`);
    return openWithDataKey(dataKey, sealed);
  } finally {
    dataKey.fill(0);
  }
};

/** A fresh RSA-3072 key pair for a region: SPKI public key and PKCS#8 private key, both PEM. */
export const generateRegionKeyPair = (): RegionKeyPair => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: REGION_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
};
