import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../domain/events.js';
import { given } from '../../domain/test/given.js';
import { buildSnapshot } from '../../snapshot/build-snapshot.js';
import { canonicalJson } from '../../snapshot/canonical-json.js';
import { CryptoError } from './crypto-error.js';
import { createRegionSealer, generateRegionKeyPair, openSealedSecret, type RegionKeyPair } from './region-sealer.js';
import { generateSigningKeyPair, SnapshotSigner, verifySignedSnapshot } from './snapshot-signer.js';
import { Vault } from './vault.js';

interface GoldenInput {
  logPosition: string;
  builtAt: string;
  events: { streamId: string; event: NewEvent }[];
}

const PLAINTEXT = 'ghp_end-to-end-github-token';
const fullTenant = JSON.parse(readFileSync(fileURLToPath(new URL('../../snapshot/testdata/full-tenant.in.json', import.meta.url)), 'utf8')) as GoldenInput;

const vault = new Vault({ activeKeyId: 'vault-1', keys: new Map([['vault-1', randomBytes(32)]]) });
/** The credential as the log holds it: sealed once by the vault when it was stored. */
const VAULTED = vault.seal(PLAINTEXT);
let regionKeys: Record<'eu-west-1' | 'us-east-1', RegionKeyPair>;

beforeAll(() => {
  regionKeys = { 'eu-west-1': generateRegionKeyPair(), 'us-east-1': generateRegionKeyPair() };
});

/** The full-tenant golden input with its credential really vaulted, built with the real region sealer. */
const buildFullTenant = ({ builtAt = fullTenant.builtAt, secret = VAULTED } = {}): PolicySnapshot => {
  const events = fullTenant.events.map(({ streamId, event }) =>
    event.type === 'CredentialStored' ? { streamId, event: { ...event, data: { ...event.data, secret } } } : { streamId, event },
  );
  const seal = createRegionSealer(
    vault,
    new Map(Object.entries(regionKeys).map(([region, pair]) => [region, { keyId: `${region}/k1`, publicKeyPem: pair.publicKeyPem }])),
  );
  return buildSnapshot({ tenant: given(...events), logPosition: fullTenant.logPosition, builtAt: new Date(builtAt), seal });
};

/** Replaces the character at `index` by one that differs in its lowest bit. */
const flipChar = (text: string, index: number) => text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) ^ 0x01) + text.slice(index + 1);

const signByHand = (payload: string, keyId: string, privateKeyPem: string): SignedSnapshot => ({
  payload,
  signature: { alg: 'Ed25519', keyId, value: sign(null, Buffer.from(payload, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64') },
});

describe(SnapshotSigner.name, () => {
  const k1 = generateSigningKeyPair('signing-2026-10');

  it('signs the canonical JSON of the snapshot with its key id', () => {
    const snapshot = buildFullTenant();
    const sut = new SnapshotSigner(k1);
    const signed = sut.sign(snapshot);
    expect(signed.payload).toBe(canonicalJson(snapshot));
    expect(signed.signature).toMatchObject({ alg: 'Ed25519', keyId: 'signing-2026-10' });
    expect(Buffer.from(signed.signature.value, 'base64')).toHaveLength(64);
  });

  it('refuses a key that is not an Ed25519 private key', () => {
    for (const privateKeyPem of ['not a key', regionKeys['eu-west-1'].privateKeyPem, k1.publicKeyPem]) {
      expect(() => new SnapshotSigner({ keyId: 'bad', privateKeyPem })).toThrow(expect.objectContaining({ name: 'CryptoError', reason: 'crypto.invalid_key' }));
    }
  });
});

describe(verifySignedSnapshot.name, () => {
  const k1 = generateSigningKeyPair('signing-2026-10');
  const k2 = generateSigningKeyPair('signing-2026-11');
  const trustedK1 = new Map([[k1.keyId, k1.publicKeyPem]]);

  it('accepts a snapshot it signed and gives back the same snapshot', () => {
    const snapshot = buildFullTenant();
    const sut = verifySignedSnapshot(new SnapshotSigner(k1).sign(snapshot), trustedK1);
    expect(sut).toEqual({ ok: true, snapshot });
  });

  it('refuses a payload with one flipped byte as snapshot.bad_signature', () => {
    const signed = new SnapshotSigner(k1).sign(buildFullTenant());
    const at = signed.payload.indexOf('"acme"') + 2;
    const sut = verifySignedSnapshot({ ...signed, payload: flipChar(signed.payload, at) }, trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.bad_signature' });
  });

  it('refuses a signature with one flipped byte as snapshot.bad_signature', () => {
    const signed = new SnapshotSigner(k1).sign(buildFullTenant());
    const value = Buffer.from(signed.signature.value, 'base64');
    value[10] = (value[10] ?? 0) ^ 0x01;
    const sut = verifySignedSnapshot({ ...signed, signature: { ...signed.signature, value: value.toString('base64') } }, trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.bad_signature' });
  });

  it('refuses a signature relabelled with another trusted key id as snapshot.bad_signature', () => {
    const signed = new SnapshotSigner(k1).sign(buildFullTenant());
    const sut = verifySignedSnapshot({ ...signed, signature: { ...signed.signature, keyId: k2.keyId } }, new Map([...trustedK1, [k2.keyId, k2.publicKeyPem]]));
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.bad_signature' });
  });

  it('refuses a key id it does not trust as snapshot.unknown_key, naming it', () => {
    const signed = new SnapshotSigner(k2).sign(buildFullTenant());
    const sut = verifySignedSnapshot(signed, trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.unknown_key', message: expect.stringContaining('"signing-2026-11"') });
  });

  it('accepts either key during a rotation, and refuses the old one once it is no longer trusted', () => {
    const snapshot = buildFullTenant();
    const byOld = new SnapshotSigner(k1).sign(snapshot);
    const byNew = new SnapshotSigner(k2).sign(snapshot);
    const during = new Map([
      [k1.keyId, k1.publicKeyPem],
      [k2.keyId, k2.publicKeyPem],
    ]);
    expect(verifySignedSnapshot(byOld, during)).toEqual({ ok: true, snapshot });
    expect(verifySignedSnapshot(byNew, during)).toEqual({ ok: true, snapshot });

    const after = new Map([[k2.keyId, k2.publicKeyPem]]);
    expect(verifySignedSnapshot(byNew, after)).toEqual({ ok: true, snapshot });
    expect(verifySignedSnapshot(byOld, after)).toMatchObject({ ok: false, reason: 'snapshot.unknown_key' });
  });

  it('refuses a correctly signed payload that is not a policy snapshot as snapshot.invalid', () => {
    expect(verifySignedSnapshot(signByHand('{"hello":"world"}', k1.keyId, k1.privateKeyPem), trustedK1)).toMatchObject({ ok: false, reason: 'snapshot.invalid' });
    expect(verifySignedSnapshot(signByHand('not json at all', k1.keyId, k1.privateKeyPem), trustedK1)).toMatchObject({ ok: false, reason: 'snapshot.invalid', message: 'the signed payload is not JSON' });
    const wrongVersion = canonicalJson({ ...buildFullTenant(), schemaVersion: 2 });
    const sut = verifySignedSnapshot(signByHand(wrongVersion, k1.keyId, k1.privateKeyPem), trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.invalid', message: expect.stringContaining('schemaVersion') });
  });

  it('checks the signature before parsing: a forged invalid payload is bad_signature, not invalid', () => {
    const sut = verifySignedSnapshot(signByHand('{"hello":"world"}', k1.keyId, k2.privateKeyPem), trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.bad_signature' });
  });

  it('refuses an envelope that is not a signed snapshot as snapshot.invalid', () => {
    const signed = new SnapshotSigner(k1).sign(buildFullTenant());
    const sut = verifySignedSnapshot({ ...signed, signature: { ...signed.signature, alg: 'RS256' } } as unknown as SignedSnapshot, trustedK1);
    expect(sut).toMatchObject({ ok: false, reason: 'snapshot.invalid' });
  });

  it('keeps the content hash when the same vaulted secret is sealed again, and changes it when the secret is rotated', () => {
    const a = buildFullTenant();
    const b = buildFullTenant({ builtAt: '2026-11-25T12:05:00.000Z' });
    expect(a.secrets.map((s) => s.wrappedDataKey)).not.toEqual(b.secrets.map((s) => s.wrappedDataKey));
    expect(b.version.contentHash).toBe(a.version.contentHash);
    expect(buildFullTenant({ secret: vault.seal(PLAINTEXT) }).version.contentHash).not.toBe(a.version.contentHash);
  });

  it('end to end: a vaulted credential, sealed for eu-west-1, signed and verified, opens with the region private key', () => {
    const snapshot = buildFullTenant();
    const signed = new SnapshotSigner(k2).sign(snapshot);
    expect(signed.payload).not.toContain(PLAINTEXT);
    expect(signed.payload).not.toContain(Buffer.from(PLAINTEXT).toString('base64'));

    const verified = verifySignedSnapshot(signed, new Map([[k2.keyId, k2.publicKeyPem]]));
    if (!verified.ok) throw new Error(`expected a verified snapshot, got ${verified.reason}: ${verified.message}`);
    const sealed = verified.snapshot.secrets.find((s) => s.credentialId === 'cred_0000000001' && s.regionKeyId === 'eu-west-1/k1');
    if (!sealed) throw new Error('no secret sealed for eu-west-1');
    expect(verified.snapshot.secrets.map((s) => s.regionKeyId)).toEqual(['eu-west-1/k1', 'us-east-1/k1']);
    expect(openSealedSecret(sealed, regionKeys['eu-west-1'].privateKeyPem)).toBe(PLAINTEXT);
    expect(() => openSealedSecret(sealed, regionKeys['us-east-1'].privateKeyPem)).toThrow(CryptoError);
  });
});
