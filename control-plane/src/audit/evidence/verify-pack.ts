import { MANIFEST_FORMAT, MANIFEST_PATH, SIGNATURE_PATH, manifestSignatureValid, sha256Hex, type Manifest } from './manifest.js';
import { readZip, ZipReadError } from './zip-reader.js';

export type PackVerification =
  | { readonly ok: true; readonly packId: string; readonly tenantId: string; readonly framework: string; readonly files: number; readonly keyId: string; readonly trusted: boolean }
  | { readonly ok: false; readonly file: string; readonly problem: 'unreadable' | 'missing' | 'extra' | 'hash_mismatch' | 'bad_signature' | 'untrusted_key'; readonly detail: string };

export interface VerifyPackOptions {
  /**
   * Ed25519 public keys (PEM by key id) the verifier trusts: the control plane's signing key.
   * Without them the key embedded in the manifest is used and `trusted` is false: the pack is
   * consistent, but only a trusted key proves who made it.
   */
  readonly trustedKeys?: ReadonlyMap<string, string>;
}

/**
 * Checks a pack: manifest.sig is a valid Ed25519 signature over manifest.json's exact bytes, every
 * file the manifest lists is present with its SHA-256 and size, and nothing else is in the archive.
 * Returns the first problem, naming its file.
 */
export const verifyPack = (zip: Buffer, options: VerifyPackOptions = {}): PackVerification => {
  let entries;
  try {
    entries = readZip(zip);
  } catch (error) {
    return { ok: false, file: '(archive)', problem: 'unreadable', detail: error instanceof ZipReadError ? error.message : 'not a readable zip archive' };
  }
  const byPath = new Map<string, Buffer>();
  for (const entry of entries) {
    if (byPath.has(entry.path)) return { ok: false, file: entry.path, problem: 'extra', detail: 'the archive holds this path twice' };
    byPath.set(entry.path, entry.bytes);
  }
  const manifestBytes = byPath.get(MANIFEST_PATH);
  if (!manifestBytes) return { ok: false, file: MANIFEST_PATH, problem: 'missing', detail: 'the pack has no manifest' };
  const signature = byPath.get(SIGNATURE_PATH);
  if (!signature) return { ok: false, file: SIGNATURE_PATH, problem: 'missing', detail: 'the pack has no signature' };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files) || typeof manifest.signature?.publicKeyPem !== 'string') throw new Error('shape');
  } catch {
    return { ok: false, file: MANIFEST_PATH, problem: 'unreadable', detail: `not a ${MANIFEST_FORMAT} manifest` };
  }
  const keyId = manifest.signature.keyId;
  const trustedPem = options.trustedKeys?.get(keyId);
  if (options.trustedKeys && trustedPem === undefined) return { ok: false, file: SIGNATURE_PATH, problem: 'untrusted_key', detail: `signed with key "${keyId}", which is not trusted` };
  if (!manifestSignatureValid(manifestBytes, signature, trustedPem ?? manifest.signature.publicKeyPem)) {
    return { ok: false, file: MANIFEST_PATH, problem: 'bad_signature', detail: 'manifest.sig does not verify over manifest.json' };
  }
  const listed = new Set<string>([MANIFEST_PATH, SIGNATURE_PATH]);
  for (const file of manifest.files) {
    listed.add(file.path);
    const bytes = byPath.get(file.path);
    if (!bytes) return { ok: false, file: file.path, problem: 'missing', detail: 'listed in the manifest but not in the archive' };
    if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) return { ok: false, file: file.path, problem: 'hash_mismatch', detail: 'its SHA-256 differs from the manifest' };
  }
  for (const path of byPath.keys()) if (!listed.has(path)) return { ok: false, file: path, problem: 'extra', detail: 'in the archive but not in the manifest' };
  return { ok: true, packId: manifest.packId, tenantId: manifest.tenantId, framework: manifest.framework, files: manifest.files.length, keyId, trusted: trustedPem !== undefined };
};
