import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeEventLogContract } from './event-log.contract.js';
import type { EventLogFixture } from './event-log.contract.js';
import type { EventLog, LogRecord } from './event-log.port.js';
import { FileEventLog } from './file-event-log.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'mcpgate-file-log-'));

describeEventLogContract('FileEventLog', async (): Promise<EventLogFixture> => {
  const dir = await tempDir();
  let current = await FileEventLog.open({ dir });
  return {
    log: current,
    async reopen() {
      await current.close();
      current = await FileEventLog.open({ dir });
      return current;
    },
    async dispose() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const withTimeout = <T>(what: string, promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** Every record from offset 0 up to the end offset as of the call. */
const readAll = async (log: EventLog): Promise<LogRecord[]> => {
  const end = (await log.endOffsets()).get(0) ?? 0n;
  const records: LogRecord[] = [];
  if (end === 0n) return records;
  let reachedEnd: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (reachedEnd = resolve));
  const subscription = await log.subscribe(new Map(), async (record) => {
    records.push(record);
    if (record.position.offset === end - 1n) reachedEnd();
  });
  try {
    await withTimeout(`${end} records`, done, 10_000);
  } finally {
    await subscription.stop();
  }
  return records;
};

const text = (record: LogRecord) => record.value.toString('utf8');

describe(FileEventLog.name, () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const freshDir = async () => {
    const dir = await tempDir();
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  const openLog = async (dir: string) => {
    const log = await FileEventLog.open({ dir });
    cleanup.push(() => log.close());
    return log;
  };
  const logFile = (dir: string) => join(dir, 'events.log');

  /** The bytes of one framed record, taken from a log of its own so the test does not restate the format. */
  const oneRecordBytes = async (key: string, value: string) => {
    const dir = await freshDir();
    const log = await FileEventLog.open({ dir });
    await log.append(key, Buffer.from(value));
    await log.close();
    return readFile(logFile(dir));
  };

  it('creates its folder and starts empty with one partition', async () => {
    const dir = join(await freshDir(), 'nested', 'log');
    const sut = await openLog(dir);
    expect(await sut.partitions()).toBe(1);
    expect(await sut.partitionFor('ten_anything')).toBe(0);
    expect(await sut.endOffsets()).toEqual(new Map([[0, 0n]]));
    expect((await stat(logFile(dir))).size).toBe(0);
  });

  it.each([
    ['garbage bytes', async () => Buffer.from('\x00\xff garbage that is not a record \x13\x37')],
    ['the first half of a record', async () => (await oneRecordBytes('ten_aaaaaaaaaa', 'x'.repeat(200))).subarray(0, 110)],
    ['a record header with no body', async () => (await oneRecordBytes('ten_aaaaaaaaaa', 'x'.repeat(200))).subarray(0, 12)],
    ['a record with a wrong checksum', async () => {
      const record = await oneRecordBytes('ten_aaaaaaaaaa', 'x'.repeat(200));
      record.writeUInt8(record.readUInt8(record.length - 1) ^ 0x01, record.length - 1);
      return record;
    }],
  ])('cuts a torn tail of %s on open, keeps the records before it and appends after them', async (_what, tail) => {
    const dir = await freshDir();
    const first = await FileEventLog.open({ dir });
    for (const value of ['one', 'two', 'three']) await first.append('ten_aaaaaaaaaa', Buffer.from(value));
    await first.close();
    const intactSize = (await stat(logFile(dir))).size;
    const torn = await tail();
    await appendFile(logFile(dir), torn);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    const sut = await openLog(dir);

    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(`cut ${torn.length} bytes of torn tail at byte ${intactSize}`);
    expect((await stat(logFile(dir))).size).toBe(intactSize);
    expect(await sut.endOffsets()).toEqual(new Map([[0, 3n]]));
    expect(await sut.append('ten_aaaaaaaaaa', Buffer.from('four'))).toEqual({ partition: 0, offset: 3n });
    expect((await readAll(sut)).map(text)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('refuses to open a log whose middle record is damaged, naming the byte offset, and leaves the file as it was', async () => {
    const dir = await freshDir();
    const first = await FileEventLog.open({ dir });
    const values = ['first record', 'second record', 'third record'];
    for (const value of values) await first.append('ten_aaaaaaaaaa', Buffer.from(value));
    await first.close();
    const bytes = await readFile(logFile(dir));
    const secondStart = bytes.indexOf('first record') + 'first record'.length;
    const damaged = Buffer.from(bytes);
    const flipped = bytes.indexOf('second record') + 3;
    damaged.writeUInt8(damaged.readUInt8(flipped) ^ 0x20, flipped);
    await writeFile(logFile(dir), damaged);

    const opening = FileEventLog.open({ dir });

    await expect(opening).rejects.toMatchObject({ name: 'EventLogError', reason: 'event_log.corrupt' });
    await expect(opening).rejects.toThrow(`damaged at byte ${secondStart} (record 1)`);
    expect(await readFile(logFile(dir))).toEqual(damaged);
    // the failed open released its lock: once repaired, the log opens again
    await writeFile(logFile(dir), bytes);
    const repaired = await openLog(dir);
    expect((await readAll(repaired)).map(text)).toEqual(values);
  });

  it('refuses a damaged length field in the middle rather than reading past it', async () => {
    const dir = await freshDir();
    const first = await FileEventLog.open({ dir });
    for (const value of ['a', 'b', 'c']) await first.append('ten_aaaaaaaaaa', Buffer.from(value));
    await first.close();
    const bytes = await readFile(logFile(dir));
    const recordLength = bytes.length / 3;
    bytes.writeUInt32BE(5_000, recordLength + 4);
    await writeFile(logFile(dir), bytes);

    await expect(FileEventLog.open({ dir })).rejects.toMatchObject({ reason: 'event_log.corrupt' });
  });

  it('keeps every acknowledged record when the writing process is killed with SIGKILL mid-append', { timeout: 60_000 }, async () => {
    const dir = await freshDir();
    const adapter = fileURLToPath(new URL('./file-event-log.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = join(dir, 'writer.mts');
    await writeFile(
      script,
      `import { FileEventLog } from ${JSON.stringify(pathToFileURL(adapter).href)};
const log = await FileEventLog.open({ dir: process.argv[2] });
let next = 0;
const writer = async () => {
  for (;;) {
    const n = next++;
    const position = await log.append('ten_' + (n % 5), Buffer.from(n + ':' + 'x'.repeat((n * 7919) % 60_000)));
    process.stdout.write(position.offset + ' ' + n + '\\n');
  }
};
await Promise.all(Array.from({ length: 8 }, writer));
`,
    );
    const expectedValue = (n: number) => `${n}:${'x'.repeat((n * 7919) % 60_000)}`;
    const logDir = join(dir, 'log');
    const child = spawn(process.execPath, ['--import', tsx, script, logDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await withTimeout('the writer to exit', exited, 10_000);
    });
    const acknowledged = new Map<bigint, number>();
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const enough = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const lines = stdout.split('\n');
        stdout = lines.pop() ?? '';
        for (const line of lines) {
          const [offset, n] = line.split(' ');
          acknowledged.set(BigInt(offset!), Number(n));
        }
        if (acknowledged.size >= 200) resolve();
      });
      child.once('exit', (code, signal) => reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)));
    });

    await withTimeout('200 acknowledged appends', enough, 30_000);
    child.kill('SIGKILL');
    await withTimeout('the writer to exit', exited, 10_000);
    // lines already in the pipe when the process died were acknowledged before it died
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [offset, n] = line.split(' ');
      if (n !== undefined) acknowledged.set(BigInt(offset!), Number(n));
    }
    expect(child.signalCode).toBe('SIGKILL');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    const sut = await openLog(logDir);

    expect(warn.mock.calls.length).toBeLessThanOrEqual(1);
    const records = await readAll(sut);
    expect(records.map((r) => r.position.offset)).toEqual(records.map((_, i) => BigInt(i)));
    for (const [offset, n] of acknowledged) {
      const record = records[Number(offset)];
      expect(record, `acknowledged record ${offset}`).toBeDefined();
      expect(record?.key).toBe(`ten_${n % 5}`);
      expect(record && text(record)).toBe(expectedValue(n));
    }
    const next = await sut.append('ten_after', Buffer.from('after the crash'));
    expect(next.offset).toBe(BigInt(records.length));
    expect((await readAll(sut)).at(-1)?.value.toString('utf8')).toBe('after the crash');
  });

  it('refuses a second open of a folder that is still open, and allows it after close', async () => {
    const dir = await freshDir();
    const first = await FileEventLog.open({ dir });
    cleanup.push(() => first.close());

    await expect(FileEventLog.open({ dir })).rejects.toMatchObject({
      name: 'EventLogError',
      reason: 'event_log.unavailable',
      message: expect.stringContaining(`locked by pid ${process.pid}`),
    });

    await first.append('ten_aaaaaaaaaa', Buffer.from('still usable'));
    await first.close();
    const second = await openLog(dir);
    expect((await readAll(second)).map(text)).toEqual(['still usable']);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = await freshDir();
    const gone = spawn(process.execPath, ['-e', '']);
    const pid = gone.pid!;
    await withTimeout('a short-lived process to exit', new Promise((resolve) => gone.once('exit', resolve)), 10_000);
    await writeFile(join(dir, 'LOCK'), `${pid}\n`);

    const sut = await openLog(dir);

    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await sut.close();
    await expect(stat(join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('covers concurrent appends with one write and one fsync (group commit)', async () => {
    const sut = await openLog(await freshDir());
    const fileHandle = await open(fileURLToPath(import.meta.url), 'r');
    const prototype: object = Object.getPrototypeOf(fileHandle);
    await fileHandle.close();
    const write = vi.spyOn(prototype as { write: (...args: unknown[]) => unknown }, 'write');
    const datasync = vi.spyOn(prototype as { datasync: () => Promise<void> }, 'datasync');

    const positions = await Promise.all(Array.from({ length: 50 }, (_, i) => sut.append('ten_aaaaaaaaaa', Buffer.from(`r${i}`))));

    expect(positions.map((p) => p.offset)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
    expect(write).toHaveBeenCalledTimes(1);
    expect(datasync).toHaveBeenCalledTimes(1);
  });

  it('delivers to several subscriptions at once and lets a handler stop its own subscription', async () => {
    const sut = await openLog(await freshDir());
    for (let i = 0; i < 3; i++) await sut.append('ten_aaaaaaaaaa', Buffer.from(`r${i}`));
    const all: string[] = [];
    const firstOnly: string[] = [];
    let reachedEnd: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (reachedEnd = resolve));
    const everything = await sut.subscribe(new Map(), async (r) => {
      all.push(text(r));
      if (all.length === 4) reachedEnd();
    });
    const self = await sut.subscribe(new Map([[0, 1n]]), async (r) => {
      firstOnly.push(text(r));
      await withTimeout('stop from inside the handler', self.stop(), 1_000);
    });
    await sut.append('ten_aaaaaaaaaa', Buffer.from('r3'));
    await withTimeout('4 records', done, 5_000);
    await everything.stop();
    expect(all).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(firstOnly).toEqual(['r1']);
  });

  it('stops subscriptions on close, refuses use after close, and closes twice without error', async () => {
    const dir = await freshDir();
    const sut = await FileEventLog.open({ dir });
    await sut.append('ten_aaaaaaaaaa', Buffer.from('one'));
    const seen: string[] = [];
    await sut.subscribe(new Map(), async (r) => void seen.push(text(r)));
    const pending = sut.append('ten_aaaaaaaaaa', Buffer.from('queued before close'));

    await Promise.all([sut.close(), sut.close()]);

    await expect(pending).resolves.toEqual({ partition: 0, offset: 1n });
    await expect(sut.append('ten_aaaaaaaaaa', Buffer.from('x'))).rejects.toMatchObject({ reason: 'event_log.closed' });
    await expect(sut.subscribe(new Map(), async () => undefined)).rejects.toMatchObject({ reason: 'event_log.closed' });
    await expect(stat(join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
    const delivered = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(delivered);
  });
});
