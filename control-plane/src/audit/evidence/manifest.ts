import { createHash, createPublicKey, verify } from 'node:crypto';
import type { AuditSigner } from '../audit-keys.js';
import type { ControlEvidence } from './control-mapping.js';
import type { EvidenceFramework } from './evidence-request.js';

export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
export const MANIFEST_FORMAT = 'mcpgate-evidence-pack/v1';

export interface ManifestFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly controls: readonly ControlEvidence[];
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly packId: string;
  readonly tenantId: string;
  readonly framework: EvidenceFramework;
  readonly period: { readonly from: string; readonly to: string };
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly files: readonly ManifestFile[];
  /** Ed25519 over the exact bytes of manifest.json, stored base64 in manifest.sig. */
  readonly signature: { readonly algorithm: 'Ed25519'; readonly keyId: string; readonly publicKeyPem: string };
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The manifest's bytes (pretty JSON with a final newline: people read it) and their signature. */
export const signManifest = (manifest: Manifest, signer: AuditSigner): { manifest: Buffer; signature: Buffer } => {
  if (manifest.signature.keyId !== signer.keyId) throw new Error(`the manifest names key ${manifest.signature.keyId}, the signer is ${signer.keyId}`);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  // the signature file is the base64 text of the 64 signature bytes, so `base64 -d` gives openssl its input
  return { manifest: bytes, signature: Buffer.from(`${signer.sign(bytes).toString('base64')}\n`, 'utf8') };
};

/** Checks manifest.sig over the manifest bytes with a PEM public key. */
export const manifestSignatureValid = (manifest: Buffer, signatureFile: Buffer, publicKeyPem: string): boolean => {
  try {
    const signature = Buffer.from(signatureFile.toString('utf8').trim(), 'base64');
    return signature.length === 64 && verify(null, manifest, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
};
