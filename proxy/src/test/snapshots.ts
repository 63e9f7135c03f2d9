/** Test helpers: snapshots signed and sealed the way the control plane does it. */
import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes, sign } from 'node:crypto';
import type { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';

export const signing = generateKeyPairSync('ed25519');
export const rogue = generateKeyPairSync('ed25519');
export const region = generateKeyPairSync('rsa', { modulusLength: 3072 });
export const pem = (key: { export(o: { type: 'spki' | 'pkcs8'; format: 'pem' }): string | Buffer }, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();
export const TENANT = 'ten_acme0000000000';

/** Seals like the control plane does: AES-256-GCM under a data key wrapped with RSA-OAEP-SHA256. */
export const seal = (credentialId: string, secret: string) => {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const wrapped = publicEncrypt({ key: region.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
  return { credentialId, regionKeyId: 'eu-west-1/1', wrappedDataKey: wrapped.toString('base64'), iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), authTag: cipher.getAuthTag().toString('base64') };
};
export const snapshot = (offset: number, extra: Partial<PolicySnapshot> = {}): PolicySnapshot => ({
  schemaVersion: 1,
  tenantId: TENANT,
  tenantSlug: 'acme',
  status: 'active',
  version: { logPosition: `0:${offset}`, contentHash: String(offset % 10).repeat(64) },
  builtAt: '2026-11-25T10:00:00.000Z',
  regions: ['eu-west-1'],
  upstreams: [],
  virtualServers: [],
  keys: [],
  roleBindings: [],
  identityProviders: [],
  policies: [],
  secrets: [seal('cred_0000000001', 'ghp_topsecret')],
  ...extra,
});
export const signed = (s: PolicySnapshot, key = signing.privateKey, keyId = 'cp-1'): SignedSnapshot => {
  const payload = JSON.stringify(s);
  return { payload, signature: { alg: 'Ed25519', keyId, value: sign(null, Buffer.from(payload), key).toString('base64') } };
};

