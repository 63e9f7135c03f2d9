import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditSigner } from '../audit-keys.js';
import { MANIFEST_FORMAT, MANIFEST_PATH, SIGNATURE_PATH, manifestSignatureValid, sha256Hex, signManifest, type Manifest } from './manifest.js';
import { zipPack, type PackFile } from './pack-archive.js';
import { verifyPack } from './verify-pack.js';
import { readZip } from './zip-reader.js';

const keyPair = (keyId: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { keyId, publicKeyPem, signer: auditSigner({ keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }) };
};

const files: { path: string; bytes: Buffer }[] = [
  { path: 'report.html', bytes: Buffer.from('<!doctype html><p>report</p>') },
  { path: 'csv/denials.csv', bytes: Buffer.from('time,reason\r\n2026-11-01T00:00:00.000Z,policy.tool_denied\r\n') },
];

const pack = async (key = keyPair('cp-1'), content = files, extra: PackFile[] = []) => {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    packId: 'evp_0123456789abcdef0123',
    tenantId: 'ten_a',
    framework: 'SOC2',
    period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    generatedAt: '2026-12-01T01:00:00.000Z',
    generatedBy: 'system:test',
    files: content.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes), bytes: f.bytes.length, controls: [] })),
    signature: { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem },
  };
  const signed = signManifest(manifest, key.signer);
  return { key, zip: await zipPack([{ path: MANIFEST_PATH, bytes: signed.manifest }, { path: SIGNATURE_PATH, bytes: signed.signature }, ...content, ...extra]), signed };
};

/** The same archive with one file's bytes replaced (as someone editing the unzipped pack would). */
const rewrite = async (zip: Buffer, path: string, change: (bytes: Buffer) => Buffer | undefined) =>
  zipPack(readZip(zip).flatMap((e) => (e.path !== path ? [e] : change(e.bytes) ? [{ path, bytes: change(e.bytes)! }] : [])));

describe(verifyPack.name, () => {
  it('accepts an untouched pack, as trusted when the key is', async () => {
    const { key, zip } = await pack();
    expect(verifyPack(zip)).toEqual({ ok: true, packId: 'evp_0123456789abcdef0123', tenantId: 'ten_a', framework: 'SOC2', files: 2, keyId: 'cp-1', trusted: false });
    expect(verifyPack(zip, { trustedKeys: new Map([[key.keyId, key.publicKeyPem]]) })).toMatchObject({ ok: true, trusted: true });
  });

  it('signs the exact manifest bytes: the signature file is base64 that openssl can use', async () => {
    const { key, signed } = await pack();
    expect(manifestSignatureValid(signed.manifest, signed.signature, key.publicKeyPem)).toBe(true);
    expect(Buffer.from(signed.signature.toString().trim(), 'base64')).toHaveLength(64);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(signed.manifest.toString())));
    expect(manifestSignatureValid(reformatted, signed.signature, key.publicKeyPem)).toBe(false);
  });

  it('names the file whose byte was changed', async () => {
    const { zip } = await pack();
    const tampered = await rewrite(zip, 'csv/denials.csv', (b) => Buffer.concat([b.subarray(0, 5), Buffer.from([b[5]! ^ 1]), b.subarray(6)]));
    expect(verifyPack(tampered)).toMatchObject({ ok: false, file: 'csv/denials.csv', problem: 'hash_mismatch' });
  });

  it('refuses a missing file, an extra file, an edited manifest, and a signature by an untrusted key', async () => {
    const { zip, key } = await pack();
    expect(verifyPack(await rewrite(zip, 'report.html', () => undefined))).toMatchObject({ ok: false, file: 'report.html', problem: 'missing' });
    const { zip: withExtra } = await pack(key, files, [{ path: 'csv/extra.csv', bytes: Buffer.from('x') }]);
    expect(verifyPack(withExtra)).toMatchObject({ ok: false, file: 'csv/extra.csv', problem: 'extra' });
    const edited = await rewrite(zip, MANIFEST_PATH, (b) => Buffer.from(b.toString().replace('ten_a', 'ten_b')));
    expect(verifyPack(edited)).toMatchObject({ ok: false, file: MANIFEST_PATH, problem: 'bad_signature' });
    expect(verifyPack(await rewrite(zip, SIGNATURE_PATH, () => undefined))).toMatchObject({ ok: false, file: SIGNATURE_PATH, problem: 'missing' });
    const other = keyPair('cp-2');
    expect(verifyPack(zip, { trustedKeys: new Map([[other.keyId, other.publicKeyPem]]) })).toMatchObject({ ok: false, problem: 'untrusted_key' });
    // a pack re-signed by someone else's key that claims the trusted key id does not verify
    const { zip: forged } = await pack({ ...other, keyId: 'cp-1', signer: { keyId: 'cp-1', sign: other.signer.sign } });
    expect(verifyPack(forged, { trustedKeys: new Map([[key.keyId, key.publicKeyPem]]) })).toMatchObject({ ok: false, problem: 'bad_signature' });
  });

  it('reports an archive that is not a zip', () => {
    expect(verifyPack(Buffer.from('not a zip at all, just text'))).toMatchObject({ ok: false, file: '(archive)', problem: 'unreadable' });
  });
});
