import type { ControlCommand } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../core/ids.js';
import { command } from '../domain/test/given.js';
import { openDatabase, type Database } from '../infra/database/database.js';
import { Projector } from './projector.js';
import { replayReadModels, type ReplayProgress } from './replay.js';
import { openLiveProjection, type LiveProjection } from './test/live-projection.js';
import { dumpReadModels } from './test/read-model-dump.js';

const actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' } as const;
const tenantId = tenantIdForSlug('acme');

describe(Projector.name, () => {
  let live: Database;
  let fx: LiveProjection;
  const exec = (c: unknown) => fx.bus.execute(tenantId, command(c) as ControlCommand, { actor });

  beforeAll(async () => {
    live = await openDatabase({ kind: 'pglite' });
    fx = await openLiveProjection(live, 'mcpgate-projector-');
  });
  afterAll(async () => {
    await fx?.close();
    await live?.close();
  });

  it('projects an admin flow into the read models, without any secret or secret hash', async () => {
    await exec({ type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } });
    const sealed = { vaultKeyId: 'vault-1', wrappedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };
    const cred = await exec({ type: 'StoreCredential', data: { name: 'gh', kind: 'shared', secret: sealed } });
    const server = await exec({
      type: 'RegisterUpstreamServer',
      data: { config: { name: 'github', regions: ['eu-west-1'], credential: { credentialId: cred.createdId, inject: { as: 'header', name: 'Authorization' } }, connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] } } },
    });
    const bundle = await exec({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId }] } } });
    const key = await exec({ type: 'IssueVirtualKey', data: { name: 'ci', scopes: { virtualServerIds: [bundle.createdId] } } });
    await exec({ type: 'RotateVirtualKey', data: { keyId: key.createdId } });
    await exec({ type: 'RevokeVirtualKey', data: { keyId: key.createdId, reason: 'test' } });
    await exec({ type: 'RenameTenant', data: { tenantId, displayName: 'Acme Corp' } });
    await fx.projector.catchUp();

    expect(await live.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })).toMatchObject({ displayName: 'Acme Corp', version: 2, status: 'active' });
    expect(await live.prisma.virtualKey.findUniqueOrThrow({ where: { id: key.createdId! } })).toMatchObject({ status: 'revoked', revokedReason: 'test', version: 3 });
    expect(await live.prisma.upstreamServer.findUniqueOrThrow({ where: { id: server.createdId! } })).toMatchObject({ credentialId: cred.createdId, transport: 'sse' });
    expect(await live.prisma.adminActivity.count({ where: { tenantId } })).toBe(8);
    const everything = JSON.stringify(await dumpReadModels(live));
    expect(everything).not.toContain(key.secret!.slice(13));
    expect(everything).not.toContain('"vaultKeyId"');
    expect(everything).not.toMatch(/"secretHash":"[0-9a-f]{64}"/);
  });

  it('projects identity providers, and revives the row of a removed id that is registered again', async () => {
    const idp = (issuer: string) => ({ identityProviderId: 'okta', issuer, jwksUri: `${issuer}/v1/keys`, audiences: ['https://mcp.acme.example/t/acme/mcp/dev'] });
    await exec({ type: 'RegisterIdentityProvider', data: idp('https://acme.okta.com') });
    await fx.projector.catchUp();
    await exec({ type: 'RemoveIdentityProvider', data: { identityProviderId: 'okta' } });
    await fx.projector.catchUp();
    expect(await live.prisma.identityProvider.findUniqueOrThrow({ where: { id: `${tenantId}/okta` } })).toMatchObject({ status: 'removed', version: 2 });
    await exec({ type: 'RegisterIdentityProvider', data: { ...idp('https://acme-new.okta.com'), groupsClaim: 'roles' } });
    await fx.projector.catchUp();
    expect(await live.prisma.identityProvider.findMany({ where: { tenantId } })).toEqual([
      expect.objectContaining({ identityProviderId: 'okta', issuer: 'https://acme-new.okta.com', groupsClaim: 'roles', status: 'active', version: 3 }),
    ]);
  });

  it('changes nothing when restarted over events it has already projected', async () => {
    const before = await dumpReadModels(live);
    await fx.projector.stop();
    fx.projector = new Projector(fx.log, live.prisma);
    await fx.projector.start();
    await fx.projector.catchUp();
    expect(fx.projector.projected).toBe(0);
    expect(await dumpReadModels(live)).toEqual(before);
  });

  it('quarantines an unreadable record in the database and keeps projecting', async () => {
    await fx.log.append(tenantId, Buffer.from('{"type":"FromTheFuture"}'));
    await exec({ type: 'SuspendTenant', data: { tenantId, reason: 'unpaid' } });
    await fx.projector.catchUp();
    expect(await live.prisma.quarantinedRecord.findMany()).toEqual([expect.objectContaining({ logPartition: 0, key: tenantId })]);
    expect(await live.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })).toMatchObject({ status: 'suspended' });
  });

  it('rebuilds read models from scratch that equal the incrementally built ones, reporting progress', async () => {
    const rebuilt = await openDatabase({ kind: 'pglite' });
    try {
      const progress: ReplayProgress[] = [];
      const result = await replayReadModels(fx.log, rebuilt, { onProgress: (p) => progress.push(p), intervalMs: 5 });
      expect(result.records).toBeGreaterThan(8);
      expect(progress.at(-1)).toMatchObject({ handled: result.records, total: result.records });
      expect(await dumpReadModels(rebuilt)).toEqual(await dumpReadModels(live));
      // a second replay into the same database gives the same rows again
      await replayReadModels(fx.log, rebuilt);
      expect(await dumpReadModels(rebuilt)).toEqual(await dumpReadModels(live));
    } finally {
      await rebuilt.close();
    }
  });
});
