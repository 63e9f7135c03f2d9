/**
 * Rows for `COPY … FROM STDIN WITH (FORMAT binary)`, written straight into buffers.
 *
 * The binary format (PostgreSQL docs, "COPY", "Binary Format"): a signature and two zero int32s,
 * then per row an int16 field count and, per field, an int32 byte length (-1 for NULL) followed by
 * the type's binary representation, then an int16 -1. Against text COPY it spares both sides work:
 * no escaping and no hex here, no parsing of timestamps, UUIDs and hex bytea in the server (about
 * a third of PostgreSQL's CPU per audit record, measured in src/audit/README.md, "Performance").
 *
 * Only the representations the callers need: text (and json, whose binary form is its text),
 * bigint, uuid, timestamptz and bytea. Chunks of about `chunkBytes` are handed out by `finish()`.
 * A writer without header encodes fields ahead of time (another thread can do it), which a row
 * writer then takes as they are (`raw`).
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;
const POSTGRES_EPOCH_MICROS_NUMBER = Number(POSTGRES_EPOCH_MICROS);
const TWO_TO_32 = 2 ** 32;

/** A safe integer as a big-endian int64 (two's complement), without a BigInt per value. */
const writeSafeInt64 = (buffer: Buffer, value: number, offset: number): number => {
  const high = Math.floor(value / TWO_TO_32);
  buffer.writeInt32BE(high, offset);
  return buffer.writeUInt32BE(value - high * TWO_TO_32, offset + 4);
};

const DASH = 0x2d;
/** Where each of a uuid's 16 bytes starts in its text (two hex digits; dashes at 8, 13, 18 and 23). */
const UUID_BYTE_STARTS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** Each ASCII code's value as a hex digit (either case), -1 for other characters. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, code) => {
  const digit = parseInt(String.fromCharCode(code), 16);
  return Number.isNaN(digit) ? -1 : digit;
});

export class BinaryCopyWriter {
  private readonly chunks: Buffer[] = [];
  private buffer: Buffer;
  private offset = 0;
  /** Bytes in `chunks`. */
  private flushed = 0;

  constructor(
    private readonly chunkBytes = 1 << 20,
    { header = true }: { header?: boolean } = {},
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    if (!header) return;
    this.offset = SIGNATURE.copy(this.buffer, 0);
    this.offset = this.buffer.writeInt32BE(0, this.offset); // flags
    this.offset = this.buffer.writeInt32BE(0, this.offset); // header extension length
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.offset;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.room(2);
    this.offset = this.buffer.writeInt16BE(fields, this.offset);
    return this;
  }

  /** A text or json value (UTF-8), or NULL. */
  text(value: string | null): this {
    if (value === null) return this.null();
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    this.room(4 + 3 * value.length);
    const length = this.buffer.write(value, this.offset + 4, 'utf8');
    this.buffer.writeInt32BE(length, this.offset);
    this.offset += 4 + length;
    return this;
  }

  /** A bytea value, or a text or json value already encoded as UTF-8. */
  bytes(value: Uint8Array): this {
    this.room(4 + value.length);
    this.offset = this.buffer.writeInt32BE(value.length, this.offset);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  /** A bigint value. */
  int64(value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    this.room(12);
    this.offset = this.buffer.writeInt32BE(8, this.offset);
    this.offset = writeSafeInt64(this.buffer, value, this.offset);
    return this;
  }

  /** A uuid value from its text form (any case). */
  uuid(value: string): this {
    // digit by digit: a third of the cost of a pattern test, a replace and a hex decode
    const dashes = value.charCodeAt(8) === DASH && value.charCodeAt(13) === DASH && value.charCodeAt(18) === DASH && value.charCodeAt(23) === DASH;
    if (value.length !== 36 || !dashes) throw new RangeError('not a UUID');
    this.room(20);
    const buffer = this.buffer;
    let at = buffer.writeInt32BE(16, this.offset);
    for (const i of UUID_BYTE_STARTS) {
      const high = HEX_VALUE[value.charCodeAt(i)] ?? -1;
      const low = HEX_VALUE[value.charCodeAt(i + 1)] ?? -1;
      if (high < 0 || low < 0) throw new RangeError('not a UUID');
      buffer[at++] = (high << 4) | low;
    }
    this.offset = at;
    return this;
  }

  /** A timestamptz value from milliseconds since the Unix epoch. */
  timestamptz(epochMs: number): this {
    if (!Number.isSafeInteger(epochMs)) throw new RangeError(`not a point in time: ${epochMs}`);
    this.room(12);
    this.offset = this.buffer.writeInt32BE(8, this.offset);
    const micros = epochMs * 1000 - POSTGRES_EPOCH_MICROS_NUMBER;
    // exact in a double up to about the year 2255; later times take the BigInt way
    this.offset = Number.isSafeInteger(epochMs * 1000)
      ? writeSafeInt64(this.buffer, micros, this.offset)
      : this.buffer.writeBigInt64BE(BigInt(epochMs) * 1000n - POSTGRES_EPOCH_MICROS, this.offset);
    return this;
  }

  /** Fields encoded ahead by a writer without header (`fields()`), appended as they are. */
  raw(encoded: Uint8Array): this {
    this.room(encoded.length);
    this.buffer.set(encoded, this.offset);
    this.offset += encoded.length;
    return this;
  }

  null(): this {
    this.room(4);
    this.offset = this.buffer.writeInt32BE(-1, this.offset);
    return this;
  }

  /** Ends the data and returns it as chunks to send in order. */
  finish(): Buffer[] {
    this.room(2);
    this.offset = this.buffer.writeInt16BE(-1, this.offset);
    this.chunks.push(this.buffer.subarray(0, this.offset));
    return this.chunks;
  }

  /** What a writer without header wrote, as one buffer (no trailer). */
  fields(): Buffer {
    const last = this.buffer.subarray(0, this.offset);
    return this.chunks.length === 0 ? last : Buffer.concat([...this.chunks, last]);
  }

  /** Makes room for `bytes` more: a field never spans two chunks (it may make a chunk larger). */
  private room(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    if (this.offset > 0) this.chunks.push(this.buffer.subarray(0, this.offset));
    this.flushed += this.offset;
    this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.offset = 0;
  }
}
