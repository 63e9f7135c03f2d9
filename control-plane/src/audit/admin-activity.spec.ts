import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditEvent, type ControlEvent } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppliedCommit } from '../core/log-applier.js';
import { openDatabase, type Database } from '../infra/database/database.js';
import { AdminActivityFeed, adminAuditEvents } from './admin-activity.js';
import { admitEvent } from './audit-record.js';
import { AuditSink } from './audit-sink.js';
import { verifyAuditTrail } from './audit-verify.js';
import { auditTestKeys } from './test/audit-fixtures.js';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../snapshot/testdata/full-tenant.in.json', import.meta.url)), 'utf8')) as {
  events: { streamId: string; event: { type: string; data: Record<string, unknown> } }[];
};
const tenantId = 'ten_acme000000';
const actor = { kind: 'user', issuer: 'https://acme.okta.com', subject: 'ada', displayName: 'Ada' } as const;

/** Each fixture event as a one-event commit applied at offset 100 + i. */
const commits: AppliedCommit[] = fixture.events.map(({ streamId, event }, i) => ({
  position: { partition: 3, offset: BigInt(100 + i) },
  states: [{ before: undefined, after: undefined }],
  commit: {
    commitId: randomUUID(),
    tenantId,
    streamId,
    expectedVersion: 0,
    events: [
      {
        ...event,
        metadata: { eventId: randomUUID(), tenantId, streamId, streamVersion: 1, expectedVersion: 0, actor, correlationId: `corr-${i}`, time: new Date(Date.UTC(2026, 10, 25, 12, 0, i)).toISOString() },
      } as unknown as ControlEvent,
    ],
  },
}));

describe(adminAuditEvents.name, () => {
  it('turns every control-plane event into a valid admin record: who, what, when, from which log entry', () => {
    for (const applied of commits) {
      const [record] = adminAuditEvents(applied);
      const event = applied.commit.events[0]!;
      expect(AuditEvent.safeParse(record).success).toBe(true);
      expect(record).toMatchObject({
        kind: 'admin',
        eventId: event.metadata.eventId,
        time: event.metadata.time,
        tenantId,
        principal: { kind: 'admin', actor },
        method: `admin/${event.type}`,
        decision: { outcome: 'allowed', reason: 'admin.change_applied' },
        policyVersion: { logPosition: `3:${applied.position.offset}`, contentHash: expect.stringMatching(/^[a-f0-9]{64}$/) },
        change: { type: event.type, streamId: event.metadata.streamId, streamVersion: 1, correlationId: event.metadata.correlationId },
      });
      const admitted = admitEvent(record);
      expect(admitted.ok && admitted.event.columns).toMatchObject({ principalKind: 'admin', principalIssuer: actor.issuer, principalSubject: actor.subject, tool: null });
    }
  });

  it('redacts secrets from the change, as the activity history does', () => {
    const stored = commits.find((c) => c.commit.events[0]!.type === 'CredentialStored')!;
    const [record] = adminAuditEvents(stored);
    expect(record!.change!.data['secret']).toBe('[redacted]');
    expect(JSON.stringify(record)).not.toContain('wrappedDataKey');
  });
});

describe(AdminActivityFeed.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-admin-activity-'));
  let database: Database;
  let sink: AuditSink;
  const keys = auditTestKeys();

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir });
    sink = new AuditSink(database.prisma, { signer: keys.signer, macKeys: keys.macKeys });
    await sink.start();
  });
  afterAll(async () => {
    await sink?.stop();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores each change once in the tenant’s chain, also when the log is fed again (every start replays it)', async () => {
    const sut = new AdminActivityFeed(sink, { batch: 7 });
    for (const applied of commits) sut.onApplied(applied);
    await sut.flush();
    for (const applied of commits.slice(0, 10)) sut.onApplied(applied);
    await sut.flush();
    const [row] = await database.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND principal_kind = 'admin'`, tenantId);
    expect(row!.n).toBe(commits.length);
    expect(sink.status()).toMatchObject({ appended: commits.length, duplicates: 10 });
    expect(await verifyAuditTrail(database.prisma, { tenantId, keys: keys.trusted })).toMatchObject({ ok: true, records: commits.length });
    await sut.stop();
    sut.onApplied(commits[0]!);
    expect(sut.status()).toEqual({ queued: 0, dropped: 0 });
  });
});
