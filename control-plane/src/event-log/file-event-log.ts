/**
 * The embedded EventLog: one partition stored in one append-only file, for single-process use.
 *
 * `<dir>/events.log` is a sequence of records, each framed as (integers big-endian):
 *
 *   byte  size  field
 *   0     1     magic 0xEB
 *   1     1     format version, 1
 *   2     2     key length k in bytes (u16)
 *   4     4     value length v in bytes (u32, at most MAX_RECORD_BYTES)
 *   8     4     CRC-32 (zlib) of bytes 0–7, then the key, then the value
 *   12    k     key, UTF-8
 *   12+k  v     value
 *
 * A record's offset is its index in the file. Appends are group-committed: whatever is queued while
 * one write + fdatasync is in flight goes out in the next single write + fdatasync, and an append
 * resolves only after the fdatasync that covers it. On open the whole file is validated: a damaged
 * tail with no valid record after it (a write cut short by a crash, never acknowledged) is cut off;
 * damage followed by valid records refuses to open. `<dir>/LOCK` (holding the owner's pid) keeps a
 * second process out.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { EventLogError, MAX_RECORD_BYTES } from './event-log.port.js';
import type { EventLog, LogCheckpoint, LogPosition, LogRecord, LogSubscription } from './event-log.port.js';

const MAGIC = 0xeb;
const VERSION = 1;
const SIGNATURE = Buffer.from([MAGIC, VERSION]);
const HEADER_BYTES = 12;
const MAX_KEY_BYTES = 0xffff;
const LOG_FILE = 'events.log';
const LOCK_FILE = 'LOCK';
/** Upper bound of one group-commit write; a single record always fits. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** How much a subscription reads from the file at once. */
const READ_BATCH_BYTES = 1024 * 1024;
/** Read-ahead window when validating the file on open. */
const SCAN_WINDOW_BYTES = 4 * 1024 * 1024;

interface PendingAppend {
  readonly frame: Buffer;
  readonly resolve: (position: LogPosition) => void;
  readonly reject: (error: unknown) => void;
}

type Handler = (record: LogRecord) => Promise<void>;

const encode = (key: Buffer, value: Buffer): Buffer => {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + key.length + value.length);
  frame.writeUInt8(MAGIC, 0);
  frame.writeUInt8(VERSION, 1);
  frame.writeUInt16BE(key.length, 2);
  frame.writeUInt32BE(value.length, 4);
  key.copy(frame, HEADER_BYTES);
  value.copy(frame, HEADER_BYTES + key.length);
  frame.writeUInt32BE(checksum(frame.subarray(0, 8), frame.subarray(HEADER_BYTES)), 8);
  return frame;
};

const checksum = (head: Buffer, body: Buffer): number => crc32(body, crc32(head));

/** Length of the body (key + value) a header announces, or undefined if the header cannot be a record's. */
const bodyLength = (header: Buffer): number | undefined => {
  if (header.readUInt8(0) !== MAGIC || header.readUInt8(1) !== VERSION) return undefined;
  const valueLength = header.readUInt32BE(4);
  if (valueLength > MAX_RECORD_BYTES) return undefined;
  return header.readUInt16BE(2) + valueLength;
};

/** Reads a file through a read-ahead window, so validating record after record costs few syscalls. */
class WindowReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
  ) {}

  /** The bytes [position, position + length), valid until the next call; the range must lie within the file. */
  async read(position: number, length: number): Promise<Buffer> {
    const from = position - this.windowStart;
    if (from < 0 || from + length > this.window.length) {
      const want = Math.min(Math.max(length, SCAN_WINDOW_BYTES), this.size - position);
      this.window = await readExactly(this.fh, position, want);
      this.windowStart = position;
      return this.window.subarray(0, length);
    }
    return this.window.subarray(from, from + length);
  }

  /** Position of the next magic + version pair at or after `from`: where a record could start. */
  async nextSignature(from: number): Promise<number | undefined> {
    for (let position = from; position + SIGNATURE.length <= this.size; ) {
      const chunk = await this.read(position, Math.min(SCAN_WINDOW_BYTES, this.size - position));
      const found = chunk.indexOf(SIGNATURE);
      if (found >= 0) return position + found;
      // Overlap by one byte so a pair split across two chunks is still found.
      position += chunk.length - 1;
    }
    return undefined;
  }
}

const readExactly = async (fh: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fh.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new EventLogError('event_log.corrupt', `event log ended early at byte ${position + filled}`);
    filled += bytesRead;
  }
  return buffer;
};

/** Total length of the valid record at `position`, or undefined if there is none there. */
const validRecordLength = async (reader: WindowReader, position: number, size: number): Promise<number | undefined> => {
  if (size - position < HEADER_BYTES) return undefined;
  const header = await reader.read(position, HEADER_BYTES);
  const length = bodyLength(header);
  if (length === undefined || position + HEADER_BYTES + length > size) return undefined;
  const expected = header.readUInt32BE(8);
  const headSum = crc32(header.subarray(0, 8));
  const body = await reader.read(position + HEADER_BYTES, length);
  return crc32(body, headSum) === expected ? HEADER_BYTES + length : undefined;
};

interface ScanResult {
  /** Byte position of each valid record, in order. */
  readonly starts: number[];
  /** Where the valid records end. */
  readonly end: number;
}

const scan = async (fh: FileHandle, path: string): Promise<ScanResult> => {
  const { size } = await fh.stat();
  const reader = new WindowReader(fh, size);
  const starts: number[] = [];
  let end = 0;
  for (let length = await validRecordLength(reader, 0, size); length !== undefined; ) {
    starts.push(end);
    end += length;
    length = await validRecordLength(reader, end, size);
  }
  if (end === size) return { starts, end };
  // A record cut short by a crash is the last thing in the file. If any valid record follows the
  // damage, the damage is not a torn tail, and cutting it off would lose acknowledged records.
  for (let candidate = await reader.nextSignature(end + 1); candidate !== undefined; candidate = await reader.nextSignature(candidate + 1)) {
    if ((await validRecordLength(reader, candidate, size)) !== undefined) {
      throw new EventLogError(
        'event_log.corrupt',
        `event log ${path} is damaged at byte ${end} (record ${starts.length}) and valid records follow at byte ${candidate}; refusing to open it rather than drop them`,
      );
    }
  }
  return { starts, end };
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Creates `<dir>/LOCK` holding this process's pid; takes over a lock whose process is gone. */
const acquireLock = async (path: string): Promise<void> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new EventLogError('event_log.unavailable', `cannot create the event log lock ${path}`, { cause: error });
      }
    }
    const content = await readFile(path, 'utf8').catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new EventLogError('event_log.unavailable', `cannot read the event log lock ${path}`, { cause: error });
    });
    if (content === undefined) continue;
    const pid = Number(content.trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) {
      throw new EventLogError('event_log.unavailable', `event log lock ${path} holds no pid; remove it if no process uses the log`);
    }
    if (isAlive(pid)) throw new EventLogError('event_log.unavailable', `event log ${path} is locked by pid ${pid}`);
    await unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
  throw new EventLogError('event_log.unavailable', `could not take the event log lock ${path}`);
};

const openLogFile = async (dir: string): Promise<FileHandle> => {
  const path = join(dir, LOG_FILE);
  try {
    return await open(path, 'r+');
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  const fh = await open(path, 'wx+');
  // The new file's directory entry must be durable too, or a crash could lose the whole file.
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
  return fh;
};

/** Marks the asynchronous context of a handler call, so that stop() called from inside it does not wait for itself. */
const insideHandler = new AsyncLocalStorage<FileSubscription>();

interface RecordSource {
  /** Number of durable records. */
  count(): number;
  /** Reads durable records from index `from` on (at least one, at most about READ_BATCH_BYTES). */
  read(from: number): Promise<LogRecord[]>;
  release(subscription: FileSubscription): void;
}

class FileSubscription implements LogSubscription {
  private stopped = false;
  private wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly source: RecordSource,
    from: number,
    handler: Handler,
    onError: ((error: unknown) => void) | undefined,
  ) {
    this.done = this.run(from, handler, onError);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp();
    return insideHandler.getStore() === this ? Promise.resolve() : this.done;
  }

  wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async run(from: number, handler: Handler, onError: ((error: unknown) => void) | undefined): Promise<void> {
    let next = from;
    try {
      while (!this.stopped) {
        if (next >= this.source.count()) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const records = await this.source.read(next);
        // one context for the whole chunk: entering it per record cost more than reading the record
        await insideHandler.run(this, async () => {
          for (const record of records) {
            if (this.stopped) return;
            await handler(record);
            next++;
          }
        });
      }
    } catch (error) {
      this.stopped = true;
      try {
        if (onError) onError(error);
        else console.error('event log subscription stopped:', error);
      } catch (reportError) {
        console.error('event log subscription: onError threw', reportError);
      }
    } finally {
      this.source.release(this);
    }
  }
}

export class FileEventLog implements EventLog {
  /** Byte position of each durable record; the index is the record's offset. */
  private readonly starts: number[];
  /** End of the durable records; the next write goes here. */
  private end: number;
  private readonly queue: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  /** Set when a write or fsync failed: what is on disk is unknown until the log is reopened and recovered. */
  private failure: EventLogError | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly subscriptions = new Set<FileSubscription>();
  private readonly source: RecordSource;

  private constructor(
    private readonly fh: FileHandle,
    private readonly path: string,
    private readonly lockPath: string,
    scanned: ScanResult,
  ) {
    this.starts = scanned.starts;
    this.end = scanned.end;
    this.source = {
      count: () => this.starts.length,
      read: (from) => this.readRecords(from),
      release: (subscription) => this.subscriptions.delete(subscription),
    };
  }

  /** Opens (creating if needed) the log in `dir`, validating it and cutting off a torn tail. */
  static async open(options: { dir: string }): Promise<FileEventLog> {
    const { dir } = options;
    await mkdir(dir, { recursive: true });
    const lockPath = join(dir, LOCK_FILE);
    await acquireLock(lockPath);
    const path = join(dir, LOG_FILE);
    let fh: FileHandle | undefined;
    try {
      fh = await openLogFile(dir);
      const scanned = await scan(fh, path);
      const { size } = await fh.stat();
      if (scanned.end < size) {
        await fh.truncate(scanned.end);
        await fh.datasync();
        console.warn(
          `event log ${path}: cut ${size - scanned.end} bytes of torn tail at byte ${scanned.end} (a write interrupted by a crash, never acknowledged); kept ${scanned.starts.length} records`,
        );
      }
      return new FileEventLog(fh, path, lockPath, scanned);
    } catch (error) {
      await fh?.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
      if (error instanceof EventLogError) throw error;
      throw new EventLogError('event_log.unavailable', `cannot open event log ${path}`, { cause: error });
    }
  }

  async partitions(): Promise<number> {
    return 1;
  }

  async partitionFor(_key: string): Promise<number> {
    return 0;
  }

  append(key: string, value: Buffer): Promise<LogPosition> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.failure) return Promise.reject(this.failure);
    if (value.length > MAX_RECORD_BYTES) {
      return Promise.reject(
        new EventLogError('event_log.too_large', `record of ${value.length} bytes exceeds the limit of ${MAX_RECORD_BYTES} bytes`),
      );
    }
    const keyBytes = Buffer.from(key, 'utf8');
    if (keyBytes.length > MAX_KEY_BYTES) {
      return Promise.reject(new EventLogError('event_log.too_large', `key of ${keyBytes.length} bytes exceeds ${MAX_KEY_BYTES} bytes`));
    }
    const frame = encode(keyBytes, value);
    return new Promise<LogPosition>((resolve, reject) => {
      this.queue.push({ frame, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async endOffsets(): Promise<ReadonlyMap<number, bigint>> {
    if (this.closed) throw this.closedError();
    return new Map([[0, BigInt(this.starts.length)]]);
  }

  async subscribe(from: LogCheckpoint, handler: Handler, onError?: (error: unknown) => void): Promise<LogSubscription> {
    if (this.closed) throw this.closedError();
    const offset = from.get(0) ?? 0n;
    if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`invalid checkpoint offset ${offset}`);
    const subscription = new FileSubscription(this.source, Number(offset), handler, onError);
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Lets queued appends finish, stops every subscription, closes the file and removes the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    try {
      await this.fh.close();
    } finally {
      await unlink(this.lockPath).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error;
      });
    }
  }

  private closedError(): EventLogError {
    return new EventLogError('event_log.closed', `event log ${this.path} is closed`);
  }

  /** Group commit: drains the queue, one write + one fdatasync per batch. Never rejects. */
  private async flush(): Promise<void> {
    // Appends made in the same tick as the first one join its batch instead of waiting a round.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        let bytes = 0;
        let count = 0;
        while (count < this.queue.length && (count === 0 || bytes + this.queue[count]!.frame.length <= MAX_BATCH_BYTES)) {
          bytes += this.queue[count]!.frame.length;
          count++;
        }
        const batch = this.queue.splice(0, count);
        if (this.failure) {
          for (const pending of batch) pending.reject(this.failure);
          continue;
        }
        await this.commit(batch, bytes);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async commit(batch: PendingAppend[], bytes: number): Promise<void> {
    const data = Buffer.concat(
      batch.map((pending) => pending.frame),
      bytes,
    );
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await this.fh.write(data, written, data.length - written, this.end + written);
        written += bytesWritten;
      }
      await this.fh.datasync();
    } catch (error) {
      this.failure = new EventLogError(
        'event_log.unavailable',
        `writing event log ${this.path} failed; reopen the log to recover`,
        { cause: error },
      );
      for (const pending of batch) pending.reject(this.failure);
      return;
    }
    let position = this.end;
    for (const pending of batch) {
      const offset = this.starts.length;
      this.starts.push(position);
      position += pending.frame.length;
      pending.resolve({ partition: 0, offset: BigInt(offset) });
    }
    this.end = position;
    for (const subscription of this.subscriptions) subscription.wakeUp();
  }

  private async readRecords(from: number): Promise<LogRecord[]> {
    const count = this.starts.length;
    const startOf = (index: number) => (index < count ? this.starts[index]! : this.end);
    const first = startOf(from);
    // The first record index at or beyond the read budget, found by binary search over the start positions.
    let low = from + 1;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (startOf(middle) - first >= READ_BATCH_BYTES) high = middle;
      else low = middle + 1;
    }
    const until = low;
    const data = await readExactly(this.fh, first, startOf(until) - first);
    const records: LogRecord[] = [];
    for (let index = from; index < until; index++) {
      const at = startOf(index) - first;
      const header = data.subarray(at, at + HEADER_BYTES);
      const length = bodyLength(header);
      const body = data.subarray(at + HEADER_BYTES, startOf(index + 1) - first);
      if (length !== body.length || checksum(header.subarray(0, 8), body) !== header.readUInt32BE(8)) {
        throw new EventLogError('event_log.corrupt', `event log ${this.path}: record ${index} at byte ${startOf(index)} is damaged`);
      }
      const keyLength = header.readUInt16BE(2);
      records.push({
        position: { partition: 0, offset: BigInt(index) },
        key: body.subarray(0, keyLength).toString('utf8'),
        value: Buffer.from(body.subarray(keyLength)),
      });
    }
    return records;
  }
}
