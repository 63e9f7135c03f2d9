import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { AdmissionPool } from './admission-pool.js';
import { BinaryCopyWriter } from '../infra/database/pg-binary-copy.js';
import { admitRecord, type Admission, type AcceptedEvent } from './audit-record.js';
import { writeEventFields } from './audit-store.js';
import { auditEvent } from './test/audit-fixtures.js';

/** What a Kafka fetch hands the sink: valid events, and now and then a record to quarantine. */
const records = (count: number, from = 1): (Buffer | null)[] =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    if (n % 17 === 0) return Buffer.from('{not json');
    if (n % 19 === 0) return null;
    if (n % 23 === 0) return Buffer.from(JSON.stringify({ ...auditEvent(1, n), tenantId: 'not-a-tenant-id' }));
    return Buffer.from(JSON.stringify(auditEvent((n % 3) + 1, n, { time: `2026-11-01T00:00:${String(n % 60).padStart(2, '0')}.5+02:00` })));
  });

/** An admission as plain data, for comparing the pool's answers with admitRecord's. */
const plain = (a: Admission) => (a.ok ? { tenantId: a.event.tenantId, eventId: a.event.eventId, columns: a.event.columns, bytes: a.event.eventBytes, json: a.event.eventJson } : a);

const recordingLogger = () => {
  const lines: { level: string; fields: unknown }[] = [];
  const at = (level: string) => (fields: unknown) => lines.push({ level, fields });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
};

/** The pool's threads, to end one the way a crash would. */
const threadsOf = (pool: AdmissionPool) => (pool as unknown as { threads: { worker: Worker | undefined }[] }).threads;

describe(AdmissionPool.name, () => {
  let sut: AdmissionPool | undefined;
  afterEach(async () => {
    await sut?.close();
    sut = undefined;
  });

  it('admits on its threads exactly what admitRecord admits, in order, keeping the received bytes', async () => {
    const { lines, logger } = recordingLogger();
    sut = new AdmissionPool({ threads: 2, logger });
    const values = records(500);
    const [firstHalf, secondHalf] = await Promise.all([sut.admit(values.slice(0, 250)), sut.admit(values.slice(250))]);
    const admitted = [...firstHalf, ...secondHalf];
    expect(admitted.map(plain)).toEqual(values.map((v) => plain(admitRecord(v))));
    expect(admitted.filter((a) => !a.ok).length).toBeGreaterThan(40);
    const firstOk = admitted.findIndex((a) => a.ok);
    const first = admitted[firstOk];
    if (!first?.ok) throw new Error('nothing admitted');
    expect(first.event.eventBytes).toBe(values[firstOk]); // the same buffer, not a copy
    expect(Object.hasOwn(first.event, 'eventJson')).toBe(false); // put together from a thread's answer, text decoded on demand
    // the row fields the threads encoded are the bytes the writer would encode itself
    const fieldsHere = (e: AcceptedEvent) => writeEventFields(new BinaryCopyWriter(4096, { header: false }), e.eventId, e.columns, e.eventBytes).fields();
    admitted.forEach((a, i) => {
      const here = admitRecord(values[i]!);
      if (a.ok && here.ok) expect(a.event.copyFields).toEqual(fieldsHere(here.event));
    });
    expect(lines).toEqual([]);
    expect(sut.status()).toEqual({ threads: 2, restarts: 0, recoveredRecords: 0 });
  });

  it('admits on the calling thread with no threads, for small requests and after close', async () => {
    const values = records(40);
    const expected = values.map((v) => plain(admitRecord(v)));
    sut = new AdmissionPool({ threads: 0 });
    expect(sut.status().threads).toBe(0);
    expect((await sut.admit(values)).map(plain)).toEqual(expected);
    await sut.close();
    sut = new AdmissionPool({ threads: 1 });
    expect((await sut.admit(values.slice(0, 3))).map(plain)).toEqual(expected.slice(0, 3));
    await sut.close();
    expect((await sut.admit(values)).map(plain)).toEqual(expected);
  });

  it('loses nothing when a thread ends with requests out: they are admitted here and the thread is started again', async () => {
    const { lines, logger } = recordingLogger();
    sut = new AdmissionPool({ threads: 1, logger });
    const values = records(300);
    const expected = values.map((v) => plain(admitRecord(v)));
    const crashed = threadsOf(sut)[0]!.worker!;
    const out = sut.admit(values);
    await crashed.terminate();
    expect((await out).map(plain)).toEqual(expected);
    expect(lines).toEqual([{ level: 'warn', fields: expect.objectContaining({ thread: 'audit-admission-0' }) }]);
    expect(sut.status()).toEqual({ threads: 1, restarts: 1, recoveredRecords: 300 });
    const restarted = threadsOf(sut)[0]!.worker;
    expect(restarted).toBeDefined();
    expect(restarted).not.toBe(crashed);
    const again = await sut.admit(values);
    expect(again.map(plain)).toEqual(expected);
    const admittedByThread = again.find((a) => a.ok);
    expect(admittedByThread?.ok && Object.hasOwn(admittedByThread.event, 'eventJson')).toBe(false);
  });
});
