import type { ControlCommand } from '@mcpgate/contracts';
import { startPostgres, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../core/ids.js';
import type { EventLog, LogRecord } from '../event-log/event-log.port.js';
import { command } from '../domain/test/given.js';
import { openDatabase, type Database } from '../infra/database/database.js';
import { ChangeBatch } from './batch.js';
import { Projector } from './projector.js';
import { CopyReadModelWriter } from './read-model-writer.js';
import { READ_MODEL_TABLES, replayReadModels, type ReplayProgress } from './replay.js';
import { suspendForBulkLoad } from './bulk-load.js';
import { openLiveProjection, type LiveProjection } from './test/live-projection.js';
import { dumpReadModels } from './test/read-model-dump.js';

const actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada\tlovelace' } as const;
/** Text that COPY's text format must escape (tab, newline, backslash) and array literals must quote. */
const awkward = 'tab\there, line\nbreak, back\\slash, "quotes", {braces}, comma, NULL, \\N';

/** The read-model database's indexes with their definitions, in a stable order. */
const indexesOf = (db: Database) =>
  db.prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`);
/** Tables with storage options set (a rebuild switches autovacuum off on the read models while it loads). */
const tableOptionsOf = (db: Database) =>
  db.prisma.$queryRawUnsafe<{ relname: string; reloptions: string[] }[]>(
    `SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reloptions IS NOT NULL ORDER BY c.relname`,
  );
const primaryKeyOf = async (db: Database, table: string) =>
  (await db.prisma.$queryRawUnsafe<{ conname: string }[]>(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, table)).map((c) => c.conname);

/** The log's first record. */
const firstRecordOf = async (log: EventLog): Promise<LogRecord> => {
  let first!: (record: LogRecord) => void;
  const record = new Promise<LogRecord>((resolve) => (first = resolve));
  const subscription = await log.subscribe(new Map(), async (r) => first(r));
  try {
    return await record;
  } finally {
    await subscription.stop();
  }
};

describe('read-model replay on PostgreSQL (COPY)', () => {
  let postgres: StartedPostgres;
  let live: Database;
  let fx: LiveProjection;

  beforeAll(async () => {
    postgres = await startPostgres();
    live = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('live') });
    fx = await openLiveProjection(live, 'mcpgate-replay-');
  });
  afterAll(async () => {
    await fx?.close();
    await live?.close();
    await postgres?.stop();
  });

  /** An admin history over every kind of read-model row, with awkward text wherever the domain accepts free text. */
  const writeHistory = async (slug: string) => {
    const tenantId = tenantIdForSlug(slug);
    const exec = async (c: unknown) => fx.bus.execute(tenantId, command(c) as ControlCommand, { actor });
    await exec({ type: 'CreateTenant', data: { slug, displayName: `Tenant ${awkward}`, regions: ['eu-west-1', 'us-east-1'] } });
    const sealed = { vaultKeyId: 'vault-1', wrappedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };
    const shared = await exec({ type: 'StoreCredential', data: { name: 'gh', kind: 'shared', description: awkward, secret: sealed } });
    const perUser = await exec({ type: 'StoreCredential', data: { name: 'jira', kind: 'per-user', description: '' } });
    await exec({ type: 'StorePerUserSecret', data: { credentialId: perUser.createdId, issuer: 'https://idp.example', subject: 'ada', secret: sealed } });
    await exec({ type: 'StorePerUserSecret', data: { credentialId: perUser.createdId, issuer: 'https://idp.example', subject: 'bob', secret: sealed } });
    const server = await exec({
      type: 'RegisterUpstreamServer',
      data: {
        config: {
          name: 'github',
          regions: ['eu-west-1'],
          tags: ['phi', 'tier-1'],
          credential: { credentialId: shared.createdId, inject: { as: 'header', name: 'Authorization' } },
          connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://gh.example/sse' }] },
        },
      },
    });
    await exec({
      type: 'ReconfigureUpstreamServer',
      data: { serverId: server.createdId, config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: 'https://gh.example/mcp' }] } } },
    });
    const bundle = await exec({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: server.createdId }] } } });
    const role = await exec({ type: 'CreateRole', data: { name: 'key-manager', description: awkward, permissions: ['key:read', 'key:issue'] } });
    await exec({ type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'okta', group: 'mcp "admins"' }, role: role.createdId } });
    const policy = await exec({ type: 'CreatePolicy', data: { name: 'default', description: awkward, document: {} } });
    await exec({
      type: 'UpdatePolicy',
      data: { policyId: policy.createdId, document: { toolRules: [{ id: 'no-delete', effect: 'deny', subjects: { roles: ['developer'] }, tools: ['*delete*'] }] } },
    });
    for (let k = 0; k < 30; k++) {
      const key = await exec({ type: 'IssueVirtualKey', data: { name: `key ${k} ${awkward}`, scopes: { virtualServerIds: [bundle.createdId] } } });
      await exec({ type: 'RotateVirtualKey', data: { keyId: key.createdId } });
      if (k % 3 === 0) await exec({ type: 'RevokeVirtualKey', data: { keyId: key.createdId, reason: awkward } });
    }
    const account = await exec({ type: 'CreateServiceAccount', data: { name: 'terraform', description: awkward, permissions: ['key:read'] } });
    const token = await exec({ type: 'IssueApiToken', data: { serviceAccountId: account.createdId } });
    await exec({ type: 'RevokeApiToken', data: { serviceAccountId: account.createdId, tokenId: token.createdId, reason: awkward } });
    const idp = { identityProviderId: 'okta', issuer: 'https://acme.okta.com', jwksUri: 'https://acme.okta.com/v1/keys', audiences: [`https://mcp.example/t/${slug}/mcp/dev`] };
    await exec({ type: 'RegisterIdentityProvider', data: idp });
    await exec({ type: 'RemoveIdentityProvider', data: { identityProviderId: 'okta' } });
    await exec({ type: 'RegisterIdentityProvider', data: { ...idp, groupsClaim: 'roles' } });
    await exec({ type: 'RenameTenant', data: { tenantId, displayName: 'Renamed' } });
    await exec({ type: 'SuspendTenant', data: { tenantId, reason: awkward } });
  };

  it('restores at projector start the indexes, keys and autovacuum an interrupted replay suspended', async () => {
    const db = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('interrupted') });
    try {
      // an operator's own setting on a table is left as it is
      await db.prisma.$executeRawUnsafe(`ALTER TABLE "role" SET (autovacuum_enabled = true)`);
      const before = await indexesOf(db);
      const suspended = await suspendForBulkLoad(db.prisma, READ_MODEL_TABLES, { appendOnly: ['admin_activity'] });
      expect(suspended).toEqual(expect.arrayContaining(['admin_activity_tenant_id_stream_id_idx', 'role_tenant_id_name_idx', 'admin_activity_pkey', 'autovacuum:admin_activity', 'autovacuum:virtual_key']));
      expect(suspended).not.toContain('autovacuum:role');
      expect(suspended).not.toContain('virtual_key_pkey');
      const indexes = suspended.filter((name) => !name.startsWith('autovacuum:'));
      expect((await indexesOf(db)).length).toBe(before.length - indexes.length);
      expect(await primaryKeyOf(db, 'admin_activity')).toEqual([]);
      expect(await primaryKeyOf(db, 'virtual_key')).toEqual(['virtual_key_pkey']);
      expect(await tableOptionsOf(db)).toContainEqual({ relname: 'admin_activity', reloptions: ['autovacuum_enabled=false'] });
      expect(await db.prisma.readModelIndexStash.count()).toBe(suspended.length);
      // the process dies here; the next start of a live projector mends the database
      const next = new Projector(fx.log, db.prisma);
      await next.start();
      await next.stop();
      expect(await indexesOf(db)).toEqual(before);
      expect(await primaryKeyOf(db, 'admin_activity')).toEqual(['admin_activity_pkey']);
      expect(await tableOptionsOf(db)).toEqual([{ relname: 'role', reloptions: ['autovacuum_enabled=true'] }]);
      expect(await db.prisma.readModelIndexStash.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('writes any text, array and JSON value through COPY as it was given', async () => {
    const db = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('values') });
    const writer = await CopyReadModelWriter.connect(db.connectionString!);
    try {
      const at = new Date('2026-11-26T01:02:03.456Z');
      const permissions = [awkward, 'a"b', 'c\\d', 'e,f', '{g}', 'NULL', '', ' spaced '];
      const batch = new ChangeBatch();
      batch.add({ kind: 'create', table: 'role', row: { id: 'rol_1', tenantId: 'ten_x', name: awkward, description: '', permissions, status: 'active', version: 1, createdAt: at, updatedAt: at } });
      batch.add({ kind: 'create', table: 'roleBinding', row: { id: 'rbd_1', tenantId: 'ten_x', subjectKind: 'group', subjectKey: awkward, subject: { group: awkward, nested: [awkward, null, 1.5] }, role: 'rol_1', status: 'active', version: 1, createdAt: at, updatedAt: at } });
      batch.add({ kind: 'create', table: 'virtualServer', row: { id: 'vsr_1', tenantId: 'ten_x', name: 'open', prefixMode: 'never', anonymousAccess: true, serverIds: [], config: { awkward }, status: 'active', version: 2, createdAt: at, updatedAt: at } });
      await writer.write(batch, new Map([[0, 7n]]), 'test');
      expect(await db.prisma.virtualServer.findUniqueOrThrow({ where: { id: 'vsr_1' } })).toMatchObject({ anonymousAccess: true, serverIds: [], config: { awkward }, version: 2, updatedAt: at });
      expect(await db.prisma.role.findUniqueOrThrow({ where: { id: 'rol_1' } })).toMatchObject({ name: awkward, description: '', permissions, createdAt: at });
      expect(await db.prisma.roleBinding.findUniqueOrThrow({ where: { id: 'rbd_1' } })).toMatchObject({ subjectKey: awkward, subject: { group: awkward, nested: [awkward, null, 1.5] } });
      expect(await db.prisma.projectionCheckpoint.findMany()).toEqual([expect.objectContaining({ projection: 'test', partition: 0, nextOffset: 7n })]);
    } finally {
      await writer.close();
      await db.close();
    }
  });

  it('rebuilds through COPY exactly the rows the live projector wrote, on threads and on one, reporting progress', async () => {
    await writeHistory('acme');
    await writeHistory('globex');
    await fx.log.append(tenantIdForSlug('acme'), Buffer.from('{"type":"FromTheFuture"}'));
    // a valid commit of acme's, keyed by another tenant: quarantined by every reader alike (a
    // replay on threads shares tenants out by key)
    await fx.log.append(tenantIdForSlug('globex'), (await firstRecordOf(fx.log)).value);
    await fx.projector.catchUp();
    const expected = await dumpReadModels(live);
    expect(expected['virtual_key']).toHaveLength(60);
    expect(expected['quarantined_record']).toHaveLength(2);
    expect(await live.prisma.role.findFirst({ where: { name: 'key-manager' } })).toMatchObject({ description: awkward });

    const rebuilt = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('rebuilt') });
    const indexesBefore = await indexesOf(rebuilt);
    expect(indexesBefore.map((i) => i.indexname)).toEqual(expect.arrayContaining(['admin_activity_tenant_id_time_idx', 'virtual_key_tenant_id_status_idx']));
    try {
      const progress: ReplayProgress[] = [];
      const result = await replayReadModels(fx.log, rebuilt, { onProgress: (p) => progress.push(p), intervalMs: 5, threads: 3 });
      expect(progress.at(-1)).toMatchObject({ handled: result.records, total: result.records });
      expect(await dumpReadModels(rebuilt)).toEqual(expected);
      await replayReadModels(fx.log, rebuilt, { threads: 1 });
      expect(await dumpReadModels(rebuilt)).toEqual(expected);
      await replayReadModels(fx.log, rebuilt, { threads: 2 });
      expect(await dumpReadModels(rebuilt)).toEqual(expected);
      // the indexes and keys a replay drops to load faster are all back, with their definitions,
      // autovacuum is on again and the tables have statistics
      expect(await indexesOf(rebuilt)).toEqual(indexesBefore);
      expect(await tableOptionsOf(rebuilt)).toEqual([]);
      expect(await rebuilt.prisma.readModelIndexStash.count()).toBe(0);
      const analyzed = await rebuilt.prisma.$queryRawUnsafe<{ relname: string }[]>(`SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL`);
      expect(analyzed.map((t) => t.relname)).toEqual(expect.arrayContaining(['admin_activity', 'virtual_key', 'tenant']));
      expect(progress.map((p) => p.phase)).toContain('indexes');
      // the live projector carries on in the rebuilt database from the replay's checkpoint
      const follower = new Projector(fx.log, rebuilt.prisma);
      await follower.start();
      await fx.bus.execute(tenantIdForSlug('acme'), command({ type: 'ReactivateTenant', data: { tenantId: tenantIdForSlug('acme') } }) as ControlCommand, { actor });
      await follower.catchUp();
      await fx.projector.catchUp();
      await follower.stop();
      expect(await dumpReadModels(rebuilt)).toEqual(await dumpReadModels(live));
    } finally {
      await rebuilt.close();
    }
  });

  it('fails with the thread that failed, and puts the indexes back, when a replay thread cannot write', async () => {
    await writeHistory('initech');
    const db = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('thread_fails') });
    try {
      const before = await indexesOf(db);
      // the threads' own connections go to a server that is not there
      const unreachable = { prisma: db.prisma, connectionString: 'postgresql://mcpgate:wrong@127.0.0.1:1/nowhere' };
      await expect(replayReadModels(fx.log, unreachable, { threads: 2 })).rejects.toThrow(/^replay thread \d failed: connect ECONNREFUSED 127\.0\.0\.1:1$/);
      expect(await indexesOf(db)).toEqual(before);
      expect(await db.prisma.readModelIndexStash.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
