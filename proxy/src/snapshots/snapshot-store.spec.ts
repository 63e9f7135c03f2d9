import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicySnapshot, SignedSnapshot } from '@mcpgate/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from './snapshot-store.js';

const signing = generateKeyPairSync('ed25519');
const rogue = generateKeyPairSync('ed25519');
const region = generateKeyPairSync('rsa', { modulusLength: 3072 });
const pem = (key: { export(o: { type: 'spki' | 'pkcs8'; format: 'pem' }): string | Buffer }, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();
const TENANT = 'ten_acme0000000000';

/** Seals like the control plane does: AES-256-GCM under a data key wrapped with RSA-OAEP-SHA256. */
const seal = (credentialId: string, secret: string) => {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const wrapped = publicEncrypt({ key: region.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
  return { credentialId, regionKeyId: 'eu-west-1/1', wrappedDataKey: wrapped.toString('base64'), iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), authTag: cipher.getAuthTag().toString('base64') };
};
const snapshot = (offset: number, extra: Partial<PolicySnapshot> = {}): PolicySnapshot => ({
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
const signed = (s: PolicySnapshot, key = signing.privateKey, keyId = 'cp-1'): SignedSnapshot => {
  const payload = JSON.stringify(s);
  return { payload, signature: { alg: 'Ed25519', keyId, value: sign(null, Buffer.from(payload), key).toString('base64') } };
};

describe(SnapshotStore.name, () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const open = (dir = mkdtempSync(join(tmpdir(), 'mcpgate-proxy-snapshots-')), rejected: string[] = []) => {
    dirs.push(dir);
    return {
      dir,
      sut: SnapshotStore.open({
        dir,
        region: 'eu-west-1',
        trustedSigningKeys: new Map([['cp-1', pem(signing.publicKey, 'spki')]]),
        regionKey: { keyId: 'eu-west-1/1', privateKeyPem: pem(region.privateKey, 'pkcs8') },
        now: () => new Date('2026-11-25T10:00:30.000Z'),
        onRejected: (_t, reason) => rejected.push(reason),
      }),
    };
  };

  it('accepts a verified snapshot, opens this region’s secrets in memory, and reports version and age', () => {
    const { sut } = open();
    expect(sut.offer(TENANT, signed(snapshot(5)), 'kafka')).toEqual({ accepted: true });
    const current = sut.current(TENANT)!;
    expect(current.secrets.get('cred_0000000001')).toBe('ghp_topsecret');
    expect(sut.status().tenants).toEqual([expect.objectContaining({ tenantId: TENANT, version: { logPosition: '0:5', contentHash: '5'.repeat(64) }, ageSeconds: 30, source: 'kafka' })]);
  });

  it('refuses tampered, foreign-signed, mis-keyed and stale snapshots, and keeps the last good one', () => {
    const rejected: string[] = [];
    const { sut } = open(undefined, rejected);
    sut.offer(TENANT, signed(snapshot(5)), 'kafka');
    const tampered = signed(snapshot(6));
    tampered.payload = tampered.payload.replace('"active"', '"suspended"');
    expect(sut.offer(TENANT, tampered, 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.bad_signature' });
    expect(sut.offer(TENANT, signed(snapshot(7), rogue.privateKey, 'rogue'), 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.unknown_key' });
    expect(sut.offer(TENANT, signed(snapshot(7), rogue.privateKey, 'cp-1'), 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.bad_signature' });
    expect(sut.offer('ten_other000000000', signed(snapshot(8)), 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.wrong_tenant' });
    expect(sut.offer(TENANT, signed(snapshot(4)), 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.stale' });
    expect(sut.offer(TENANT, { not: 'a snapshot' }, 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.invalid' });
    expect(sut.current(TENANT)?.snapshot.version.logPosition).toBe('0:5');
    expect(rejected).toEqual(['snapshot.bad_signature', 'snapshot.unknown_key', 'snapshot.bad_signature', 'snapshot.wrong_tenant', 'snapshot.stale', 'snapshot.invalid']);
    expect(sut.status().rejected).toEqual({ 'snapshot.bad_signature': 2, 'snapshot.unknown_key': 1, 'snapshot.wrong_tenant': 1, 'snapshot.stale': 1, 'snapshot.invalid': 1 });
  });

  it('starts from the snapshots kept on disk, without any source, and keeps secrets sealed there', () => {
    const first = open();
    first.sut.offer(TENANT, signed(snapshot(9)), 'kafka');
    const kept = readdirSync(first.dir);
    expect(kept).toEqual([`${TENANT}.json`]);
    expect(readFileSync(join(first.dir, kept[0]!), 'utf8')).not.toContain('ghp_topsecret');

    const restarted = open(first.dir);
    expect(restarted.sut.current(TENANT)).toMatchObject({ source: 'disk', snapshot: { version: { logPosition: '0:9' } } });
    expect(restarted.sut.current(TENANT)?.secrets.get('cred_0000000001')).toBe('ghp_topsecret');
  });

  it('does not trust a file on disk more than a record from Kafka: a tampered kept snapshot is refused at start', () => {
    const first = open();
    first.sut.offer(TENANT, signed(snapshot(3)), 'kafka');
    const file = join(first.dir, `${TENANT}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('\\"active\\"', '\\"suspended\\"'));
    const rejected: string[] = [];
    const restarted = open(first.dir, rejected);
    expect(restarted.sut.current(TENANT)).toBeUndefined();
    expect(rejected).toEqual(['snapshot.bad_signature']);
  });

  it('lists a secret it cannot open instead of failing the whole snapshot', () => {
    const { sut } = open();
    const broken = { ...seal('cred_0000000002', 'x'), wrappedDataKey: randomBytes(384).toString('base64') };
    sut.offer(TENANT, signed(snapshot(11, { secrets: [seal('cred_0000000001', 'ok'), broken] })), 'kafka');
    expect(sut.current(TENANT)).toMatchObject({ unopenedSecrets: ['cred_0000000002'] });
    expect(sut.current(TENANT)?.secrets.get('cred_0000000001')).toBe('ok');
  });
});
