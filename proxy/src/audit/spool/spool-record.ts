import { crc32 } from 'node:zlib';

/*
 * One spooled audit event, framed as (integers big-endian):
 *
 *   byte  size  field
 *   0     1     magic 0xA5
 *   1     1     format version, 1
 *   2     4     payload length n (u32, at most MAX_PAYLOAD_BYTES)
 *   6     8     appended at, ms since the epoch (u64)
 *   14    4     CRC-32 (zlib) of bytes 0–13, then the payload
 *   18    n     payload: the event as JSON, UTF-8
 */
const MAGIC = 0xa5;
const VERSION = 1;
const SIGNATURE = Buffer.from([MAGIC, VERSION]);
export const RECORD_HEADER_BYTES = 18;
/** Largest event JSON the spool takes; a produce batch of one such record still fits Kafka's default 1 MiB. */
export const MAX_PAYLOAD_BYTES = 512 * 1024;

const checksum = (head: Uint8Array, payload: Uint8Array): number => crc32(payload, crc32(head));

export const encodeRecord = (payload: Buffer, appendedAtMs: number): Buffer => {
  const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  frame.writeUInt8(MAGIC, 0);
  frame.writeUInt8(VERSION, 1);
  frame.writeUInt32BE(payload.length, 2);
  frame.writeBigUInt64BE(BigInt(Math.max(0, Math.trunc(appendedAtMs))), 6);
  payload.copy(frame, RECORD_HEADER_BYTES);
  frame.writeUInt32BE(checksum(frame.subarray(0, 14), payload), 14);
  return frame;
};

/** When a record whose header starts at `position` of `data` was appended. */
export const appendedAtOf = (data: Buffer, position = 0): number => Number(data.readBigUInt64BE(position + 6));

/** Total length of the intact record at `position` of `data`, or undefined if there is none there. */
export const intactRecordLength = (data: Buffer, position: number): number | undefined => {
  if (data.length - position < RECORD_HEADER_BYTES) return undefined;
  if (data[position] !== MAGIC || data[position + 1] !== VERSION) return undefined;
  const length = data.readUInt32BE(position + 2);
  if (length > MAX_PAYLOAD_BYTES || position + RECORD_HEADER_BYTES + length > data.length) return undefined;
  const payload = data.subarray(position + RECORD_HEADER_BYTES, position + RECORD_HEADER_BYTES + length);
  return checksum(data.subarray(position, position + 14), payload) === data.readUInt32BE(position + 14) ? RECORD_HEADER_BYTES + length : undefined;
};

/** Position of the first intact record strictly after `from`, or undefined: tells a torn tail from damage in the middle. */
export const nextIntactRecord = (data: Buffer, from: number): number | undefined => {
  for (let candidate = data.indexOf(SIGNATURE, from + 1); candidate >= 0; candidate = data.indexOf(SIGNATURE, candidate + 1)) {
    if (intactRecordLength(data, candidate) !== undefined) return candidate;
  }
  return undefined;
};
