import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { CredentialId, Slug } from '../ids.js';

/**
 * A secret encrypted by the control plane's vault: AES-256-GCM under a random data key, the data
 * key wrapped by the vault key named by `vaultKeyId`. The plaintext is in no event, log or API.
 */
export const VaultCiphertext = z.object({
  vaultKeyId: z.string().min(1).max(100),
  wrappedDataKey: z.base64(),
  iv: z.base64(),
  ciphertext: z.base64(),
  authTag: z.base64(),
});
export type VaultCiphertext = z.infer<typeof VaultCiphertext>;

/** `shared`: one service credential for every caller; `per-user`: one secret per end user, keyed by subject. */
export const CredentialKind = z.enum(['shared', 'per-user']);

export const CredentialStored = eventSchema(
  'CredentialStored',
  z.object({
    credentialId: CredentialId,
    name: Slug,
    kind: CredentialKind,
    description: z.string().max(1000).default(''),
    /** For `shared`: the one secret. For `per-user`: none yet; users' secrets arrive as PerUserSecretStored. */
    secret: VaultCiphertext.optional(),
  }),
);
export const CredentialRotated = eventSchema('CredentialRotated', z.object({ secret: VaultCiphertext }));
export const PerUserSecretStored = eventSchema(
  'PerUserSecretStored',
  z.object({ issuer: z.string().min(1).max(512), subject: z.string().min(1).max(512), secret: VaultCiphertext }),
);
export const CredentialDeleted = eventSchema('CredentialDeleted', z.object({}));

export const CredentialEvent = z.discriminatedUnion('type', [CredentialStored, CredentialRotated, PerUserSecretStored, CredentialDeleted]);
export type CredentialEvent = z.infer<typeof CredentialEvent>;
