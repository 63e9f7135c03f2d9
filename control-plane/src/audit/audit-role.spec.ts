import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { waitUntil } from '@mcpgate/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import { KeyStore } from '../infra/crypto/key-store.js';
import { openDatabase } from '../infra/database/database.js';
import { AuditSinkDisabledError, startAuditTrail } from './audit-role.js';
import { auditEvent, tenantId } from './test/audit-fixtures.js';

describe(startAuditTrail.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-audit-role-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the embedded sink from the configuration: ingest, verify, and on close a signed head published beside the event log', async () => {
    const config = controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_AUDIT_CHECKPOINT_EVERY: '1000' });
    if (config.database.kind === 'pglite') mkdirSync(config.database.dataDir, { recursive: true });
    const database = await openDatabase(config.database);
    const signingKey = new KeyStore(config.keysDir, true).signingKey();
    const sut = await startAuditTrail({ config, database, signingKey, logger: silentLogger });
    try {
      expect(await sut.ingest([auditEvent(1, 1), auditEvent(1, 2), { not: 'an event' }])).toEqual({ appended: 2, duplicates: 0, quarantined: 1 });
      expect(sut.status()).toMatchObject({ state: 'ok', appended: 2, unsignedEvents: 2 });
      expect(await sut.verify({ tenantId: tenantId(1) })).toMatchObject({ ok: true, records: 2, unsignedTail: 2, macChecked: true });
    } finally {
      await sut.close();
    }
    // closing signed the head, and the checkpoint went to the file log in <data dir>/audit-checkpoints
    const published: string[] = [];
    const log = await FileEventLog.open({ dir: join(dataDir, 'audit-checkpoints') });
    const subscription = await log.subscribe(new Map(), async (record) => void published.push(record.value.toString('utf8')));
    await waitUntil('the published checkpoint', () => published.length > 0 || undefined, { timeoutMs: 5_000 });
    await subscription.stop();
    await log.close();
    expect(published.map((p) => JSON.parse(p) as { tenantId: string; seq: number })).toEqual([expect.objectContaining({ tenantId: tenantId(1), seq: 2, keyId: signingKey.keyId })]);
    const again = await startAuditTrail({ config, database, signingKey, logger: silentLogger });
    expect(await again.verify({ tenantId: tenantId(1) })).toMatchObject({ ok: true, records: 2, unsignedTail: 0, lastCheckpointSeq: 2 });
    await again.close();
    await database.close();
  });

  it('leaves ingestion to other replicas when the sink is off, and still reads and verifies', async () => {
    const config = controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: join(dataDir, 'off'), MCPGATE_AUDIT_SINK: 'off' });
    if (config.database.kind === 'pglite') mkdirSync(config.database.dataDir, { recursive: true });
    const database = await openDatabase(config.database);
    const sut = await startAuditTrail({ config, database, signingKey: new KeyStore(config.keysDir, true).signingKey(), logger: silentLogger });
    try {
      expect(sut.sink).toBeUndefined();
      expect(sut.adminActivity).toBeUndefined();
      expect(sut.status()).toEqual({ state: 'disabled' });
      await expect(sut.ingest([auditEvent(2, 1)])).rejects.toBeInstanceOf(AuditSinkDisabledError);
      expect(await sut.verify({ tenantId: tenantId(2) })).toMatchObject({ ok: true, records: 0 });
    } finally {
      await sut.close();
      await database.close();
    }
  });
});
