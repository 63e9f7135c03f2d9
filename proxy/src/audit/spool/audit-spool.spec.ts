import { spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, writeSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AuditEvent } from '@mcpgate/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidAuditEventError } from '../audit-emitter.js';
import { AuditSpool, PREZEROED_SEGMENT_OPEN_FLAGS, SEGMENT_OPEN_FLAGS, type AuditSpoolOptions, type SpoolFileSystem, type SpoolRecord } from './audit-spool.js';
import { AuditSpoolError, SpoolClosedError, SpoolFullError, SpoolWriteError } from './spool-errors.js';
import { seqOf, testEvent } from './test/audit-events.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgate-spool-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

interface LogLine {
  readonly level?: unknown;
  readonly message?: unknown;
}

const open = async (dir: string, options: Partial<AuditSpoolOptions> = {}) => {
  const lines: LogLine[] = [];
  const sut = await AuditSpool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 1024 * 1024, log: (line) => lines.push(line), ...options });
  cleanup.push(() => sut.close());
  return Object.assign(sut, { lines });
};

const readAll = async (spool: AuditSpool): Promise<SpoolRecord[]> => {
  const all: SpoolRecord[] = [];
  let cursor = spool.acknowledged();
  for (;;) {
    const records = await spool.readFrom(cursor, 1000);
    if (records.length === 0) return all;
    all.push(...records);
    cursor = records.at(-1)!.next;
  }
};

const segments = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();

/** A fresh spool that took `count` events one by one and was closed: the events, their records, and the path of its one segment. */
const closedSpoolWith = async (count: number) => {
  const dir = await freshDir();
  const spool = await open(dir, { segmentBytes: 64 * 1024 });
  const events = Array.from({ length: count }, (_, i) => testEvent(i));
  for (const event of events) await spool.emit(event);
  const records = await readAll(spool);
  await spool.close();
  const [file] = await segments(dir);
  return { dir, events, records, path: join(dir, file!) };
};

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Real files, with a count of the syncs that make segment writes durable and a hook to hold or
 * fail them. A sync is a write to a segment opened O_DSYNC (Linux, macOS), or an fdatasync.
 */
const shimFs = () => {
  const shim = {
    syncs: 0,
    /** The flags every segment file was opened with. */
    segmentFlags: [] as (string | number | undefined)[],
    /** Awaited inside each segment sync before it runs: hold it to let emits pile up. */
    beforeSync: async (_path: string): Promise<void> => {},
    /** Thrown from segment writes while set, after half the data reached the file. */
    failWrites: undefined as NodeJS.ErrnoException | undefined,
    /** Thrown from segment syncs while set, after the data reached the file (but not the disk, as far as the caller knows). */
    failSyncs: undefined as NodeJS.ErrnoException | undefined,
    /** How many of the syncs ran on the event loop (writeSync). */
    syncsOnLoop: 0,
    /** How many of the syncs were fdatasync calls on a segment. */
    datasyncs: 0,
    /** Runs inside each sync on the event loop, before the write (a busy wait makes it slow). */
    beforeSyncOnLoop: (): void => {},
  };
  const dsyncFds = new Set<number>();
  const fs: SpoolFileSystem = {
    ...fsp,
    open: async (path, flags, mode) => {
      const handle = await fsp.open(path, flags, mode);
      if (!String(path).endsWith('.seg')) return handle;
      shim.segmentFlags.push(flags);
      const syncsOnWrite = typeof flags === 'number' && (flags & fsConstants.O_DSYNC) !== 0;
      const datasync = handle.datasync.bind(handle);
      const write = handle.write.bind(handle) as (buffer: Buffer, offset: number, length: number, position: number) => Promise<{ bytesWritten: number; buffer: Buffer }>;
      const sync = async <T>(step: () => Promise<T>): Promise<T> => {
        await shim.beforeSync(String(path));
        shim.syncs++;
        const result = await step();
        if (shim.failSyncs) throw shim.failSyncs;
        return result;
      };
      handle.datasync = () => {
        shim.datasyncs++;
        return sync(datasync);
      };
      if (syncsOnWrite) dsyncFds.add(handle.fd);
      (handle as unknown as { write: typeof write }).write = async (buffer, offset, length, position) => {
        if (shim.failWrites) {
          // half the data reaches the file, as with a disk that fills up mid-write
          await write(buffer, offset, Math.floor(length / 2), position);
          throw shim.failWrites;
        }
        return syncsOnWrite ? sync(() => write(buffer, offset, length, position)) : write(buffer, offset, length, position);
      };
      return handle;
    },
    // the spool's writes on the event loop (writeMode 'adaptive'); a hold cannot apply to them
    writeSync: (fd, buffer, offset, length, position) => {
      if (!dsyncFds.has(fd)) return writeSync(fd, buffer, offset, length, position);
      if (shim.failWrites) {
        writeSync(fd, buffer, offset, Math.floor(length / 2), position);
        throw shim.failWrites;
      }
      shim.syncs++;
      shim.syncsOnLoop++;
      shim.beforeSyncOnLoop();
      const written = writeSync(fd, buffer, offset, length, position);
      if (shim.failSyncs) throw shim.failSyncs;
      return written;
    },
  };
  return { shim, fs };
};

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

describe(AuditSpool.name, () => {
  it('keeps emitted events in order and hands them out with cursors', async () => {
    const dir = await freshDir();
    const sut = await open(dir);
    const events = Array.from({ length: 5 }, (_, i) => testEvent(i));

    for (const event of events) await sut.emit(event);

    const records = await readAll(sut);
    expect(records.map((r) => r.event)).toEqual(events);
    expect(records.map((r) => JSON.parse(r.payload.toString('utf8')) as unknown)).toEqual(events);
    expect(records[0]!.cursor).toEqual({ segment: 1, offset: 0 });
    for (let i = 1; i < records.length; i++) expect(records[i]!.cursor).toEqual(records[i - 1]!.next);
    expect(await sut.readFrom(records.at(-1)!.next, 10)).toEqual([]);
    expect(await sut.readFrom(records[2]!.cursor, 2)).toEqual(records.slice(2, 4));
  });

  it('rejects an invalid event (InvalidAuditEventError) or one with no JSON form (NotJsonError) and spools nothing', async () => {
    const sut = await open(await freshDir());
    const invalid = { ...testEvent(1), eventId: 'not-a-uuid' } as AuditEvent;

    await expect(sut.emit(invalid)).rejects.toBeInstanceOf(InvalidAuditEventError);
    await expect(sut.emit(testEvent(2, { arguments: { n: 10n } }))).rejects.toMatchObject({ reason: 'audit.not_json' });
    expect(sut.depth().records).toBe(0);
    expect(await readAll(sut)).toEqual([]);
  });

  it('group commit: 200 concurrent emits go out in one synchronous write', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs });

    await Promise.all(Array.from({ length: 200 }, (_, i) => sut.emit(testEvent(i))));

    expect(shim.syncs).toBe(1);
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it.runIf(process.platform === 'linux')('opens segments O_DSYNC on Linux: each write is on disk when it returns, no separate fdatasync', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs });

    await sut.emit(testEvent(0));
    await sut.emit(testEvent(1));

    expect(shim.segmentFlags).toEqual([PREZEROED_SEGMENT_OPEN_FLAGS]);
    expect(PREZEROED_SEGMENT_OPEN_FLAGS & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
    expect(SEGMENT_OPEN_FLAGS & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
    expect(SEGMENT_OPEN_FLAGS & fsConstants.O_EXCL).toBe(fsConstants.O_EXCL);
    expect(shim.syncs).toBe(2);
    expect(shim.datasyncs).toBe(0);
  });

  it('writes into pre-zeroed segments of segmentBytes, prepares the next one ahead, and a reopen cuts the unused zeros without a warning', async () => {
    const dir = await freshDir();
    const first = await open(dir, { segmentBytes: 64 * 1024 });
    const events = Array.from({ length: 5 }, (_, i) => testEvent(i));
    for (const event of events) await first.emit(event);
    const records = await readAll(first);
    const [file] = await segments(dir);
    const path = join(dir, file!);

    // the writes overwrote zeros: the file had its full size from the start
    expect((await stat(path)).size).toBe(64 * 1024);
    await expect.poll(async () => (await readdir(dir)).includes('SPARE')).toBe(true);
    expect((await stat(join(dir, 'SPARE'))).size).toBe(64 * 1024);
    expect((await readFile(join(dir, 'SPARE'))).every((byte) => byte === 0)).toBe(true);
    await first.close();

    const sut = await open(dir, { segmentBytes: 64 * 1024 });

    expect((await readAll(sut)).map((r) => r.event)).toEqual(events);
    expect((await stat(path)).size).toBe(records.at(-1)!.next.offset);
    expect(sut.lines).toEqual([]);
  });

  it('prepares one spare at a time, never while one is ready, through many rolls', async () => {
    const dir = await freshDir();
    // a second spare written while one is ready could be renamed over it just as a roll takes it,
    // leaving the spool counting on a file that is gone (a later roll then fails with ENOENT)
    let preparations = 0;
    const startedWhileReady: number[] = [];
    const sut = await open(dir, {
      segmentBytes: 4096,
      fs: {
        ...fsp,
        writeSync,
        open: (async (path, flags, mode) => {
          if (String(path).endsWith('SPARE.tmp')) {
            preparations += 1;
            if (existsSync(join(dir, 'SPARE'))) startedWhileReady.push(preparations);
            // slow enough that rolls come while a spare is still being written
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
          return fsp.open(path, flags, mode);
        }) as SpoolFileSystem['open'],
      },
    });
    const events = Array.from({ length: 3_000 }, (_, i) => testEvent(i));

    for (let i = 0; i < events.length; i += 50) await Promise.all(events.slice(i, i + 50).map((event) => sut.emit(event)));

    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual(events.map((_, i) => i));
    expect((await segments(dir)).length).toBeGreaterThanOrEqual(400);
    expect(preparations).toBeGreaterThan(10);
    expect(startedWhileReady).toEqual([]);
    expect(sut.lines).toEqual([]);
  });

  it('falls back to segments that grow with their writes when no pre-zeroed one can be prepared', async () => {
    const dir = await freshDir();
    const { shim, fs } = shimFs();
    const full = errno('ENOSPC');
    const sut = await open(dir, {
      fs: { ...fs, open: (async (path, flags, mode) => (String(path).endsWith('SPARE.tmp') ? Promise.reject(full) : fs.open(path, flags, mode))) as SpoolFileSystem['open'] },
    });

    await sut.emit(testEvent(0));
    await sut.emit(testEvent(1));

    expect(shim.segmentFlags).toEqual([SEGMENT_OPEN_FLAGS]);
    expect(shim.syncs).toBe(2);
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 1]);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('pre-zeroed') }));
  });

  it('group commit: emits made while a synchronous write runs share the next one, and none resolves before its own', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs, writeMode: 'off-thread' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    let entered!: () => void;
    const inFirstSync = new Promise<void>((resolve) => (entered = resolve));
    shim.beforeSync = async () => {
      if (!holding) return;
      holding = false;
      entered();
      await held;
    };
    const resolved: number[] = [];
    const first = sut.emit(testEvent(0)).then(() => resolved.push(0));
    await inFirstSync;

    const later = Array.from({ length: 100 }, (_, i) => sut.emit(testEvent(i + 1)).then(() => resolved.push(i + 1)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toEqual([]);
    release();
    await Promise.all([first, ...later]);

    expect(shim.syncs).toBe(2);
    expect(resolved[0]).toBe(0);
    expect(resolved).toHaveLength(101);
  });

  it('tells its observer about every write and how long each event waited for it', async () => {
    const sut = await open(await freshDir());
    const writes: number[] = [];
    const waits: number[] = [];
    sut.observe({ wrote: (events) => writes.push(events), appended: (seconds) => waits.push(seconds) });

    await Promise.all(Array.from({ length: 50 }, (_, i) => sut.emit(testEvent(i))));
    await sut.emit(testEvent(50));
    await expect(sut.emit({ ...testEvent(51), eventId: 'not-a-uuid' })).rejects.toBeInstanceOf(InvalidAuditEventError);

    expect(writes).toEqual([50, 1]);
    expect(waits).toHaveLength(51);
    for (const seconds of waits) {
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThan(10);
    }
  });

  const busyWait = (ms: number) => () => {
    const until = performance.now() + ms;
    while (performance.now() < until); // a disk that took this long
  };

  it.runIf(process.platform === 'linux')('writes on the event loop while the disk is fast; a stalled write sends the next ones to libuv\'s pool, with a warning', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs });

    await sut.emit(testEvent(0));
    await Promise.all([sut.emit(testEvent(1)), sut.emit(testEvent(2))]);
    expect(shim.syncsOnLoop).toBe(2);
    expect(sut.lines).toEqual([]);

    shim.beforeSyncOnLoop = busyWait(25);
    await sut.emit(testEvent(3));
    await sut.emit(testEvent(4));
    await sut.emit(testEvent(5));

    expect(shim.syncsOnLoop).toBe(3);
    expect(shim.syncs).toBe(5);
    expect(sut.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^a spool write held the event loop for \d+\.\d ms \(over 20\); writing on libuv's thread pool for the next 30 s$/) })]);
    // the stall was 25 ms of busy waiting plus the write itself, which a loaded machine stretches
    expect(Number(/for (\d+\.\d) ms/.exec(String(sut.lines[0]!['message']))![1])).toBeGreaterThanOrEqual(25);
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.runIf(process.platform === 'linux')('moves writes off the event loop when even the fastest of 64 takes over 1 ms, not for slow writes among fast ones', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs });
    // a busy machine: every other write is descheduled for a while
    let n = 0;
    shim.beforeSyncOnLoop = () => (n % 2 === 0 ? busyWait(5)() : undefined);
    for (; n < 128; n++) await sut.emit(testEvent(n));
    expect(sut.lines).toEqual([]);
    expect(shim.syncsOnLoop).toBe(128);

    // a slow disk: every write takes 1.5 ms; the next window of 64 (writes 129 to 192) has no fast one
    shim.beforeSyncOnLoop = busyWait(1.5);
    while (sut.lines.length === 0 && n < 300) await sut.emit(testEvent(n++));

    expect(n).toBe(192);
    expect(sut.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^the fastest of 64 spool writes on the event loop took 1\.\d\d ms \(over 1\); writing on libuv's thread pool/) })]);
    const onLoop = shim.syncsOnLoop;
    await sut.emit(testEvent(n));
    expect(shim.syncsOnLoop).toBe(onLoop);
  });

  it('writeMode off-thread never writes on the event loop', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs, writeMode: 'off-thread' });

    await sut.emit(testEvent(0));
    await sut.emit(testEvent(1));

    expect(shim.syncsOnLoop).toBe(0);
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 1]);
  });

  it('groupCommitMs lets a batch wait for emits that arrive a little later', async () => {
    const { shim, fs } = shimFs();
    const sut = await open(await freshDir(), { fs, groupCommitMs: 30 });

    const emits = [sut.emit(testEvent(0))];
    await new Promise((resolve) => setTimeout(resolve, 5));
    emits.push(sut.emit(testEvent(1)), sut.emit(testEvent(2)));
    await Promise.all(emits);

    expect(shim.syncs).toBe(1);
  });

  it('rolls to a new segment at segmentBytes and reads across segments in order', async () => {
    const dir = await freshDir();
    const sut = await open(dir, { segmentBytes: 2048, maxBytes: 1024 * 1024 });
    const events = Array.from({ length: 40 }, (_, i) => testEvent(i));

    await Promise.all(events.map((event) => sut.emit(event)));

    const files = await segments(dir);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect((await stat(join(dir, file))).size).toBeLessThanOrEqual(2048);
    const records = await readAll(sut);
    expect(records.map((r) => r.event.eventId)).toEqual(events.map((e) => e.eventId));
    expect(new Set(records.map((r) => r.cursor.segment)).size).toBe(files.length);
  });

  it('a full spool rejects with SpoolFullError, and accepts again once shipped segments are freed', async () => {
    const dir = await freshDir();
    const rejected: string[] = [];
    const sut = await open(dir, { segmentBytes: 4096, maxBytes: 16 * 1024, onRejected: (reason) => rejected.push(reason) });
    let accepted = 0;
    let full: unknown;
    for (let i = 0; i < 1000 && !full; i++) {
      const result = await settle(sut.emit(testEvent(i)));
      if (result.ok) accepted++;
      else full = result.error;
    }

    expect(full).toBeInstanceOf(SpoolFullError);
    expect(full).toMatchObject({ code: 'UNAVAILABLE', reason: 'audit.spool_full' });
    expect(rejected).toEqual(['audit.spool_full']);
    expect(sut.usage().usedBytes).toBeLessThanOrEqual(16 * 1024);
    expect(sut.depth().records).toBe(accepted);
    const records = await readAll(sut);
    await sut.acknowledge(records.at(-1)!.next);
    await expect(sut.emit(testEvent(5000))).resolves.toBeUndefined();
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([5000]);
  });

  it('reopened, it keeps every event and resumes after the acknowledged position', async () => {
    const dir = await freshDir();
    const first = await AuditSpool.open({ dir, maxBytes: 1024 * 1024, segmentBytes: 4096, log: () => {} });
    const events = Array.from({ length: 60 }, (_, i) => testEvent(i));
    await Promise.all(events.map((event) => first.emit(event)));
    const records = await readAll(first);
    await first.acknowledge(records[24]!.next);
    await first.close();

    const sut = await open(dir, { segmentBytes: 4096, maxBytes: 1024 * 1024 });

    expect(sut.acknowledged()).toEqual(records[24]!.next);
    expect((await readAll(sut)).map((r) => r.event)).toEqual(events.slice(25));
    expect(sut.depth().records).toBe(35);
    await sut.emit(testEvent(60));
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual(Array.from({ length: 36 }, (_, i) => i + 25));
  });

  it('cuts a record torn mid-write off the last segment and keeps the records before it', async () => {
    const { dir, events, records, path } = await closedSpoolWith(10);
    // the last record loses its last 7 bytes, as if the crash came mid-write
    await truncate(path, records.at(-1)!.next.offset - 7);

    const sut = await open(dir);

    expect((await readAll(sut)).map((r) => r.event)).toEqual(events.slice(0, 9));
    expect((await stat(path)).size).toBe(records.at(-1)!.cursor.offset);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('torn tail') }));
    await sut.emit(testEvent(99));
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 99]);
  });

  it('cuts garbage written after the last record (past the unused zeros of its segment) and keeps every record', async () => {
    const { dir, events, records, path } = await closedSpoolWith(5);
    // a header that announces more than there is, then random bytes
    await appendFile(path, Buffer.concat([Buffer.from([0xa5, 0x01, 0x00, 0x00, 0x10, 0x00]), Buffer.from('garbage that never was a record')]));

    const sut = await open(dir);

    expect((await readAll(sut)).map((r) => r.event)).toEqual(events);
    expect((await stat(path)).size).toBe(records.at(-1)!.next.offset);
  });

  it('cuts a record torn mid-write in a pre-zeroed segment (its end still zeros) and keeps the records before it', async () => {
    const { dir, events, records, path } = await closedSpoolWith(10);
    // the last record's last 7 bytes never reached the disk: zeros there, as prepared
    const handle = await fsp.open(path, 'r+');
    await handle.write(Buffer.alloc(7), 0, 7, records.at(-1)!.next.offset - 7);
    await handle.close();

    const sut = await open(dir, { segmentBytes: 64 * 1024 });

    expect((await readAll(sut)).map((r) => r.event)).toEqual(events.slice(0, 9));
    expect((await stat(path)).size).toBe(records.at(-1)!.cursor.offset);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('torn tail') }));
  });

  it('refuses to open a segment damaged in the middle rather than skip the records after it', async () => {
    const dir = await freshDir();
    const first = await AuditSpool.open({ dir, maxBytes: 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} });
    for (let i = 0; i < 5; i++) await first.emit(testEvent(i));
    const records = await readAll(first);
    await first.close();
    const [file] = await segments(dir);
    const bytes = await readFile(join(dir, file!));
    const flipped = records[2]!.cursor.offset + 30;
    bytes.writeUInt8(bytes.readUInt8(flipped) ^ 0x01, flipped);
    await writeFile(join(dir, file!), bytes);

    const opening = AuditSpool.open({ dir, maxBytes: 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} });

    await expect(opening).rejects.toMatchObject({ name: 'AuditSpoolError', reason: 'audit.spool_corrupt' });
    await expect(opening).rejects.toThrow(`damaged at byte ${records[2]!.cursor.offset}`);
    expect(await readFile(join(dir, file!))).toEqual(bytes);
  });

  it('acknowledge deletes fully acknowledged segments and persists the position', async () => {
    const dir = await freshDir();
    const sut = await open(dir, { segmentBytes: 2048, maxBytes: 1024 * 1024 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => sut.emit(testEvent(i))));
    const files = await segments(dir);
    const records = await readAll(sut);
    const middle = records.findIndex((r) => r.cursor.segment === records[0]!.cursor.segment + 2);

    await sut.acknowledge(records[middle]!.cursor);

    expect(await segments(dir)).toEqual(files.slice(2));
    expect(JSON.parse(await readFile(join(dir, 'ACK'), 'utf8'))).toEqual({ version: 1, ...records[middle]!.cursor });
    expect((await readAll(sut)).map((r) => r.event.eventId)).toEqual(records.slice(middle).map((r) => r.event.eventId));
    await sut.acknowledge(records[middle]!.cursor);
    await expect(sut.acknowledge(records[0]!.cursor)).rejects.toBeInstanceOf(RangeError);
    await expect(sut.acknowledge({ segment: records[middle]!.cursor.segment, offset: records[middle]!.cursor.offset + 1 })).rejects.toThrow(/record boundary/);

    await sut.acknowledge(records.at(-1)!.next);
    // the newest segment stays: it is where the next events go
    expect(await segments(dir)).toEqual(files.slice(-1));
    expect(sut.depth()).toEqual({ records: 0, bytes: 0, oldestAgeMs: 0 });
  });

  it('depth counts unacknowledged records, their bytes and the age of the oldest', async () => {
    let now = 1_000_000;
    const sut = await open(await freshDir(), { segmentBytes: 2048, maxBytes: 1024 * 1024, now: () => now });
    expect(sut.depth()).toEqual({ records: 0, bytes: 0, oldestAgeMs: 0 });

    await sut.emit(testEvent(0));
    now += 500;
    await Promise.all(Array.from({ length: 20 }, (_, i) => sut.emit(testEvent(i + 1))));
    now += 1_000;
    const records = await readAll(sut);
    const bytes = (r: SpoolRecord) => r.next.offset - r.cursor.offset;

    expect(sut.depth()).toEqual({ records: 21, bytes: records.reduce((sum, r) => sum + bytes(r), 0), oldestAgeMs: 1_500 });
    await sut.acknowledge(records[0]!.next);
    expect(sut.depth()).toEqual({ records: 20, bytes: records.slice(1).reduce((sum, r) => sum + bytes(r), 0), oldestAgeMs: 1_000 });
    await sut.acknowledge(records.at(-1)!.next);
    expect(sut.depth()).toEqual({ records: 0, bytes: 0, oldestAgeMs: 0 });
  });

  it('a failed write rejects with SpoolWriteError, leaves no trace, and the spool carries on in a fresh segment', async () => {
    const dir = await freshDir();
    const { shim, fs } = shimFs();
    const rejected: string[] = [];
    const sut = await open(dir, { fs, onRejected: (reason) => rejected.push(reason) });
    await sut.emit(testEvent(0));
    shim.failWrites = errno('ENOSPC');

    const failed = await Promise.all([sut.emit(testEvent(1)), sut.emit(testEvent(2))].map(settle));
    shim.failWrites = undefined;
    await sut.emit(testEvent(3));

    expect(failed.map((r) => !r.ok && r.error)).toEqual([expect.any(SpoolWriteError), expect.any(SpoolWriteError)]);
    expect(failed[0]).toMatchObject({ error: { reason: 'audit.spool_write_failed', code: 'UNAVAILABLE', message: expect.stringContaining('ENOSPC') } });
    expect(rejected).toEqual(['audit.spool_write_failed', 'audit.spool_write_failed']);
    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 3]);
    expect(await segments(dir)).toHaveLength(2);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'AUDIT SPOOL WRITE FAILED' }));
    await sut.close();
    const reopened = await open(dir);
    expect((await readAll(reopened)).map((r) => seqOf(r.event))).toEqual([0, 3]);
  });

  it('a failed sync rejects with SpoolWriteError and the events are not delivered', async () => {
    const dir = await freshDir();
    const { shim, fs } = shimFs();
    const sut = await open(dir, { fs });
    await sut.emit(testEvent(0));
    shim.failSyncs = errno('EIO');

    await expect(sut.emit(testEvent(1))).rejects.toBeInstanceOf(SpoolWriteError);
    shim.failSyncs = undefined;
    await sut.emit(testEvent(2));

    expect((await readAll(sut)).map((r) => seqOf(r.event))).toEqual([0, 2]);
    await sut.close();
    expect((await readAll(await open(dir))).map((r) => seqOf(r.event))).toEqual([0, 2]);
  });

  it('emits racing close either land (and survive) or reject with SpoolClosedError', async () => {
    const dir = await freshDir();
    const sut = await AuditSpool.open({ dir, maxBytes: 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} });
    const before = Array.from({ length: 50 }, (_, i) => settle(sut.emit(testEvent(i))));
    const closing = sut.close();
    const after = Array.from({ length: 50 }, (_, i) => settle(sut.emit(testEvent(50 + i))));
    await closing;

    const results = await Promise.all([...before, ...after]);
    expect(results.slice(0, 50).every((r) => r.ok)).toBe(true);
    for (const r of results.slice(50)) expect(r).toEqual({ ok: false, error: expect.any(SpoolClosedError) });
    await expect(sut.readFrom({ segment: 0, offset: 0 }, 10)).rejects.toBeInstanceOf(SpoolClosedError);
    await expect(sut.acknowledge({ segment: 1, offset: 0 })).rejects.toBeInstanceOf(SpoolClosedError);
    const reopened = await open(dir);
    expect((await readAll(reopened)).map((r) => seqOf(r.event))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('refuses a second open of the same folder while it is open, in this process or another', async () => {
    const dir = await freshDir();
    await open(dir);

    await expect(AuditSpool.open({ dir, maxBytes: 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} })).rejects.toMatchObject({ reason: 'audit.spool_locked' });
    const other = spawn('sleep', ['30']);
    cleanup.push(async () => other.kill('SIGKILL'));
    const second = await freshDir();
    await writeFile(join(second, 'LOCK'), `${other.pid}\n`);
    await expect(AuditSpool.open({ dir: second, maxBytes: 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} })).rejects.toThrow(`held by pid ${other.pid}`);
  });

  it('validates its limits', async () => {
    const dir = await freshDir();
    await expect(AuditSpool.open({ dir, maxBytes: 4096, segmentBytes: 4096, log: () => {} })).rejects.toBeInstanceOf(RangeError);
    await expect(AuditSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 10, log: () => {} })).rejects.toBeInstanceOf(RangeError);
    const sut = await open(dir);
    const huge = testEvent(0, { arguments: { blob: 'x'.repeat(600 * 1024) } });
    await expect(sut.emit(huge)).rejects.toMatchObject({ reason: 'audit.event_too_large' });
    expect(AuditSpoolError.name).toBe('AuditSpoolError');
  });

  it('kill -9 while emitting and acknowledging loses no event whose emit resolved, and revives no acknowledged one', { timeout: 60_000 }, async () => {
    const dir = await freshDir();
    const script = fileURLToPath(new URL('./test/crash-writer.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const spoolDir = join(dir, 'spool');
    const child = spawn(process.execPath, ['--conditions=@mcpgate/source', '--import', tsx, script, spoolDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    const resolvedIds: string[] = [];
    const batches = new Map<number, string[]>();
    const acknowledgedBatches: number[] = [];
    let pending = '';
    let stderr = '';
    const take = (line: string) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'E') resolvedIds.push(a!);
      else if (kind === 'S') batches.set(Number(a), b!.split(','));
      else if (kind === 'A') acknowledgedBatches.push(Number(a));
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const enough = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) take(line);
        if (resolvedIds.length >= 3_000 && acknowledgedBatches.length >= 5) resolve();
      });
      child.once('exit', (code, signal) => reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)));
    });

    await enough;
    child.kill('SIGKILL');
    await exited;
    // lines already in the pipe were printed before the process died
    for (const line of pending.split('\n').filter((l) => l.split(' ').length >= 2)) take(line);
    expect(child.signalCode).toBe('SIGKILL');

    const sut = await open(spoolDir, { maxBytes: 512 * 1024 * 1024, segmentBytes: 64 * 1024 });
    const remaining = new Set((await readAll(sut)).map((r) => r.event.eventId));
    const handedToShipper = new Set([...batches.values()].flat());
    const lost = resolvedIds.filter((id) => !remaining.has(id) && !handedToShipper.has(id));
    expect(lost).toEqual([]);
    const revived = acknowledgedBatches.flatMap((batch) => batches.get(batch)!.filter((id) => remaining.has(id)));
    expect(revived).toEqual([]);
    expect(sut.depth().records).toBe(remaining.size);
    await sut.emit(testEvent(1));
    expect(sut.depth().records).toBe(remaining.size + 1);
  });
});
