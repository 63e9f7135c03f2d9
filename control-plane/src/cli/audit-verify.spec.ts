import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditSigner, loadAuditMacKeys } from '../audit/audit-keys.js';
import { AuditSink } from '../audit/audit-sink.js';
import { tamper } from '../audit/audit-trail.contract.js';
import { MemoryCheckpointPublisher } from '../audit/checkpoint-publisher.js';
import { auditEvent, tenantId } from '../audit/test/audit-fixtures.js';
import { KeyStore } from '../infra/crypto/key-store.js';
import { openDatabase } from '../infra/database/database.js';
import { auditVerifyCommand } from './audit-verify.js';

describe(auditVerifyCommand.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-audit-cli-'));
  const env = { MCPGATE_DATA_DIR: dataDir, MCPGATE_ENV: 'production' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const out: string[] = [];
    let err = '';
    const status = await auditVerifyCommand(args, env, { out: (line) => out.push(line), err: (text) => (err += text) });
    return { status, out, err };
  };

  it('verifies every tenant of the configured database with the configured keys, and reports tampering with exit status 1', async () => {
    const keysDir = join(dataDir, 'keys');
    const signing = new KeyStore(keysDir, true).signingKey();
    const macKeys = loadAuditMacKeys(keysDir, true);
    const publisher = new MemoryCheckpointPublisher();
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'read-models') });
    const sink = new AuditSink(database.prisma, { signer: auditSigner(signing), macKeys, checkpointEvery: 10, publisher });
    await sink.start();
    await sink.ingest([...Array.from({ length: 25 }, (_, i) => auditEvent(1, i + 1)), ...Array.from({ length: 5 }, (_, i) => auditEvent(2, i + 1))]);
    await sink.stop();
    await database.close();
    writeFileSync(join(dataDir, 'published.jsonl'), publisher.published.map((p) => JSON.stringify(p)).join('\n'));

    const intact = await run('--all', '--published', join(dataDir, 'published.jsonl'));
    expect(intact).toMatchObject({ status: 0, out: [expect.stringContaining(`tenant ${tenantId(1)}: intact: 25 records`), expect.stringContaining(`tenant ${tenantId(2)}: intact: 5 records`), '2 tenant(s) verified intact'] });
    const json = await run('--tenant', tenantId(1), '--json', '--public');
    expect(JSON.parse(json.out[0]!)).toMatchObject({ ok: true, records: 25, macChecked: false });

    const reopened = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'read-models') }, { migrate: false });
    await tamper(reopened.prisma, `UPDATE audit_event SET event = jsonb_set(event::jsonb, '{tool}', '"other"')::json WHERE tenant_id = '${tenantId(1)}' AND seq = 4`);
    await reopened.close();
    const tampered = await run('--all');
    expect(tampered.status).toBe(1);
    expect(tampered.out[0]).toMatch(new RegExp(`tenant ${tenantId(1)}: NOT INTACT: altered at seq 4`));
    expect(tampered.out.at(-1)).toBe('1 of 2 tenant(s) NOT intact');
  });

  it('explains its usage instead of guessing', async () => {
    expect(await run()).toMatchObject({ status: 2, err: expect.stringContaining('usage: audit verify') });
    expect(await run('--tenant', tenantId(1), '--from', 'yesterday')).toMatchObject({ status: 2, err: expect.stringContaining('--from is not a time') });
  });
});
