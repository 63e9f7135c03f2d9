/**
 * Why a cryptographic operation refused to go on. Stable and dotted, like domain reasons:
 * - `crypto.decrypt_failed`: wrong key, tampered or malformed ciphertext (AES-GCM or RSA-OAEP said no);
 * - `crypto.unknown_vault_key`: a ciphertext names a vault key this vault does not hold;
 * - `crypto.unknown_region`: no region key is configured for the region asked for;
 * - `crypto.invalid_key`: a configured key is malformed, of the wrong type or the wrong size.
 */
export type CryptoErrorReason = 'crypto.decrypt_failed' | 'crypto.unknown_vault_key' | 'crypto.unknown_region' | 'crypto.invalid_key';

/**
 * A cryptographic failure. `message` is for people and names at most key ids and regions: never a
 * plaintext, a key or a ciphertext. `cause` keeps the underlying error (from node:crypto, whose
 * messages carry no secrets either).
 */
export class CryptoError extends Error {
  constructor(
    readonly reason: CryptoErrorReason,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CryptoError';
  }
}
