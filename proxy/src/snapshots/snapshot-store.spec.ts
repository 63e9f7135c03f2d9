import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pem, region, rogue, seal, signed, signing, snapshot, TENANT } from '../test/snapshots.js';
import { SnapshotStore } from './snapshot-store.js';

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

  it('serves only tenants of its region, and forgets a tenant that leaves it', () => {
    const rejected: string[] = [];
    const { sut, dir } = open(undefined, rejected);
    expect(sut.offer(TENANT, signed(snapshot(3, { regions: ['us-east-1'] })), 'kafka')).toMatchObject({ accepted: false, reason: 'snapshot.not_served_here' });
    sut.offer(TENANT, signed(snapshot(4)), 'kafka');
    expect(sut.tenantIds()).toEqual([TENANT]);
    sut.offer(TENANT, signed(snapshot(5, { regions: ['us-east-1'] })), 'kafka');
    expect(sut.tenantIds()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('lists a secret it cannot open instead of failing the whole snapshot', () => {
    const { sut } = open();
    const broken = { ...seal('cred_0000000002', 'x'), wrappedDataKey: randomBytes(384).toString('base64') };
    sut.offer(TENANT, signed(snapshot(11, { secrets: [seal('cred_0000000001', 'ok'), broken] })), 'kafka');
    expect(sut.current(TENANT)).toMatchObject({ unopenedSecrets: ['cred_0000000002'] });
    expect(sut.current(TENANT)?.secrets.get('cred_0000000001')).toBe('ok');
  });
});
