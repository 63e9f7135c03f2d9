import type { EventLog, LogCheckpoint, LogRecord, LogSubscription } from '../event-log/event-log.port.js';

/** partition (u32), offset (f64: a safe integer), key length (u16), value length (u32); then key and value. */
const HEADER_BYTES = 18;
/** A pack is sent once it holds this much. */
export const PACK_BYTES = 1024 * 1024;

/**
 * Log records packed into one buffer, to be handed to another thread by transfer (no copy): one
 * message and one allocation per pack, not per record, and each record's bytes copied once.
 */
export class RecordPacker {
  private pack: Buffer | undefined;
  private used = 0;
  private count = 0;

  /** Adds a record; true once the pack is large enough to be sent. */
  add({ position, key, value }: LogRecord): boolean {
    // room for the key at its longest in UTF-8 (3 bytes per UTF-16 unit), so it is encoded once, in place
    const bytes = HEADER_BYTES + 3 * key.length + value.length;
    if (!this.pack || this.used + bytes > this.pack.length) this.grow(bytes);
    const pack = this.pack!;
    const start = this.used;
    const keyBytes = pack.write(key, start + HEADER_BYTES, 'utf8');
    pack.writeUInt32LE(position.partition, start);
    pack.writeDoubleLE(Number(position.offset), start + 4);
    pack.writeUInt16LE(keyBytes, start + 12);
    pack.writeUInt32LE(value.length, start + 14);
    let at = start + HEADER_BYTES + keyBytes;
    at += value.copy(pack, at);
    this.used = at;
    this.count += 1;
    return this.used >= PACK_BYTES;
  }

  get size(): number {
    return this.count;
  }

  /** The records added since the last take, as a view of a buffer of their own (transferable). */
  take(): Uint8Array {
    const taken = new Uint8Array(this.pack?.buffer ?? new ArrayBuffer(0), 0, this.used);
    this.pack = undefined;
    this.used = 0;
    this.count = 0;
    return taken;
  }

  /** A larger buffer of its own (never a slice of Node's shared pool, so it can be transferred). */
  private grow(bytes: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(PACK_BYTES + 64 * 1024, 2 * (this.used + bytes)));
    this.pack?.copy(next, 0, 0, this.used);
    this.pack = next;
  }
}

/** The records of a pack, in the order they were added. */
export function* unpackRecords(pack: Uint8Array): Generator<LogRecord> {
  const buffer = Buffer.from(pack.buffer, pack.byteOffset, pack.byteLength);
  let at = 0;
  while (at < buffer.length) {
    const partition = buffer.readUInt32LE(at);
    const offset = BigInt(buffer.readDoubleLE(at + 4));
    const keyEnd = at + HEADER_BYTES + buffer.readUInt16LE(at + 12);
    const valueEnd = keyEnd + buffer.readUInt32LE(at + 14);
    yield { position: { partition, offset }, key: buffer.toString('utf8', at + HEADER_BYTES, keyEnd), value: buffer.subarray(keyEnd, valueEnd) };
    at = valueEnd;
  }
}

/**
 * An EventLog that delivers the records another thread reads from the real log and hands over in
 * packs (`deliver`), so a LogApplier and a Projector run unchanged on a share of the log. It ends
 * with `end()`: from then on `endOffsets` is what was delivered (the next offset after the last
 * record of each partition), so catching up means having handled every record handed over.
 * Read-only: appending is refused.
 */
export class ChannelEventLog implements EventLog {
  private readonly packs: Uint8Array[] = [];
  private handler: ((record: LogRecord) => Promise<void>) | undefined;
  private onError: ((error: unknown) => void) | undefined;
  private draining = false;
  private readonly delivered = new Map<number, bigint>();
  private ended = false;
  private failure: unknown;
  private readonly endWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  /**
   * @param onPackHandled called once every record of a pack has been handled (the sender's
   *   backpressure: it keeps only a few packs in flight), with the number of records it held
   */
  constructor(private readonly onPackHandled: (records: number) => void) {}

  deliver(pack: Uint8Array): void {
    this.packs.push(pack);
    void this.drain();
  }

  /** No more packs will come; `endOffsets` resolves once those delivered are handled. */
  end(): void {
    this.ended = true;
    void this.drain();
  }

  async partitions(): Promise<number> {
    return Math.max(1, this.delivered.size);
  }

  async partitionFor(): Promise<number> {
    throw new Error('a channel log only delivers what it is handed');
  }

  async append(): Promise<never> {
    throw new Error('a channel log is read-only');
  }

  /** What was delivered, once everything handed over has been handled; rejects if a record's handler failed. */
  async endOffsets(): Promise<ReadonlyMap<number, bigint>> {
    if (this.failure) throw this.failure;
    if (!this.ended || this.draining || this.packs.length) await new Promise<void>((resolve, reject) => this.endWaiters.push({ resolve, reject }));
    return new Map(this.delivered);
  }

  async subscribe(from: LogCheckpoint, handler: (record: LogRecord) => Promise<void>, onError?: (error: unknown) => void): Promise<LogSubscription> {
    if (this.handler) throw new Error('a channel log has one subscriber');
    if ([...from.values()].some((offset) => offset > 0n)) throw new Error('a channel log delivers from the beginning only');
    this.handler = handler;
    this.onError = onError;
    void this.drain();
    return {
      stop: async () => {
        this.handler = undefined;
      },
    };
  }

  async close(): Promise<void> {
    this.handler = undefined;
  }

  private async drain(): Promise<void> {
    if (this.draining || !this.handler) return;
    this.draining = true;
    try {
      while (this.packs.length && this.handler) {
        const pack = this.packs.shift()!;
        let records = 0;
        for (const record of unpackRecords(pack)) {
          await this.handler(record);
          this.delivered.set(record.position.partition, record.position.offset + 1n);
          records += 1;
        }
        this.onPackHandled(records);
      }
    } catch (error) {
      this.handler = undefined;
      this.failure = error;
      this.onError?.(error);
      this.endWaiters.splice(0).forEach(({ reject }) => reject(error));
    } finally {
      this.draining = false;
    }
    if (this.ended && !this.packs.length) this.endWaiters.splice(0).forEach(({ resolve }) => resolve());
  }
}
