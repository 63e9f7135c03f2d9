import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka, type StartedKafka } from '@mcpgate/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyEventLog, LogCopyConflictError, readAll, type LogCopyProgress } from './copy-log.js';
import type { EventLog } from './event-log.port.js';
import { FileEventLog } from './file-event-log.js';
import { KafkaEventLog } from './kafka-event-log.js';

let kafka: StartedKafka;
const opened: EventLog[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  kafka = await startKafka();
});

afterAll(async () => {
  await kafka?.stop();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((log) => log.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const fileLog = async (): Promise<FileEventLog> => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgate-copy-'));
  dirs.push(dir);
  const log = await FileEventLog.open({ dir });
  opened.push(log);
  return log;
};

const kafkaLog = async (topic = `mcpgate.test.copy.${randomUUID()}`): Promise<KafkaEventLog> => {
  const log = await KafkaEventLog.open({ brokers: kafka.brokers, topic, clientId: 'copy-test' });
  opened.push(log);
  return log;
};

/** An embedded installation's log: commits of three tenants, interleaved. */
const embeddedLog = async (records: number): Promise<{ log: FileEventLog; appended: { key: string; value: string }[] }> => {
  const log = await fileLog();
  const appended: { key: string; value: string }[] = [];
  for (let i = 0; i < records; i += 1) {
    const key = `ten_${['acme', 'globex', 'initech'][i % 3]}`;
    const value = JSON.stringify({ commitId: randomUUID(), tenant: key, n: i });
    await log.append(key, Buffer.from(value));
    appended.push({ key, value });
  }
  return { log, appended };
};

/** Every record of a log as of now, per key in offset order. */
const byKey = async (log: EventLog): Promise<Map<string, string[]>> => {
  const keyed = new Map<string, string[]>();
  for (const records of (await readAll(log, await log.endOffsets())).values()) {
    for (const r of records) keyed.set(r.key, [...(keyed.get(r.key) ?? []), r.value.toString('utf8')]);
  }
  return keyed;
};

const expectedByKey = (appended: readonly { key: string; value: string }[]) => {
  const keyed = new Map<string, string[]>();
  for (const r of appended) keyed.set(r.key, [...(keyed.get(r.key) ?? []), r.value]);
  return keyed;
};

describe('copyEventLog: the embedded file log into Kafka', () => {
  it('copies every record, bytes and per-tenant order unchanged, with progress', async () => {
    const { log: source, appended } = await embeddedLog(60);
    const target = await kafkaLog();
    const progress: LogCopyProgress[] = [];
    const result = await copyEventLog(source, target, { onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expect(result).toMatchObject({ total: 60, appended: 60, alreadyThere: 0 });
    expect(await byKey(target)).toEqual(expectedByKey(appended));
    expect(progress.at(-1)).toMatchObject({ total: 60, done: 60 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('resumes an interrupted copy: what is already in Kafka is checked and skipped, the rest appended once', async () => {
    const { log: source, appended } = await embeddedLog(30);
    const topic = `mcpgate.test.copy.${randomUUID()}`;
    const partial = await kafkaLog(topic);
    // the first 12 records made it before the copy was interrupted
    for (const r of appended.slice(0, 12)) await partial.append(r.key, Buffer.from(r.value));
    const target = await kafkaLog(topic);
    const result = await copyEventLog(source, target);
    expect(result).toMatchObject({ total: 30, appended: 18, alreadyThere: 12 });
    expect(await byKey(target)).toEqual(expectedByKey(appended));
    // and a third run finds nothing to do
    expect(await copyEventLog(source, target)).toMatchObject({ appended: 0, alreadyThere: 30 });
  });

  it('refuses, appending nothing, when the topic holds another history', async () => {
    const { log: source } = await embeddedLog(9);
    const target = await kafkaLog();
    await target.append('ten_acme', Buffer.from('{"commitId":"someone else"}'));
    const before = await target.endOffsets();
    const error = await copyEventLog(source, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogCopyConflictError);
    expect((error as Error).message).toMatch(/another history/);
    expect(await target.endOffsets()).toEqual(before);
  });

  it('refuses when the topic holds more than the source (a different, longer log)', async () => {
    const { log: source, appended } = await embeddedLog(3);
    const target = await kafkaLog();
    for (const r of appended) await target.append(r.key, Buffer.from(r.value));
    await target.append(appended[0]!.key, Buffer.from('{"later":true}'));
    await expect(copyEventLog(source, target)).rejects.toThrow(LogCopyConflictError);
  });

  it('an empty source is copied as nothing', async () => {
    const source = await fileLog();
    const target = await kafkaLog();
    expect(await copyEventLog(source, target)).toMatchObject({ total: 0, appended: 0, alreadyThere: 0 });
  });
});
