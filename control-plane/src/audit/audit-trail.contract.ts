/**
 * The behaviour of the audit trail in a database: the same assertions run against embedded PGlite
 * (unit project) and PostgreSQL (integration project), so the embedded default and production
 * cannot drift apart. Tampering goes around the triggers the way a database superuser would
 * (`session_replication_role = replica`), or simply inserts where inserting is allowed.
 */
import { randomBytes } from 'node:crypto';
import { AuditEvent } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../generated/prisma/client.js';
import { extendChain } from './audit-chain.js';
import { canonicalize, genesisHash } from './audit-hash.js';
import { admitEvent, admitRecord } from './audit-record.js';
import { applyRetention, AuditRetentionError } from './audit-retention.js';
import { AuditSink, type AuditSinkOptions } from './audit-sink.js';
import { insertEvents, isUniqueViolation, recordAt, type Sql } from './audit-store.js';
import { verifyAuditTrail } from './audit-verify.js';
import { AuditWriter, AuditWriterStoppedError } from './audit-writer.js';
import { MemoryCheckpointPublisher } from './checkpoint-publisher.js';
import { auditEvent, auditTestKeys, tenantId } from './test/audit-fixtures.js';

export interface AuditDbFixture {
  /** For the test's own queries and for tampering. */
  readonly prisma: PrismaClient;
  /** What the sink, verification and retention run on (Prisma, or a pg pool in production). */
  readonly sql: Sql;
  close(): Promise<void>;
}

const keys = auditTestKeys();

/** Runs statements as a superuser with triggers off, in one transaction: what a tamperer can do. */
export const tamper = (prisma: PrismaClient, ...statements: string[]) =>
  prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
    for (const statement of statements) await tx.$executeRawUnsafe(statement);
  });

const events = (tenant: number, from: number, to: number, options: Parameters<typeof auditEvent>[2] = {}) =>
  Array.from({ length: to - from + 1 }, (_, i) => auditEvent(tenant, from + i, options));

/** Ingests in requests of `size` events, one after the other (each its own transaction). */
const ingestInChunks = async (sink: AuditSink, list: unknown[], size = 5) => {
  for (let i = 0; i < list.length; i += size) await sink.ingest(list.slice(i, i + size));
};

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const count = async (prisma: PrismaClient, from: string, ...params: unknown[]) =>
  Number((await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM ${from}`, ...params))[0]!.n);

const seqs = async (prisma: PrismaClient, tenant: string) =>
  (await prisma.$queryRawUnsafe<{ seq: string }[]>(`SELECT seq::text AS seq FROM audit_event WHERE tenant_id = $1 ORDER BY audit_event.seq`, tenant)).map((r) => Number(r.seq));

export const describeAuditTrail = (name: string, open: () => Promise<AuditDbFixture>) => {
  describe(`${name} (audit trail contract)`, () => {
    let db: AuditDbFixture;
    let prisma: PrismaClient;
    let sql: Sql;
    const sinks: AuditSink[] = [];
    const sinkFor = async (options: Partial<AuditSinkOptions> = {}) => {
      const sink = new AuditSink(sql, { signer: keys.signer, macKeys: keys.macKeys, checkpointEvery: 10, checkpointIntervalMs: 600_000, retry: { initialMs: 20, maxMs: 200 }, ...options });
      await sink.start();
      sinks.push(sink);
      return sink;
    };
    const verify = (tenant: number, options: Partial<Parameters<typeof verifyAuditTrail>[1]> = {}) =>
      verifyAuditTrail(sql, { tenantId: tenantId(tenant), keys: keys.trusted, ...options });

    beforeAll(async () => {
      db = await open();
      prisma = db.prisma;
      sql = db.sql;
    });
    afterAll(async () => {
      await Promise.allSettled(sinks.map((s) => s.stop()));
      await db?.close();
    });

    it('appends events of many tenants in one batch, each tenant on its own gapless chain, signed every N events and published', async () => {
      const publisher = new MemoryCheckpointPublisher();
      const sink = await sinkFor({ publisher });
      const batch = [...events(101, 1, 25), ...events(102, 1, 12), ...events(103, 1, 3)].sort((a, b) => a.time.localeCompare(b.time));
      expect(await sink.ingest(batch)).toEqual({ appended: 40, duplicates: 0, quarantined: 0 });
      expect(await seqs(prisma, tenantId(101))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await seqs(prisma, tenantId(103))).toEqual([1, 2, 3]);
      // one checkpoint per tenant and batch once N events are unsigned: 101 at 25, 102 at 12; 103 has 3 < 10
      expect(await count(prisma, 'audit_checkpoint WHERE tenant_id IN ($1, $2, $3)', tenantId(101), tenantId(102), tenantId(103))).toBe(2);
      const first = await recordAt(prisma, tenantId(101), 1);
      expect(first?.prevHash).toEqual(genesisHash(tenantId(101)));
      expect(first?.columns).toMatchObject({ region: 'eu-west-1', method: 'tools/call', tool: 'github__tool_1', principalKind: 'virtual-key', principalKeyId: 'vk_key00000001' });
      await sink.checkpointNow();
      await waitFor('checkpoints published', () => publisher.published.length === 3);
      expect(publisher.published.map((p) => `${p.tenantId}@${p.seq}`).sort()).toEqual([`${tenantId(101)}@25`, `${tenantId(102)}@12`, `${tenantId(103)}@3`]);
      for (const t of [101, 102, 103]) expect(await verify(t)).toMatchObject({ ok: true, anchor: 'genesis', unsignedTail: 0, macChecked: true });
      expect(await verify(101)).toMatchObject({ records: 25, fromSeq: 1, toSeq: 25, lastCheckpointSeq: 25 });
    });

    it('stores an event handed over in process (ingest) as the canonical JSON of the schema output, the text its record hash covers', async () => {
      const sink = await sinkFor();
      const event = { ...auditEvent(104, 1), arguments: { z: 'last', a: 'first', quote: 'tab\there "quoted" \\ backslash', unicode: 'ünïcødé ✓' } };
      await sink.ingest([event]);
      const [row] = await prisma.$queryRawUnsafe<{ event: string }[]>(`SELECT event::text AS event FROM audit_event WHERE tenant_id = $1 AND seq = 1`, tenantId(104));
      expect(row!.event).toBe(canonicalize(AuditEvent.parse(event)));
      expect(await verify(104)).toMatchObject({ ok: true, records: 1 });
    });

    it('keeps a record from Kafka byte for byte as the proxy wrote it (layout, key order, unknown fields, escapes), verifies it, and takes another layout of it for a redelivery', async () => {
      const writer = new AuditWriter(sql, { signer: keys.signer, macKeys: keys.macKeys });
      const event = { ...auditEvent(105, 1), fieldOfALaterVersion: { x: 1 }, arguments: { emoji: '😀', tab: 'a\tb', nul: 'written \\u0000' } };
      // indented, as another serializer might write it, with the emoji as an escaped surrogate pair
      const raw = JSON.stringify(event, null, 2).replace('😀', '\\ud83d\\ude00');
      const ingest = async (text: string) => {
        const admitted = admitRecord(Buffer.from(text, 'utf8'));
        if (!admitted.ok) throw new Error(admitted.error);
        return writer.write({ events: [{ event: admitted.event, origin: { source: 'ingest' } }], quarantine: [] });
      };
      try {
        expect(await ingest(raw)).toEqual({ appended: 1, duplicates: 0, quarantined: 0 });
        const [row] = await prisma.$queryRawUnsafe<{ event: string; emoji: string }[]>(
          `SELECT event::text AS event, event->'arguments'->>'emoji' AS emoji FROM audit_event WHERE tenant_id = $1 AND seq = 1`,
          tenantId(105),
        );
        expect(row).toEqual({ event: raw, emoji: '😀' });
        expect(await ingest(JSON.stringify(event))).toEqual({ appended: 0, duplicates: 1, quarantined: 0 });
      } finally {
        await writer.stop();
      }
      expect(await verify(105)).toMatchObject({ ok: true, records: 1 });
    });

    it('de-duplicates by event id: a redelivery is counted, not written, and does not advance the chain; other content under a known id is quarantined', async () => {
      const sink = await sinkFor();
      await sink.ingest(events(110, 1, 5));
      const again = await sink.ingest([...events(110, 3, 7), auditEvent(110, 6), auditEvent(110, 8)]);
      expect(again).toEqual({ appended: 3, duplicates: 4, quarantined: 0 });
      expect(await seqs(prisma, tenantId(110))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const conflicting = { ...auditEvent(110, 2), tool: 'another_tool' };
      expect(await sink.ingest([conflicting])).toEqual({ appended: 0, duplicates: 0, quarantined: 1 });
      const [row] = await prisma.$queryRawUnsafe<{ source: string; error: string; raw: string }[]>(
        `SELECT source, error, convert_from(raw, 'UTF8') AS raw FROM audit_quarantine WHERE error LIKE '%' || $1 || '%'`,
        auditEvent(110, 2).eventId,
      );
      expect(row).toMatchObject({ source: 'ingest', error: expect.stringContaining('already recorded with other content') });
      expect(JSON.parse(row!.raw)).toMatchObject({ tool: 'another_tool' });
      expect(await verify(110)).toMatchObject({ ok: true, records: 8 });
    });

    it('recognises a taken event id or seq as a unique violation (what makes the writer look up stored ids and heads)', async () => {
      const admitted = admitEvent(auditEvent(111, 1));
      if (!admitted.ok) throw new Error(admitted.error);
      const { records } = extendChain({ seq: 0, hash: genesisHash(tenantId(111)) }, [admitted.event], keys.macKeys.active);
      await insertEvents(prisma, records);
      const error = await insertEvents(prisma, records).catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(new Error('connection refused'))).toBe(false);
    });

    it('quarantines what is not a storable AuditEvent instead of dropping it, and appends the rest of the batch', async () => {
      const sink = await sinkFor();
      const result = await sink.ingest([auditEvent(120, 1), { hello: 'world' }, { ...auditEvent(120, 2), arguments: { a: 'nul\u0000' } }, auditEvent(120, 3)]);
      expect(result).toEqual({ appended: 2, duplicates: 0, quarantined: 2 });
      const rows = await prisma.$queryRawUnsafe<{ error: string; raw: string }[]>(
        `SELECT error, encode(raw, 'escape') AS raw FROM audit_quarantine WHERE source = 'ingest' AND (raw::text LIKE '%776f726c64%' OR error LIKE '%NUL%') ORDER BY id`,
      );
      expect(rows.map((r) => r.error)).toEqual([expect.stringContaining('not an AuditEvent'), expect.stringContaining('NUL')]);
      expect(await seqs(prisma, tenantId(120))).toEqual([1, 2]);
    });

    it('continues each chain after a restart, from the heads stored in the table', async () => {
      const first = await sinkFor();
      await first.ingest(events(130, 1, 14));
      await first.ingest(events(130, 15, 17));
      await first.stop();
      const second = await sinkFor();
      await second.ingest(events(130, 18, 22));
      expect(await seqs(prisma, tenantId(130))).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
      // signed at 14 (N reached) and at 17 (the first sink signed its unsigned head when it stopped)
      expect(await count(prisma, 'audit_checkpoint WHERE tenant_id = $1', tenantId(130))).toBe(2);
      expect(await verify(130)).toMatchObject({ ok: true, records: 22 });
    });

    it('keeps one chain when two writers append to the same tenant at once (a second region, a rebalance)', async () => {
      const a = await sinkFor();
      const b = await sinkFor();
      await a.ingest([auditEvent(140, 0)]);
      await b.ingest([auditEvent(140, 100)]);
      await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => a.ingest(events(140, 1 + i * 5, 5 + i * 5))),
        ...Array.from({ length: 6 }, (_, i) => b.ingest(events(140, 101 + i * 5, 105 + i * 5, { region: 'us-east-1' }))),
      ]);
      expect(await seqs(prisma, tenantId(140))).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
      expect(await verify(140)).toMatchObject({ ok: true, records: 62 });
    });

    it('signs a head left unsigned for the checkpoint interval', async () => {
      const sink = await sinkFor({ checkpointIntervalMs: 200 });
      await sink.ingest(events(150, 1, 3));
      await waitFor('a timed checkpoint', async () => (await count(prisma, 'audit_checkpoint WHERE tenant_id = $1', tenantId(150))) === 1);
      expect(await verify(150)).toMatchObject({ ok: true, lastCheckpointSeq: 3, unsignedTail: 0 });
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the trail, its checkpoints and retention records', async () => {
      const sink = await sinkFor();
      await sink.ingest(events(160, 1, 10));
      for (const statement of [
        `UPDATE audit_event SET tool = 'x' WHERE tenant_id = '${tenantId(160)}'`,
        `DELETE FROM audit_event WHERE tenant_id = '${tenantId(160)}'`,
        'TRUNCATE audit_event',
        `UPDATE audit_checkpoint SET key_id = 'x' WHERE tenant_id = '${tenantId(160)}'`,
        `DELETE FROM audit_checkpoint WHERE tenant_id = '${tenantId(160)}'`,
        'TRUNCATE audit_checkpoint',
        'TRUNCATE audit_retention',
      ]) {
        await expect(prisma.$executeRawUnsafe(statement), statement).rejects.toThrow(/append-only/);
      }
      // a session setting alone does not open a range that audit_apply_retention did not announce
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SELECT set_config('mcpgate.audit_retention', '${tenantId(160)} 5', true)`);
          await tx.$executeRawUnsafe(`UPDATE audit_event SET tool = 'x' WHERE tenant_id = '${tenantId(160)}' AND seq = 1`);
        }),
      ).rejects.toThrow(/append-only/);
      expect(await verify(160)).toMatchObject({ ok: true, records: 10 });
    });

    describe('detects tampering done around the triggers', () => {
      it('altered: one event changed in place', async () => {
        const sink = await sinkFor();
        await sink.ingest(events(170, 1, 20));
        await tamper(prisma, `UPDATE audit_event SET event = jsonb_set(event::jsonb, '{arguments,query}', '"nothing to see"')::json WHERE tenant_id = '${tenantId(170)}' AND seq = 7`);
        expect(await verify(170)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered', records: 6 });
      });

      it('altered: a query column changed so that searches miss the event', async () => {
        const sink = await sinkFor();
        await sink.ingest(events(171, 1, 20));
        await tamper(prisma, `UPDATE audit_event SET outcome = 'allowed' WHERE tenant_id = '${tenantId(171)}' AND seq = 14`);
        expect(await verify(171)).toMatchObject({ ok: false, firstBadSeq: 14, problem: 'altered', detail: expect.stringContaining('outcome') });
      });

      it('removed: one row deleted', async () => {
        const sink = await sinkFor();
        await sink.ingest(events(172, 1, 20));
        await tamper(prisma, `DELETE FROM audit_event WHERE tenant_id = '${tenantId(172)}' AND seq = 12`);
        expect(await verify(172)).toMatchObject({ ok: false, firstBadSeq: 12, problem: 'removed' });
      });

      it('removed: the newest rows and their checkpoints deleted, caught by the published checkpoints', async () => {
        const publisher = new MemoryCheckpointPublisher();
        const sink = await sinkFor({ publisher });
        await ingestInChunks(sink, events(173, 1, 30));
        await sink.stop();
        await tamper(prisma, `DELETE FROM audit_event WHERE tenant_id = '${tenantId(173)}' AND seq > 15`, `DELETE FROM audit_checkpoint WHERE tenant_id = '${tenantId(173)}' AND seq > 15`);
        expect(await verify(173)).toMatchObject({ ok: true, records: 15 });
        expect(await verify(173, { publishedCheckpoints: publisher.published })).toMatchObject({ ok: false, firstBadSeq: 16, problem: 'removed' });
      });

      it('inserted: a forged row placed in the middle, later rows renumbered', async () => {
        const sink = await sinkFor();
        await sink.ingest(events(174, 1, 20));
        await tamper(
          prisma,
          `UPDATE audit_event SET seq = seq + 1000000 WHERE tenant_id = '${tenantId(174)}' AND seq >= 9`,
          `UPDATE audit_event SET seq = seq - 1000000 + 1 WHERE tenant_id = '${tenantId(174)}' AND seq >= 1000000`,
        );
        const previous = (await recordAt(prisma, tenantId(174), 8))!;
        const admitted = admitEvent(auditEvent(174, 999, { outcome: 'allowed' }));
        if (!admitted.ok) throw new Error(admitted.error);
        const forged = extendChain({ seq: 8, hash: previous.hash }, [admitted.event], { keyId: keys.macKeys.active.keyId, key: randomBytes(32) });
        expect(await insertEvents(prisma, forged.records)).toBe(1);
        expect(await verify(174)).toMatchObject({ ok: false, firstBadSeq: 9, problem: 'inserted' });
        expect(await verify(174, { keys: keys.publicOnly })).toMatchObject({ ok: false, firstBadSeq: 9, problem: 'inserted' });
      });

      it('inserted: a forged row appended at the end, which the sink then refuses to build on', async () => {
        const sink = await sinkFor();
        await sink.ingest(events(175, 1, 20));
        await sink.stop();
        const last = (await recordAt(prisma, tenantId(175), 20))!;
        const admitted = admitEvent(auditEvent(175, 999));
        if (!admitted.ok) throw new Error(admitted.error);
        await insertEvents(prisma, extendChain({ seq: 20, hash: last.hash }, [admitted.event], { keyId: keys.macKeys.active.keyId, key: randomBytes(32) }).records);
        expect(await verify(175)).toMatchObject({ ok: false, firstBadSeq: 21, problem: 'inserted' });

        const next = await sinkFor();
        const pending = next.ingest([auditEvent(175, 21)]);
        await waitFor('the sink to halt', () => next.status().state === 'halted');
        expect(next.status().lastError).toMatch(/not written by the sink/);
        await next.stop();
        await expect(pending).rejects.toBeInstanceOf(AuditWriterStoppedError);
      });

      it('bad_signature: a checkpoint signature corrupted', async () => {
        const sink = await sinkFor();
        await ingestInChunks(sink, events(176, 1, 30));
        await tamper(prisma, `UPDATE audit_checkpoint SET signature = set_byte(signature, 0, (get_byte(signature, 0) + 1) % 256) WHERE tenant_id = '${tenantId(176)}' AND seq = 20`);
        expect(await verify(176)).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'bad_signature' });
      });
    });

    it('verifies a time range, widened to the signed checkpoints around it, with progress', async () => {
      const sink = await sinkFor();
      await ingestInChunks(sink, events(180, 1, 55));
      const at = (n: number) => new Date(Date.parse(auditEvent(180, n).time));
      const progress: number[] = [];
      const sut = await verify(180, { from: at(23), to: at(34), pageSize: 7, onProgress: (p) => progress.push(p.seq) });
      expect(sut).toMatchObject({ ok: true, anchor: 'checkpoint', fromSeq: 21, toSeq: 40, records: 20, lastCheckpointSeq: 40 });
      expect(progress.at(-1)).toBe(40);
      expect(await verify(180, { from: at(52) })).toMatchObject({ ok: true, fromSeq: 51, toSeq: 55, unsignedTail: 5 });
      expect(await verify(180, { to: new Date('2020-01-01T00:00:00Z') })).toMatchObject({ ok: true, records: 0, fromSeq: null });
    });

    describe('retention', () => {
      it('deletes whole expired ranges up to a checkpoint, records them signed, and the rest still verifies from that anchor', async () => {
        const sink = await sinkFor();
        await ingestInChunks(sink, events(190, 1, 45));
        const at = (n: number) => new Date(Date.parse(auditEvent(190, n).time));
        const first = await applyRetention(sql, { tenantId: tenantId(190), before: at(25), signer: keys.signer, keys: keys.trusted });
        expect(first).toMatchObject({ deleted: 20, fromSeq: 1, throughSeq: 20 });
        expect(await seqs(prisma, tenantId(190))).toEqual(Array.from({ length: 25 }, (_, i) => i + 21));
        expect(await count(prisma, 'audit_checkpoint WHERE tenant_id = $1', tenantId(190))).toBe(4); // kept
        expect(await verify(190)).toMatchObject({ ok: true, anchor: 'retention', records: 25, fromSeq: 21, retentions: 1, checkpoints: 4 });
        expect(await applyRetention(sql, { tenantId: tenantId(190), before: at(25), signer: keys.signer, keys: keys.trusted })).toEqual({ deleted: 0, reason: 'nothing_expired' });
        await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_retention WHERE tenant_id = $1`, tenantId(190))).rejects.toThrow(/append-only/);
        await expect(prisma.$executeRawUnsafe(`UPDATE audit_retention SET key_id = 'x' WHERE tenant_id = $1`, tenantId(190))).rejects.toThrow(/append-only/);

        await sink.ingest(events(190, 46, 50));
        const second = await applyRetention(sql, { tenantId: tenantId(190), before: new Date('2030-01-01T00:00:00Z'), signer: keys.signer, keys: keys.trusted });
        expect(second).toMatchObject({ deleted: 30, fromSeq: 21, throughSeq: 50 });
        expect(await verify(190)).toMatchObject({ ok: true, anchor: 'retention', records: 0, retentions: 2 });

        // a fresh sink continues the chain from the retention anchor
        await sink.stop();
        const later = await sinkFor();
        await later.ingest(events(190, 51, 53));
        expect(await seqs(prisma, tenantId(190))).toEqual([51, 52, 53]);
        expect(await verify(190)).toMatchObject({ ok: true, anchor: 'retention', records: 3, fromSeq: 51 });
      });

      it('refuses to delete a range that does not verify, keeping the evidence', async () => {
        const sink = await sinkFor();
        await ingestInChunks(sink, events(191, 1, 30));
        await tamper(prisma, `UPDATE audit_event SET event = jsonb_set(event::jsonb, '{tool}', '"x"')::json WHERE tenant_id = '${tenantId(191)}' AND seq = 3`);
        await expect(applyRetention(sql, { tenantId: tenantId(191), before: new Date('2030-01-01T00:00:00Z'), signer: keys.signer, keys: keys.trusted })).rejects.toBeInstanceOf(AuditRetentionError);
        expect(await seqs(prisma, tenantId(191))).toHaveLength(30);
      });

      it('the database function refuses ranges that do not start at the floor, end at a checkpoint, or hold recent events', async () => {
        const sink = await sinkFor();
        await ingestInChunks(sink, events(192, 1, 25));
        const call = (from: number, through: number, before: string) =>
          prisma.$queryRawUnsafe(`SELECT audit_apply_retention($1, $2::bigint, $3::bigint, $4::timestamptz, now(), 'k', '\\x00'::bytea)`, tenantId(192), String(from), String(through), before);
        await expect(call(1, 15, '2030-01-01T00:00:00Z')).rejects.toThrow(/must end at a checkpoint/);
        await expect(call(2, 10, '2030-01-01T00:00:00Z')).rejects.toThrow(/must delete seq 1 onwards/);
        await expect(call(1, 20, auditEvent(192, 5).time)).rejects.toThrow(/not all older/);
        expect(await seqs(prisma, tenantId(192))).toHaveLength(25);
      });

      it('a forged retention record does not verify', async () => {
        const sink = await sinkFor();
        await ingestInChunks(sink, events(193, 1, 25));
        const other = auditTestKeys('attacker');
        await applyRetention(sql, { tenantId: tenantId(193), before: new Date('2030-01-01T00:00:00Z'), signer: other.signer, keys: keys.trusted });
        expect(await verify(193)).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'bad_signature', detail: expect.stringContaining('retention') });
      });
    });
  });
};
