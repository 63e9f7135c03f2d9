import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ControlCommand } from '@mcpgate/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { command } from '../domain/test/given.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import { CommandBus } from './command-bus.js';
import { encodeCommit } from './commit-codec.js';
import { hashKeySecret, tenantIdForSlug } from './ids.js';
import { LogApplier } from './log-applier.js';
import { canonicalJson } from '../snapshot/canonical-json.js';
import { checkedEventTypes, isCanonicalEvent } from './canonical-event-check.js';
import type { EventLog } from '../event-log/event-log.port.js';

const actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' } as const;
const tenantId = tenantIdForSlug('acme');

/** A commit of one event of acme's, written straight to the log as a replica would have. */
const oneEventCommit = (streamId: string, expectedVersion: number, correlationId: string, event: { type: string; data: Record<string, unknown> }) => ({
  commitId: randomUUID(),
  tenantId,
  streamId,
  expectedVersion,
  events: [
    {
      ...event,
      metadata: { eventId: randomUUID(), tenantId, streamId, streamVersion: expectedVersion + 1, expectedVersion, actor, correlationId, time: new Date().toISOString() },
    },
  ],
});

describe(CommandBus.name, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const setup = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgate-bus-'));
    const log = await FileEventLog.open({ dir });
    cleanups.push(async () => {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const replica = async () => {
      const applier = new LogApplier(log);
      await applier.start();
      cleanups.push(() => applier.stop());
      return { applier, sut: new CommandBus(log, applier) };
    };
    return { log, replica };
  };
  const create = command({ type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } });
  const exec = (bus: CommandBus, c: ControlCommand) => bus.execute(tenantId, c, { actor });

  it('runs an admin flow through the log and returns each new id, version and a key secret once', async () => {
    const { replica } = await setup();
    const { sut, applier } = await replica();
    const tenant = await exec(sut, create);
    expect(tenant).toMatchObject({ streamId: `tenant-${tenantId}`, version: 1, createdId: tenantId, position: { partition: 0, offset: 0n } });
    const server = await exec(sut, command({ type: 'RegisterUpstreamServer', data: { config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] } } } }));
    const bundle = await exec(sut, command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId }] } } }));
    const key = await exec(sut, command({ type: 'IssueVirtualKey', data: { name: 'ci', scopes: { virtualServerIds: [bundle.createdId] } } }));
    expect(key.secret).toMatch(/^mcpg_[A-Za-z0-9]{40}$/);
    expect(applier.tenant(tenantId)?.keys.get(key.createdId!)).toMatchObject({ secretHash: hashKeySecret(key.secret!), keyPrefix: key.secret!.slice(0, 13) });
    expect(await exec(sut, create)).toMatchObject({ version: 1, createdId: tenantId });
    expect(await exec(sut, create)).not.toHaveProperty('position');
  });

  it('returns the decider’s typed error and writes nothing when a command is refused', async () => {
    const { replica, log } = await setup();
    const { sut } = await replica();
    await exec(sut, create);
    await expect(exec(sut, command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: 'srv_0000000000' }] } } }))).rejects.toMatchObject({
      name: 'DomainError',
      code: 'NOT_FOUND',
      reason: 'upstream_server.not_found',
    });
    expect((await log.endOffsets()).get(0)).toBe(1n);
  });

  it('lets two replicas race on one stream: every command lands once after retries, and both agree', async () => {
    const { replica } = await setup();
    const a = await replica();
    const b = await replica();
    await exec(a.sut, create);
    const renames = Array.from({ length: 10 }, (_, i) => exec(i % 2 ? a.sut : b.sut, command({ type: 'RenameTenant', data: { tenantId, displayName: `Acme ${i}` } })));
    const results = await Promise.all(renames);
    expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    await a.applier.catchUp();
    await b.applier.catchUp();
    expect(a.applier.voidedCount).toBeGreaterThan(0);
    expect(canonicalJson(a.applier.tenant(tenantId))).toBe(canonicalJson(b.applier.tenant(tenantId)));
  });

  it('voids, on every replica, a commit whose invariant broke between deciding and applying', async () => {
    const { replica, log } = await setup();
    const { sut, applier } = await replica();
    await exec(sut, create);
    const register = (serverId: string) =>
      oneEventCommit(`upstream-server-${serverId}`, 0, 'race', {
        type: 'UpstreamServerRegistered',
        data: { serverId, config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] } } },
      });
    const first = register('srv_00000000001');
    const second = register('srv_00000000002');
    const outcomeOfSecond = applier.expectCommit(second.commitId);
    await log.append(tenantId, encodeCommit(first));
    await log.append(tenantId, encodeCommit(second));
    expect(await outcomeOfSecond).toMatchObject({ status: 'voided', code: 'CONFLICT', reason: 'upstream_server.name_taken' });
    const late = await replica();
    await late.applier.catchUp();
    expect([...late.applier.tenant(tenantId)!.servers.keys()]).toEqual(['srv_00000000001']);
  });

  it('quarantines an unreadable record with its position and keeps applying what follows', async () => {
    const { replica, log } = await setup();
    const { sut, applier } = await replica();
    await log.append(tenantId, Buffer.from('{"not":"a commit"}'));
    await log.append(tenantId, Buffer.from('garbage'));
    await exec(sut, create);
    expect(applier.quarantined.map((q) => q.position.offset)).toEqual([0n, 1n]);
    expect(applier.quarantined[1]?.issues[0]).toMatch(/not JSON/);
    expect(applier.tenant(tenantId)?.tenant).toMatchObject({ status: 'active', slug: 'acme' });
  });

  it('quarantines a commit that is not keyed by its tenant, so no reader applies it out of order', async () => {
    const { replica, log } = await setup();
    const { sut, applier } = await replica();
    await exec(sut, create);
    const rename = (displayName: string) => oneEventCommit(`tenant-${tenantId}`, 1, 'keys', { type: 'TenantRenamed', data: { tenantId, displayName } });
    await log.append('ten_someoneelse00000', encodeCommit(rename('Elsewhere')));
    const keyed = rename('Keyed');
    const outcome = applier.expectCommit(keyed.commitId);
    await log.append(tenantId, encodeCommit(keyed));
    expect(await outcome).toMatchObject({ status: 'applied' });
    expect(applier.quarantined).toEqual([
      { position: { partition: 0, offset: 1n }, key: 'ten_someoneelse00000', issues: [`key: the record is keyed "ten_someoneelse00000", not by its commit's tenant ${tenantId}`] },
    ]);
    expect(applier.tenant(tenantId)?.tenant).toMatchObject({ displayName: 'Keyed' });
  });

  it('writes every event in the form its schema returns, so readers take checked types without zod', async () => {
    const { log } = await setup();
    const written: Buffer[] = [];
    const recording = new Proxy(log, {
      get: (target, property: keyof EventLog) =>
        property === 'append'
          ? (key: string, value: Buffer) => {
              written.push(value);
              return target.append(key, value);
            }
          : typeof target[property] === 'function'
            ? (target[property] as (...args: unknown[]) => unknown).bind(target)
            : target[property],
    });
    const applier = new LogApplier(log);
    await applier.start();
    cleanups.push(() => applier.stop());
    const sut = new CommandBus(recording, applier);
    await exec(sut, create);
    const server = await exec(sut, command({ type: 'RegisterUpstreamServer', data: { config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] } } } }));
    const bundle = await exec(sut, command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId }] } } }));
    const budget = { id: 'monthly', scope: 'key', period: 'month', maxCalls: 100 } as const;
    const key = await exec(sut, command({ type: 'IssueVirtualKey', data: { name: 'ci', scopes: { virtualServerIds: [bundle.createdId], budget } } }));
    await exec(sut, command({ type: 'RotateVirtualKey', data: { keyId: key.createdId } }));
    await exec(sut, command({ type: 'RevokeVirtualKey', data: { keyId: key.createdId, reason: 'rotation policy' } }));
    const policy = await exec(sut, command({ type: 'CreatePolicy', data: { name: 'default', document: {} } }));
    await exec(sut, command({ type: 'UpdatePolicy', data: { policyId: policy.createdId, document: { toolRules: [{ id: 'r1', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*delete*'] }], budgets: [budget] } } }));
    await exec(sut, command({ type: 'SuspendTenant', data: { tenantId, reason: 'audit' } }));
    const events = written.flatMap((value) => (JSON.parse(value.toString('utf8')) as { events: { type: string }[] }).events);
    expect(events.map((e) => e.type)).toEqual(['TenantCreated', 'UpstreamServerRegistered', 'VirtualServerCreated', 'VirtualKeyIssued', 'VirtualKeyRotated', 'VirtualKeyRevoked', 'PolicyCreated', 'PolicyUpdated', 'TenantSuspended']);
    const notCanonical = events.filter((e) => checkedEventTypes().includes(e.type as never) && !isCanonicalEvent(e)).map((e) => e.type);
    expect(notCanonical).toEqual([]);
  });
});
