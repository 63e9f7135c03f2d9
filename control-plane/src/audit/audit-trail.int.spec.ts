import { startPostgres, type StartedPostgres } from '@mcpgate/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../infra/database/database.js';
import { applyRetention } from './audit-retention.js';
import { AuditSink } from './audit-sink.js';
import { openAuditPool, pgAuditSql } from './audit-store.js';
import { describeAuditTrail } from './audit-trail.contract.js';
import { verifyAuditTrail } from './audit-verify.js';
import { auditEvent, auditTestKeys, tenantId } from './test/audit-fixtures.js';

let postgres: StartedPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

describeAuditTrail('PostgreSQL through Prisma', async () => {
  const database = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('audit_contract') });
  return { prisma: database.prisma, sql: database.prisma, close: () => database.close() };
});

describeAuditTrail('PostgreSQL through a pg pool', async () => {
  const url = await postgres.createDatabase('audit_contract_pg');
  const database = await openDatabase({ kind: 'postgres', url });
  const pool = openAuditPool(url);
  return {
    prisma: database.prisma,
    sql: pgAuditSql(pool),
    close: async () => {
      await pool.end();
      await database.close();
    },
  };
});

describe('audit tables and the application role on PostgreSQL', () => {
  const keys = auditTestKeys();
  const opened: Database[] = [];
  afterAll(async () => {
    await Promise.allSettled(opened.map((d) => d.close()));
  });

  it('mcpgate_app may read and append, delete only through audit_apply_retention, and cannot switch triggers off', async () => {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE mcpgate_app LOGIN PASSWORD 'app-secret'`);
    } finally {
      await admin.end();
    }
    const ownerUrl = await postgres.createDatabase('audit_roles');
    const owner = await openDatabase({ kind: 'postgres', url: ownerUrl }); // migrates as the owner: grants to mcpgate_app
    opened.push(owner);
    const appUrl = new URL(ownerUrl);
    appUrl.username = 'mcpgate_app';
    appUrl.password = 'app-secret';
    const app = await openDatabase({ kind: 'postgres', url: appUrl.toString() }, { migrate: false });
    opened.push(app);

    const sink = new AuditSink(app.prisma, { signer: keys.signer, macKeys: keys.macKeys, checkpointEvery: 10 });
    await sink.start();
    for (let i = 0; i < 4; i++) await sink.ingest(Array.from({ length: 5 }, (_, n) => auditEvent(1, i * 5 + n + 1)));
    await sink.stop();

    for (const statement of [`UPDATE audit_event SET tool = 'x'`, 'DELETE FROM audit_event', 'TRUNCATE audit_event', 'DELETE FROM audit_checkpoint', `UPDATE audit_retention SET key_id = 'x'`]) {
      await expect(app.prisma.$executeRawUnsafe(statement), statement).rejects.toThrow(/permission denied/);
    }
    await expect(app.prisma.$executeRawUnsafe('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
    expect(await applyRetention(app.prisma, { tenantId: tenantId(1), before: new Date('2030-01-01T00:00:00Z'), signer: keys.signer, keys: keys.trusted })).toMatchObject({ deleted: 20, throughSeq: 20 });
    expect(await verifyAuditTrail(app.prisma, { tenantId: tenantId(1), keys: keys.trusted })).toMatchObject({ ok: true, anchor: 'retention', records: 0, retentions: 1 });
  });
});
