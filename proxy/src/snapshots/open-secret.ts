import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';
import type { SealedSecret } from '@mcpgate/contracts';

/**
 * Opens a credential sealed for this region (see control-plane/src/infra/crypto/README.md): the
 * data key is unwrapped with the region's RSA private key (OAEP, SHA-256), then the secret is
 * decrypted with AES-256-GCM. The plaintext lives in memory only.
 */
export const openSealedSecret = (sealed: SealedSecret, regionPrivateKey: KeyObject): string => {
  const dataKey = privateDecrypt({ key: regionPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(sealed.wrappedDataKey, 'base64'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
};
