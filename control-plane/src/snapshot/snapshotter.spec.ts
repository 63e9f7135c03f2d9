import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicySnapshot, type ControlCommand, type SignedSnapshot } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../core/command-bus.js';
import { tenantIdForSlug } from '../core/ids.js';
import { LogApplier } from '../core/log-applier.js';
import { command } from '../domain/test/given.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import type { SealForRegion } from './build-snapshot.js';
import { canonicalJson } from './canonical-json.js';
import { InMemorySnapshotPublisher } from './in-memory-snapshot-publisher.js';
import { Snapshotter } from './snapshotter.js';

const keys = generateKeyPairSync('ed25519');
const signSnapshot = (snapshot: PolicySnapshot): SignedSnapshot => {
  const payload = canonicalJson(snapshot);
  return { payload, signature: { alg: 'Ed25519', keyId: 'test-1', value: sign(null, Buffer.from(payload), keys.privateKey).toString('base64') } };
};
const seal: SealForRegion = (credentialId, secret, region) => ({ credentialId, regionKeyId: region, wrappedDataKey: secret.wrappedDataKey, iv: secret.iv, ciphertext: secret.ciphertext, authTag: secret.authTag });
const actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' } as const;

describe(Snapshotter.name, () => {
  let dir: string;
  let log: FileEventLog;
  let applier: LogApplier;
  let bus: CommandBus;
  const channel = new InMemorySnapshotPublisher();
  const received: { tenantId: string; signed: SignedSnapshot }[] = [];
  let sut: Snapshotter;
  const acme = tenantIdForSlug('acme');
  const exec = (tenantId: string, c: unknown) => bus.execute(tenantId, command(c) as ControlCommand, { actor });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcpgate-snapshotter-'));
    log = await FileEventLog.open({ dir });
    applier = new LogApplier(log);
    await applier.start();
    bus = new CommandBus(log, applier);
    await exec(acme, { type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } });
    channel.subscribe((tenantId, signed) => received.push({ tenantId, signed }));
    sut = new Snapshotter(log, { seal, sign: signSnapshot, publisher: channel, debounceMs: 20 });
    await sut.start();
  });
  afterAll(async () => {
    await sut?.stop();
    await applier?.stop();
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nextSnapshot = (after: number) =>
    new Promise<PolicySnapshot>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('no snapshot within 5 s')), 5_000);
      const poll = setInterval(() => {
        if (received.length > after) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve(PolicySnapshot.parse(JSON.parse(received.at(-1)!.signed.payload)));
        }
      }, 5);
    });

  it('publishes every existing tenant on start, signed over the exact payload', () => {
    expect(received.map((r) => r.tenantId)).toEqual([acme]);
    const { payload, signature } = received[0]!.signed;
    expect(verify(null, Buffer.from(payload), keys.publicKey, Buffer.from(signature.value, 'base64'))).toBe(true);
    expect(PolicySnapshot.parse(JSON.parse(payload))).toMatchObject({ tenantSlug: 'acme', status: 'active', version: { logPosition: '0:0' } });
  });

  it('republishes a tenant after a change that affects its snapshot, with the new log position', async () => {
    const before = received.length;
    const result = await exec(acme, { type: 'SuspendTenant', data: { tenantId: acme, reason: 'unpaid' } });
    const snapshot = await nextSnapshot(before);
    expect(snapshot.status).toBe('suspended');
    expect(snapshot.version.logPosition).toBe(`0:${result.position!.offset}`);
  });

  it('publishes nothing for a change that leaves the snapshot content the same', async () => {
    const before = received.length;
    await exec(acme, { type: 'RenameTenant', data: { tenantId: acme, displayName: 'Acme Corp' } });
    await sut.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(before);
  });

  it('folds a burst of changes to one tenant into few snapshots, the last one complete', async () => {
    const before = received.length;
    await exec(acme, { type: 'ReactivateTenant', data: { tenantId: acme } });
    const server = await exec(acme, { type: 'RegisterUpstreamServer', data: { config: { name: 'gh', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] } } } });
    const bundle = await exec(acme, { type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId }] } } });
    const key = await exec(acme, { type: 'IssueVirtualKey', data: { name: 'ci', scopes: { virtualServerIds: [bundle.createdId] } } });
    await sut.catchUp();
    const last = PolicySnapshot.parse(JSON.parse(received.at(-1)!.signed.payload));
    expect(received.length - before).toBeLessThanOrEqual(4);
    expect(last.keys.map((k) => k.id)).toEqual([key.createdId]);
    expect(last.status).toBe('active');
  });
});
