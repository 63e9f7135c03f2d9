import { constants as fsConstants, writeSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import type { AuditEvent } from '@mcpgate/contracts';
import { checkAuditEvent, type AuditEmitter } from '../audit-emitter.js';
import { NotJsonError } from '../audit-arguments.js';
import { AuditSpoolError, SpoolClosedError, SpoolFullError, SpoolWriteError } from './spool-errors.js';
import { MAX_PAYLOAD_BYTES, RECORD_HEADER_BYTES, appendedAtOf, encodeRecord, intactRecordLength, nextIntactRecord } from './spool-record.js';

/** The file operations the spool uses; tests pass a shim to count fsyncs or inject failures. */
export type SpoolFileSystem = Pick<typeof fsp, 'mkdir' | 'open' | 'readdir' | 'readFile' | 'rename' | 'unlink'> & {
  readonly writeSync: (fd: number, buffer: Buffer, offset: number, length: number, position: number) => number;
};

const nodeFileSystem: SpoolFileSystem = { ...fsp, writeSync };

/**
 * Where a batch's synchronous write runs. `adaptive` (default): on the event loop (`writeSync`)
 * while the disk is fast, which saves the two thread switches of libuv's pool per batch; a write
 * that stalls (over 20 ms), or a disk whose fastest write of the last 64 took over 1 ms, moves
 * the spool's writes to the pool for the next 30 s, so a slow or stalling disk holds up only the
 * calls waiting for their records, not the whole event loop. `off-thread`: always on libuv's pool.
 */
export type SpoolWriteMode = 'adaptive' | 'off-thread';
/** One write on the event loop slower than this (a stall) moves writes off it for OFF_THREAD_MS. */
const STALLED_WRITE_MS = 20;
/**
 * So does a window of SLOW_DISK_WINDOW writes none of which took less than this: a disk too slow
 * to wait for on the loop. The fastest write, not the average: on a busy machine the thread is
 * often descheduled in the middle of a write, which inflates averages but not the fastest one.
 */
const SLOW_DISK_MS = 1;
const SLOW_DISK_WINDOW = 64;
const OFF_THREAD_MS = 30_000;

/** A position in the spool: a segment and a byte offset in it. Cursors only ever point at record boundaries. */
export interface SpoolCursor {
  readonly segment: number;
  readonly offset: number;
}

export interface SpoolRecord {
  /** Where the record starts. */
  readonly cursor: SpoolCursor;
  /** Where the record after it starts: `acknowledge(record.next)` acknowledges this record and all before it. */
  readonly next: SpoolCursor;
  readonly appendedAtMs: number;
  /** The event's JSON exactly as spooled (UTF-8). */
  readonly payload: Buffer;
  /** The parsed payload (validated against the schema when it was emitted). */
  readonly event: AuditEvent;
}

export interface SpoolDepth {
  /** Durable records not yet acknowledged (shipped). */
  readonly records: number;
  /** Their bytes on disk, framing included. */
  readonly bytes: number;
  /** Age of the oldest of them, 0 when there is none. */
  readonly oldestAgeMs: number;
}

export interface AuditSpoolOptions {
  readonly dir: string;
  /**
   * Upper bound of the spool's segment files on disk plus what is being written. An emit that
   * would pass it fails with SpoolFullError. Must be at least 4 × segmentBytes, because the
   * acknowledged part of the segment being written is only freed once that segment is full.
   */
  readonly maxBytes: number;
  /** A segment is closed and a new one started once it holds this many bytes (1 KiB – 256 MiB). */
  readonly segmentBytes: number;
  /**
   * How long the first emit into an idle spool waits for others to join its write + fsync; 0
   * (default) means until the current turn of the event loop ends. While a write is in flight,
   * the next batch forms anyway and goes out as soon as it finishes.
   */
  readonly groupCommitMs?: number;
  /** Default `adaptive`; see SpoolWriteMode. Without O_DSYNC (not Linux or macOS) writes are always off-thread. */
  readonly writeMode?: SpoolWriteMode;
  readonly log: (line: Record<string, unknown>) => void;
  /** Called for each emit the spool refused (for an alarm counter). */
  readonly onRejected?: (reason: 'audit.spool_full' | 'audit.spool_write_failed') => void;
  readonly now?: () => number;
  readonly fs?: SpoolFileSystem;
}

const SEGMENT_NAME = /^(\d{20})\.seg$/;
const ACK_FILE = 'ACK';
const ACK_TMP_FILE = 'ACK.tmp';
const LOCK_FILE = 'LOCK';
const MIN_SEGMENT_BYTES = 1024;
const MAX_SEGMENT_BYTES = 256 * 1024 * 1024;
/** Upper bound of one group-commit write; a single record always fits. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_READ_BYTES = 1024 * 1024;
/**
 * Segments are opened O_DSYNC where the platform has it (Linux, macOS): each write returns once
 * its data, and the file size that makes it readable, are on disk, as fdatasync after it would.
 * One system call instead of two (on libuv's pool: 120–133 µs of CPU per batch on this machine
 * instead of 178–188 µs, and about 50 µs less latency), and one that can run on the event loop
 * (`README.md`, "Group commit, and where the write runs"). Elsewhere a write is followed by fdatasync.
 */
const DSYNC = fsConstants.O_DSYNC as number | undefined;
/** A segment created empty, growing with each write (when no pre-zeroed one is ready). */
export const SEGMENT_OPEN_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (DSYNC ?? 0);
/** A pre-zeroed segment (the spare, renamed): writes overwrite zeros already on disk. */
export const PREZEROED_SEGMENT_OPEN_FLAGS = fsConstants.O_WRONLY | (DSYNC ?? 0);
/**
 * The next segment, prepared ahead: `segmentBytes` of zeros written and fsync'd, so that the
 * writes into it change no file size or block allocation and each O_DSYNC write is a data flush
 * only, without a journal commit (on ext4 here: 0.088 ms at p50 and 39 µs of CPU per write against
 * 0.12–0.15 ms and 54–64 µs appending; README.md, "Pre-zeroed segments"). PostgreSQL prepares its
 * WAL segments the same way. Written as SPARE_TMP_FILE, renamed when complete.
 */
const SPARE_FILE = 'SPARE';
const SPARE_TMP_FILE = 'SPARE.tmp';
const ZERO_CHUNK_BYTES = 1024 * 1024;

const segmentName = (id: number) => `${String(id).padStart(20, '0')}.seg`;
const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;
const compare = (a: SpoolCursor, b: SpoolCursor): number => a.segment - b.segment || a.offset - b.offset;

/** Record start offsets of one segment, 4 bytes each. */
class OffsetIndex {
  #values = new Uint32Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = new Uint32Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length++] = value;
  }

  at(index: number): number {
    return this.#values[index]!;
  }

  /** How many records start before `offset`. */
  rank(offset: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#values[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

interface Segment {
  readonly id: number;
  readonly path: string;
  /** Bytes durably written (covered by an fsync). Nothing past this is ever read. */
  size: number;
  readonly starts: OffsetIndex;
  /** Open for appending: only the newest segment, and only once something was written to it since open. */
  handle: FileHandle | undefined;
}

interface PendingEmit {
  readonly frame: Buffer;
  /** `performance.now()` at emit, for the append latency. */
  readonly emittedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Told about every durable write (for metrics): the events it held, and how long each waited from its emit. */
export interface SpoolObserver {
  /** One event is durable, `seconds` after its emit: queueing, the write and its sync. */
  appended(seconds: number): void;
  /** One synchronous write made `events` events durable (events per write shows group commit at work). */
  wrote(events: number): void;
}

/** Spool folders this process has open: a lock holding our own pid is otherwise a previous incarnation's (containers reuse pids). */
const openHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
};

/**
 * The proxy's durable audit emitter: a local spool of checksummed records in segment files.
 * `emit` resolves only after the event's record is fsync'd; a background shipper reads records
 * (`readFrom`), sends them on and then `acknowledge`s them, which frees whole segments. See
 * README.md beside this file for the format and the durability argument.
 */
export class AuditSpool implements AuditEmitter {
  readonly dir: string;
  readonly #fs: SpoolFileSystem;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #groupCommitMs: number;
  readonly #writeMode: SpoolWriteMode;
  /** `performance.now()` until which writes stay off the event loop (after a stall or on a slow disk). */
  #offThreadUntil = 0;
  /** The fastest write on the event loop in the current window of SLOW_DISK_WINDOW (ms), and how many the window holds. */
  #fastestWriteMs = Infinity;
  #windowWrites = 0;
  readonly #log: (line: Record<string, unknown>) => void;
  readonly #onRejected: NonNullable<AuditSpoolOptions['onRejected']>;
  readonly #now: () => number;
  /** Every segment still on disk, oldest first; the last one is where appends go. */
  readonly #segments: Segment[];
  #ack: SpoolCursor;
  #nextSegmentId: number;
  #unackedRecords: number;
  #unackedBytes: number;
  #oldestAppendedAtMs: number | undefined;
  readonly #queue: PendingEmit[] = [];
  /** Bytes queued or being written, not yet on disk. */
  #pendingBytes = 0;
  #flushing: Promise<void> | undefined;
  #timer: { cancel(): void } | undefined;
  #acknowledging: Promise<void> = Promise.resolve();
  readonly #appendWaiters = new Set<() => void>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #observer: SpoolObserver | undefined;
  /** The spare being prepared; resolves to its path, or to undefined if that failed or the spool closed. */
  #spare: Promise<string | undefined> | undefined;
  /** The prepared spare's path, until a new segment takes it. */
  #spareReady: string | undefined;

  private constructor(
    options: AuditSpoolOptions,
    fs: SpoolFileSystem,
    recovered: { segments: Segment[]; ack: SpoolCursor; nextSegmentId: number; oldestAppendedAtMs: number | undefined },
  ) {
    this.dir = options.dir;
    this.#fs = fs;
    this.#maxBytes = options.maxBytes;
    this.#segmentBytes = options.segmentBytes;
    this.#groupCommitMs = options.groupCommitMs ?? 0;
    this.#writeMode = DSYNC === undefined ? 'off-thread' : (options.writeMode ?? 'adaptive');
    this.#log = options.log;
    this.#onRejected = options.onRejected ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#segments = recovered.segments;
    this.#ack = recovered.ack;
    this.#nextSegmentId = recovered.nextSegmentId;
    this.#oldestAppendedAtMs = recovered.oldestAppendedAtMs;
    this.#unackedRecords = 0;
    this.#unackedBytes = 0;
    for (const segment of this.#segments) {
      const [records, bytes] = this.#unackedIn(segment);
      this.#unackedRecords += records;
      this.#unackedBytes += bytes;
    }
  }

  /**
   * Opens (creating if needed) the spool in `dir`: takes its lock, recovers from a crash (cuts a
   * torn tail, keeps every intact record, drops segments that were fully acknowledged) and
   * resumes after the acknowledged position. Refuses a segment damaged in the middle rather than
   * skip records (AuditSpoolError `audit.spool_corrupt`).
   */
  static async open(options: AuditSpoolOptions): Promise<AuditSpool> {
    const { dir, maxBytes, segmentBytes, groupCommitMs = 0 } = options;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new RangeError(`segmentBytes must be an integer from ${MIN_SEGMENT_BYTES} to ${MAX_SEGMENT_BYTES}, got ${segmentBytes}`);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 4 * segmentBytes) throw new RangeError(`maxBytes must be an integer of at least 4 × segmentBytes (${4 * segmentBytes}), got ${maxBytes}`);
    if (!Number.isFinite(groupCommitMs) || groupCommitMs < 0 || groupCommitMs > 1_000) throw new RangeError(`groupCommitMs must be from 0 to 1000, got ${groupCommitMs}`);
    const fs = options.fs ?? nodeFileSystem;
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (error) {
      throw new AuditSpoolError('audit.spool_unavailable', `cannot create the audit spool folder ${dir}`, { cause: error });
    }
    const lockPath = join(dir, LOCK_FILE);
    const key = resolvePath(dir);
    if (openHere.has(key)) throw new AuditSpoolError('audit.spool_locked', `audit spool ${dir} is already open in this process`);
    openHere.add(key);
    try {
      await acquireLock(fs, lockPath);
    } catch (error) {
      openHere.delete(key);
      throw error;
    }
    try {
      const recovered = await recover(fs, dir, options.log);
      const spool = new AuditSpool(options, fs, recovered);
      // the first segment is a pre-zeroed one too: prepared before the first emit can need it
      await spool.#prepareSpare();
      return spool;
    } catch (error) {
      await fs.unlink(lockPath).catch(() => undefined);
      openHere.delete(key);
      if (error instanceof AuditSpoolError) throw error;
      throw new AuditSpoolError('audit.spool_unavailable', `cannot open the audit spool ${dir}`, { cause: error });
    }
  }

  /**
   * Appends the event; resolves once its record is fsync'd. Rejects with InvalidAuditEventError or
   * NotJsonError (proxy bugs), SpoolFullError, SpoolWriteError or SpoolClosedError: the event was
   * not accepted. Never throws synchronously.
   */
  emit(event: AuditEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new SpoolClosedError(this.dir));
    let checked: AuditEvent;
    try {
      checked = checkAuditEvent(event);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    let payload: Buffer;
    try {
      payload = Buffer.from(JSON.stringify(checked), 'utf8');
    } catch (error) {
      // `arguments` is free-form: a bigint or a cycle there passes the schema but has no JSON form
      return Promise.reject(new NotJsonError('event', `not serializable (${error instanceof Error ? error.message : String(error)})`));
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return Promise.reject(new AuditSpoolError('audit.event_too_large', `audit event of ${payload.length} bytes exceeds the spool's limit of ${MAX_PAYLOAD_BYTES} bytes`));
    }
    const frame = encodeRecord(payload, this.#now());
    if (this.#usedBytes() + frame.length > this.#maxBytes) {
      this.#onRejected('audit.spool_full');
      return Promise.reject(new SpoolFullError(this.dir, this.#maxBytes));
    }
    this.#pendingBytes += frame.length;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ frame, emittedAt: performance.now(), resolve, reject });
      this.#schedule();
    });
  }

  /** Reports each durable write and each event's append latency to `observer` (the proxy's metrics) from now on. */
  observe(observer: SpoolObserver): void {
    this.#observer = observer;
  }

  /** The acknowledged position: where a shipper starts after open. */
  acknowledged(): SpoolCursor {
    return this.#ack;
  }

  /**
   * Durable records from `from` on, in order: at most `maxRecords`, and at most about `maxBytes`
   * (always at least one record if there is one), all from one segment. Empty when there is
   * nothing after `from` yet.
   */
  async readFrom(from: SpoolCursor, maxRecords: number, maxBytes = DEFAULT_READ_BYTES): Promise<SpoolRecord[]> {
    if (this.#closed) throw new SpoolClosedError(this.dir);
    if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`);
    const at = this.#locate(from);
    if (!at) return [];
    const { segment, index } = at;
    const startOf = (i: number) => (i < segment.starts.length ? segment.starts.at(i) : segment.size);
    const first = startOf(index);
    let until = index + 1;
    while (until < segment.starts.length && until - index < maxRecords && startOf(until + 1) - first <= maxBytes) until++;
    const end = startOf(until);
    const data = await this.#readRange(segment, first, end);
    const records: SpoolRecord[] = [];
    for (let i = index; i < until; i++) {
      const at = startOf(i) - first;
      const length = intactRecordLength(data, at);
      if (length !== startOf(i + 1) - startOf(i)) {
        throw new AuditSpoolError('audit.spool_corrupt', `audit spool segment ${segment.path}: record at byte ${startOf(i)} is damaged`);
      }
      const payload = Buffer.from(data.subarray(at + RECORD_HEADER_BYTES, at + length));
      records.push({
        cursor: { segment: segment.id, offset: startOf(i) },
        next: { segment: segment.id, offset: startOf(i + 1) },
        appendedAtMs: appendedAtOf(data, at),
        payload,
        event: JSON.parse(payload.toString('utf8')) as AuditEvent,
      });
    }
    return records;
  }

  /**
   * Records everything before `cursor` as shipped: persists the position (write, fsync, atomic
   * rename, directory fsync) and then deletes the segments it leaves fully acknowledged.
   * Acknowledging the current position again is a no-op; going back is a RangeError.
   */
  acknowledge(cursor: SpoolCursor): Promise<void> {
    if (this.#closed) return Promise.reject(new SpoolClosedError(this.dir));
    const run = this.#acknowledging.then(() => this.#acknowledgeNow(cursor));
    this.#acknowledging = run.catch(() => undefined);
    return run;
  }

  depth(): SpoolDepth {
    const oldest = this.#oldestAppendedAtMs;
    return {
      records: this.#unackedRecords,
      bytes: this.#unackedBytes,
      oldestAgeMs: this.#unackedRecords > 0 && oldest !== undefined ? Math.max(0, this.#now() - oldest) : 0,
    };
  }

  /** Bytes the spool holds on disk or is writing, against its limit (for a fill-level gauge). */
  usage(): { usedBytes: number; maxBytes: number } {
    return { usedBytes: this.#usedBytes(), maxBytes: this.#maxBytes };
  }

  /** Resolves at the next durable append, at close, or after `timeoutMs`, whichever comes first. */
  waitForAppend(timeoutMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#appendWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#appendWaiters.add(done);
    });
  }

  /**
   * Stops taking events (later emits reject with SpoolClosedError), writes those already queued
   * (their emits settle as usual), lets a running acknowledge finish, closes files, releases the lock.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    if (this.#timer) {
      this.#timer.cancel();
      this.#timer = undefined;
      this.#flushing ??= this.#flush();
    }
    await this.#flushing;
    await this.#acknowledging;
    await this.#spare;
    for (const wake of [...this.#appendWaiters]) wake();
    const active = this.#segments.at(-1);
    await active?.handle?.close().catch(() => undefined);
    if (active) active.handle = undefined;
    await this.#fs.unlink(join(this.dir, LOCK_FILE)).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') this.#log({ level: 'warn', source: 'audit-spool', message: 'could not remove the spool lock', dir: this.dir, error: String(error) });
    });
    openHere.delete(resolvePath(this.dir));
  }

  #usedBytes(): number {
    let bytes = this.#pendingBytes;
    for (const segment of this.#segments) bytes += segment.size;
    return bytes;
  }

  /** [records, bytes] of `segment` not yet acknowledged. */
  #unackedIn(segment: Segment): [number, number] {
    if (segment.id < this.#ack.segment) return [0, 0];
    if (segment.id > this.#ack.segment) return [segment.starts.length, segment.size];
    const offset = Math.min(this.#ack.offset, segment.size);
    return [segment.starts.length - segment.starts.rank(offset), segment.size - offset];
  }

  /** The segment and record index a cursor points at, skipping ends of closed segments; undefined at the end of the spool. */
  #locate(cursor: SpoolCursor): { segment: Segment; index: number } | undefined {
    let offset = cursor.offset;
    let position = this.#segments.findIndex((s) => s.id >= cursor.segment);
    if (position < 0) return undefined;
    if (this.#segments[position]!.id !== cursor.segment) offset = 0;
    for (;;) {
      const segment = this.#segments[position]!;
      if (offset > segment.size) throw new RangeError(`cursor ${cursor.segment}:${cursor.offset} is past the end of the spool`);
      const index = segment.starts.rank(offset);
      if (index < segment.starts.length) {
        if (segment.starts.at(index) !== offset) throw new RangeError(`cursor ${cursor.segment}:${cursor.offset} is not at a record boundary`);
        return { segment, index };
      }
      if (offset !== segment.size) throw new RangeError(`cursor ${cursor.segment}:${cursor.offset} is not at a record boundary`);
      position++;
      if (position >= this.#segments.length) return undefined;
      offset = 0;
    }
  }

  async #readRange(segment: Segment, from: number, to: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(to - from);
    const fh = await this.#fs.open(segment.path, 'r');
    try {
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, from + filled);
        if (bytesRead === 0) throw new AuditSpoolError('audit.spool_corrupt', `audit spool segment ${segment.path} ended early at byte ${from + filled}`);
        filled += bytesRead;
      }
    } finally {
      await fh.close();
    }
    return buffer;
  }

  async #acknowledgeNow(cursor: SpoolCursor): Promise<void> {
    if (compare(cursor, this.#ack) < 0) throw new RangeError(`cannot acknowledge ${cursor.segment}:${cursor.offset}: ${this.#ack.segment}:${this.#ack.offset} is acknowledged already`);
    if (compare(cursor, this.#ack) === 0) return;
    const target = this.#segments.find((s) => s.id === cursor.segment);
    if (!target) throw new RangeError(`cannot acknowledge ${cursor.segment}:${cursor.offset}: no such segment`);
    const boundary = cursor.offset === target.size || (cursor.offset < target.size && target.starts.at(target.starts.rank(cursor.offset)) === cursor.offset);
    if (!boundary) throw new RangeError(`cannot acknowledge ${cursor.segment}:${cursor.offset}: not a record boundary of the durable records`);

    await this.#persistAck(cursor);
    let records = 0;
    let bytes = 0;
    for (const segment of this.#segments) {
      if (segment.id > cursor.segment) break;
      const [before, beforeBytes] = this.#unackedIn(segment);
      const after = segment.id < cursor.segment ? 0 : segment.starts.length - segment.starts.rank(cursor.offset);
      const afterBytes = segment.id < cursor.segment ? 0 : segment.size - cursor.offset;
      records += before - after;
      bytes += beforeBytes - afterBytes;
    }
    this.#ack = cursor;
    this.#unackedRecords -= records;
    this.#unackedBytes -= bytes;

    // whole segments behind the position are garbage now, except the one being appended to
    const newest = this.#segments.at(-1);
    const active = newest?.handle ? newest : undefined;
    const done = this.#segments.filter((s) => s !== active && (s.id < cursor.segment || (s.id === cursor.segment && cursor.offset === s.size)));
    for (const segment of done) {
      this.#segments.splice(this.#segments.indexOf(segment), 1);
      await this.#fs.unlink(segment.path).catch((error: unknown) => {
        // a later open deletes it, since it lies behind the persisted position
        if (errorCode(error) !== 'ENOENT') this.#log({ level: 'warn', source: 'audit-spool', message: 'could not delete an acknowledged spool segment', path: segment.path, error: String(error) });
      });
    }
    this.#oldestAppendedAtMs = this.#unackedRecords > 0 ? await this.#oldestUnackedTime() : undefined;
  }

  async #oldestUnackedTime(): Promise<number | undefined> {
    const at = this.#locate(this.#ack);
    if (!at) return undefined;
    const offset = at.segment.starts.at(at.index);
    try {
      return appendedAtOf(await this.#readRange(at.segment, offset, offset + RECORD_HEADER_BYTES));
    } catch {
      return this.#oldestAppendedAtMs;
    }
  }

  async #persistAck(cursor: SpoolCursor): Promise<void> {
    const tmp = join(this.dir, ACK_TMP_FILE);
    const fh = await this.#fs.open(tmp, 'w');
    try {
      await fh.writeFile(`${JSON.stringify({ version: 1, segment: cursor.segment, offset: cursor.offset })}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await this.#fs.rename(tmp, join(this.dir, ACK_FILE));
    await syncDirectory(this.#fs, this.dir);
  }

  #schedule(): void {
    // a running flush takes what is queued as soon as its fsync is done
    if (this.#flushing || this.#timer) return;
    const run = () => {
      this.#timer = undefined;
      this.#flushing = this.#flush();
    };
    if (this.#groupCommitMs > 0) {
      const timeout = setTimeout(run, this.#groupCommitMs);
      this.#timer = { cancel: () => clearTimeout(timeout) };
    } else {
      const immediate = setImmediate(run);
      this.#timer = { cancel: () => clearImmediate(immediate) };
    }
  }

  /** Group commit: one synchronous write (O_DSYNC) per batch, batch after batch until the queue is empty. Never rejects. */
  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const segment = await this.#writableSegment(this.#queue[0]!.frame.length);
        if (!segment) continue;
        let bytes = 0;
        let count = 0;
        while (count < this.#queue.length) {
          const length = this.#queue[count]!.frame.length;
          if (count > 0 && (bytes + length > MAX_BATCH_BYTES || segment.size + bytes + length > this.#segmentBytes)) break;
          bytes += length;
          count++;
        }
        await this.#commit(segment, this.#queue.splice(0, count), bytes);
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  /** The segment the next batch goes to: the newest, or a new one when it is full or was abandoned. Undefined (queue failed) if none can be created. */
  async #writableSegment(firstFrameBytes: number): Promise<Segment | undefined> {
    const newest = this.#segments.at(-1);
    if (newest?.handle && (newest.size === 0 || newest.size + firstFrameBytes <= this.#segmentBytes)) return newest;
    if (newest?.handle) {
      // full: every byte in it is fsync'd, so it is simply closed
      const handle = newest.handle;
      newest.handle = undefined;
      await handle.close().catch(() => undefined);
    }
    const id = this.#nextSegmentId++;
    const path = join(this.dir, segmentName(id));
    const spare = this.#spareReady;
    this.#spareReady = undefined;
    let handle: FileHandle | undefined;
    try {
      if (spare) await this.#fs.rename(spare, path);
      handle = await this.#fs.open(path, spare ? PREZEROED_SEGMENT_OPEN_FLAGS : SEGMENT_OPEN_FLAGS);
      // the new file's directory entry must be durable too, or a crash could lose the whole segment
      await syncDirectory(this.#fs, this.dir);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      if (handle) await this.#fs.unlink(path).catch(() => undefined);
      this.#failQueue(new SpoolWriteError(path, error));
      return undefined;
    }
    const segment: Segment = { id, path, size: 0, starts: new OffsetIndex(), handle };
    this.#segments.push(segment);
    void this.#prepareSpare();
    return segment;
  }

  /**
   * Writes the next segment's zeros in the background (SPARE_TMP_FILE, fsync'd, renamed to
   * SPARE_FILE). A failure only costs speed: the next segment is then created empty and grows.
   */
  #prepareSpare(): Promise<string | undefined> {
    // one spare at a time, and none while one is ready: a second one renamed over the first just
    // as a roll takes it would leave #spareReady naming a file that is gone
    if (this.#spareReady) return Promise.resolve(this.#spareReady);
    if (this.#spare) return this.#spare;
    const run = (async () => {
      const tmp = join(this.dir, SPARE_TMP_FILE);
      const ready = join(this.dir, SPARE_FILE);
      try {
        const handle = await this.#fs.open(tmp, 'w');
        try {
          const zeros = Buffer.alloc(Math.min(ZERO_CHUNK_BYTES, this.#segmentBytes));
          // synced a chunk at a time: one flush of the whole segment would hold up the appends'
          // syncs queued behind it (up to 19 ms measured, against 3 ms this way)
          for (let offset = 0; offset < this.#segmentBytes && !this.#closed; ) {
            const { bytesWritten } = await handle.write(zeros, 0, Math.min(zeros.length, this.#segmentBytes - offset), offset);
            offset += bytesWritten;
            await handle.datasync();
          }
        } finally {
          await handle.close();
        }
        if (this.#closed) {
          await this.#fs.unlink(tmp).catch(() => undefined);
          return undefined;
        }
        await this.#fs.rename(tmp, ready);
        this.#spareReady = ready;
        return ready;
      } catch (error) {
        await this.#fs.unlink(tmp).catch(() => undefined);
        this.#log({ level: 'warn', source: 'audit-spool', message: 'could not prepare a pre-zeroed spool segment; the next one grows with its writes instead (slower syncs)', dir: this.dir, error: String(error) });
        return undefined;
      }
    })();
    this.#spare = run;
    void run.finally(() => {
      if (this.#spare === run) this.#spare = undefined;
    });
    return run;
  }

  #failQueue(error: SpoolWriteError): void {
    const failed = this.#queue.splice(0);
    for (const pending of failed) {
      this.#pendingBytes -= pending.frame.length;
      this.#onRejected('audit.spool_write_failed');
      pending.reject(error);
    }
    this.#log({ level: 'error', source: 'audit-spool', message: 'AUDIT SPOOL WRITE FAILED', dir: this.dir, events: failed.length, error: error.message });
  }

  async #commit(segment: Segment, batch: PendingEmit[], bytes: number): Promise<void> {
    const handle = segment.handle!;
    const data = batch.length === 1 ? batch[0]!.frame : Buffer.concat(batch.map((pending) => pending.frame), bytes);
    try {
      if (this.#writeMode === 'adaptive' && performance.now() >= this.#offThreadUntil) this.#writeOnLoop(handle, data, segment);
      else {
        let written = 0;
        while (written < data.length) {
          const { bytesWritten } = await handle.write(data, written, data.length - written, segment.size + written);
          written += bytesWritten;
        }
        if (DSYNC === undefined) await handle.datasync();
      }
    } catch (error) {
      this.#pendingBytes -= bytes;
      const failure = new SpoolWriteError(segment.path, error);
      for (const pending of batch) {
        this.#onRejected('audit.spool_write_failed');
        pending.reject(failure);
      }
      this.#log({ level: 'error', source: 'audit-spool', message: 'AUDIT SPOOL WRITE FAILED', path: segment.path, events: batch.length, error: failure.message });
      await this.#abandon(segment);
      return;
    }
    if (this.#unackedRecords === 0) this.#oldestAppendedAtMs = appendedAtOf(data);
    let position = segment.size;
    for (const pending of batch) {
      segment.starts.push(position);
      position += pending.frame.length;
    }
    segment.size = position;
    this.#pendingBytes -= bytes;
    this.#unackedRecords += batch.length;
    this.#unackedBytes += bytes;
    for (const pending of batch) pending.resolve();
    const observer = this.#observer;
    if (observer) {
      const now = performance.now();
      observer.wrote(batch.length);
      for (const pending of batch) observer.appended((now - pending.emittedAt) / 1000);
    }
    for (const wake of [...this.#appendWaiters]) wake();
  }

  /** The batch's O_DSYNC write on the event loop; a stall, or a slow disk, sends the following writes to libuv's pool for a while. */
  #writeOnLoop(handle: FileHandle, data: Buffer, segment: Segment): void {
    const started = performance.now();
    let written = 0;
    while (written < data.length) written += this.#fs.writeSync(handle.fd, data, written, data.length - written, segment.size + written);
    const tookMs = performance.now() - started;
    this.#fastestWriteMs = Math.min(this.#fastestWriteMs, tookMs);
    this.#windowWrites += 1;
    let why: string | undefined;
    if (tookMs > STALLED_WRITE_MS) why = `a spool write held the event loop for ${tookMs.toFixed(1)} ms (over ${STALLED_WRITE_MS})`;
    else if (this.#windowWrites === SLOW_DISK_WINDOW) {
      if (this.#fastestWriteMs > SLOW_DISK_MS) why = `the fastest of ${SLOW_DISK_WINDOW} spool writes on the event loop took ${this.#fastestWriteMs.toFixed(2)} ms (over ${SLOW_DISK_MS})`;
      this.#fastestWriteMs = Infinity;
      this.#windowWrites = 0;
    }
    if (why === undefined) return;
    this.#offThreadUntil = performance.now() + OFF_THREAD_MS;
    this.#fastestWriteMs = Infinity;
    this.#windowWrites = 0;
    this.#log({ level: 'warn', source: 'audit-spool', message: `${why}; writing on libuv's thread pool for the next ${OFF_THREAD_MS / 1000} s`, path: segment.path, bytes: data.length });
  }

  /**
   * After a failed write or fsync nothing past the last good fsync can be trusted (a failed fsync
   * may have dropped pages), so the segment is cut back there and closed; the next batch starts a
   * new segment. If the cut fails too, the reader still never reads past `size`, and a reopen
   * treats whatever lies beyond as a torn tail or as records (at worst, an event whose emit was
   * rejected is shipped anyway: never one that was accepted is lost).
   */
  async #abandon(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = undefined;
    try {
      await handle?.truncate(segment.size);
    } catch (error) {
      this.#log({ level: 'warn', source: 'audit-spool', message: 'could not cut a failed write off a spool segment', path: segment.path, error: String(error) });
    }
    await handle?.close().catch(() => undefined);
    if (segment.size === 0) {
      this.#segments.splice(this.#segments.indexOf(segment), 1);
      await this.#fs.unlink(segment.path).catch(() => undefined);
    }
  }
}

const syncDirectory = async (fs: SpoolFileSystem, dir: string): Promise<void> => {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Creates `LOCK` holding this process's pid; takes over a lock whose process is gone. */
const acquireLock = async (fs: SpoolFileSystem, path: string): Promise<void> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const handle = await fs.open(path, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw new AuditSpoolError('audit.spool_unavailable', `cannot create the audit spool lock ${path}`, { cause: error });
    }
    const content = await fs.readFile(path, 'utf8').catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new AuditSpoolError('audit.spool_unavailable', `cannot read the audit spool lock ${path}`, { cause: error });
    });
    if (content === undefined) continue;
    const pid = Number(content.trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) {
      throw new AuditSpoolError('audit.spool_locked', `audit spool lock ${path} holds no pid; remove it if no process uses the spool`);
    }
    // our own pid: a previous incarnation's lock (open() checked that this process does not hold it)
    if (pid !== process.pid && isAlive(pid)) {
      throw new AuditSpoolError('audit.spool_locked', `audit spool lock ${path} is held by pid ${pid}; each proxy process needs its own spool folder`);
    }
    await fs.unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
  throw new AuditSpoolError('audit.spool_locked', `could not take the audit spool lock ${path}`);
};

const readAck = async (fs: SpoolFileSystem, dir: string, log: AuditSpoolOptions['log']): Promise<SpoolCursor> => {
  let text: string;
  try {
    text = await fs.readFile(join(dir, ACK_FILE), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { segment: 0, offset: 0 };
    throw error;
  }
  try {
    const value = JSON.parse(text) as { version?: unknown; segment?: unknown; offset?: unknown };
    if (value.version === 1 && Number.isSafeInteger(value.segment) && Number.isSafeInteger(value.offset) && (value.segment as number) >= 0 && (value.offset as number) >= 0) {
      return { segment: value.segment as number, offset: value.offset as number };
    }
  } catch {
    // fall through
  }
  // written with fsync + atomic rename, so this is damage: ship everything again rather than lose anything
  log({ level: 'warn', source: 'audit-spool', message: 'unreadable acknowledged position; every spooled event will be shipped again (downstream dedupes by event id)', dir });
  return { segment: 0, offset: 0 };
};

const ZEROS = Buffer.alloc(64 * 1024);

/** Whether every byte of `data` from `from` on is zero. */
const isZeroFilled = (data: Buffer, from: number): boolean => {
  for (let at = from; at < data.length; at += ZEROS.length) {
    const chunk = data.subarray(at, Math.min(data.length, at + ZEROS.length));
    if (chunk.compare(ZEROS, 0, chunk.length) !== 0) return false;
  }
  return true;
};

const readWhole = async (fs: SpoolFileSystem, path: string): Promise<{ handle: FileHandle; data: Buffer }> => {
  const handle = await fs.open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const data = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { handle, data: data.subarray(0, filled) };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
};

/** Validates every segment still needed, cuts torn tails, drops acknowledged and empty segments. */
const recover = async (
  fs: SpoolFileSystem,
  dir: string,
  log: AuditSpoolOptions['log'],
): Promise<{ segments: Segment[]; ack: SpoolCursor; nextSegmentId: number; oldestAppendedAtMs: number | undefined }> => {
  for (const leftover of [ACK_TMP_FILE, SPARE_TMP_FILE, SPARE_FILE]) {
    await fs.unlink(join(dir, leftover)).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
  let ack = await readAck(fs, dir, log);
  const ids = (await fs.readdir(dir))
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  let oldestAppendedAtMs: number | undefined;
  for (const id of ids) {
    const path = join(dir, segmentName(id));
    if (id < ack.segment) {
      await fs.unlink(path);
      continue;
    }
    const { handle, data } = await readWhole(fs, path);
    try {
      const starts = new OffsetIndex();
      let end = 0;
      for (let length = intactRecordLength(data, 0); length !== undefined; length = intactRecordLength(data, end)) {
        starts.push(end);
        end += length;
      }
      if (end < data.length) {
        // zeros only: the unused end of a pre-zeroed segment, which is not written again. Anything
        // else: appends are acknowledged only after their fsync, and nothing is written after a
        // failed one, so damage with no intact record after it is a write cut short, never acknowledged
        const torn = !isZeroFilled(data, end);
        const next = torn ? nextIntactRecord(data, end) : undefined;
        if (next !== undefined) {
          throw new AuditSpoolError(
            'audit.spool_corrupt',
            `audit spool segment ${path} is damaged at byte ${end} and intact records follow at byte ${next}; refusing to open rather than skip them (move the file aside to start without its events)`,
          );
        }
        await handle.truncate(end);
        await handle.datasync();
        if (torn) log({ level: 'warn', source: 'audit-spool', message: 'cut a torn tail off a spool segment (a write interrupted by a crash, never acknowledged)', path, atByte: end, bytes: data.length - end, keptRecords: starts.length });
      }
      if (starts.length === 0) {
        await fs.unlink(path);
        continue;
      }
      let firstUnacked = 0;
      if (id === ack.segment) {
        // the position must be a record boundary; if it is not (damage), go back to one: a re-sent event is harmless, a skipped one is not
        const offset = Math.min(ack.offset, end);
        const index = starts.rank(offset);
        const boundary = index < starts.length ? starts.at(index) : end;
        const safe = boundary === offset ? offset : index > 0 ? starts.at(index - 1) : 0;
        if (safe !== ack.offset) {
          log({ level: 'warn', source: 'audit-spool', message: 'acknowledged position is not a record boundary; resuming from the one before it', path, acknowledged: ack.offset, resumeAt: safe });
          ack = { segment: id, offset: safe };
        }
        firstUnacked = starts.rank(safe);
        if (firstUnacked === starts.length) {
          // fully acknowledged; the crash came before its deletion
          await fs.unlink(path);
          continue;
        }
      }
      oldestAppendedAtMs ??= appendedAtOf(data, starts.at(firstUnacked));
      segments.push({ id, path, size: end, starts, handle: undefined });
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  // a new segment always gets an id past every existing one and past the acknowledged position
  const nextSegmentId = Math.max(ack.segment, ids.at(-1) ?? 0) + 1;
  return { segments, ack, nextSegmentId, oldestAppendedAtMs };
};
