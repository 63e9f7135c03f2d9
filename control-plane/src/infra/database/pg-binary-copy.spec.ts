import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from './pg-binary-copy.js';

const row = (w: BinaryCopyWriter) =>
  w.row(6).text('añ').int64(1).uuid('00000000-0000-0000-0000-0000000000FF').timestamptz(Date.UTC(2000, 0, 1, 0, 0, 0, 1)).null().bytes(Buffer.from([1, 2]));

describe(BinaryCopyWriter.name, () => {
  it('writes the signature, header, fields with their lengths, and the trailer of PostgreSQL’s binary COPY format', () => {
    const bytes = Buffer.concat(row(new BinaryCopyWriter()).finish()).toString('hex');
    expect(bytes).toBe(
      [
        Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1').toString('hex'),
        '00000000', // flags
        '00000000', // header extension
        '0006', // fields
        '00000003' + '61c3b1', // text, UTF-8
        '00000008' + '0000000000000001', // bigint
        '00000010' + '000000000000000000000000000000ff', // uuid
        '00000008' + '00000000000003e8', // timestamptz: 1 ms after 2000-01-01, in µs
        'ffffffff', // NULL
        '00000002' + '0102', // bytea
        'ffff', // trailer
      ].join(''),
    );
  });

  it('splits long data into chunks at field boundaries that join up to the same bytes', () => {
    const whole = Buffer.concat(Array.from({ length: 50 }, () => 0).reduce((w) => row(w), new BinaryCopyWriter()).finish());
    const chunks = Array.from({ length: 50 }, () => 0).reduce((w) => row(w), new BinaryCopyWriter(64)).finish();
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks)).toEqual(whole);
  });

  it('takes fields encoded ahead by a writer without header as they are, across chunks', () => {
    const ahead = new BinaryCopyWriter(16, { header: false });
    ahead.text('añ').int64(1).uuid('00000000-0000-0000-0000-0000000000FF');
    const middle = ahead.length;
    ahead.timestamptz(Date.UTC(2000, 0, 1, 0, 0, 0, 1)).null().bytes(Buffer.from([1, 2]));
    const fields = ahead.fields();
    expect(fields.length).toBe(ahead.length);
    const spliced = new BinaryCopyWriter().row(6).raw(fields.subarray(0, middle)).raw(fields.subarray(middle)).finish();
    expect(Buffer.concat(spliced)).toEqual(Buffer.concat(row(new BinaryCopyWriter()).finish()));
  });

  it('writes a uuid’s 16 bytes from its text in either case', () => {
    const id = 'a1B2c3D4-e5F6-4789-8abc-DEF012345678';
    const fields = new BinaryCopyWriter(64, { header: false }).uuid(id).fields();
    expect(fields.toString('hex')).toBe(`00000010${id.replaceAll('-', '').toLowerCase()}`);
  });

  it('writes bigints and times as PostgreSQL’s two’s complement int64, negative and far ones too', () => {
    const int64 = (value: number) => new BinaryCopyWriter(64, { header: false }).int64(value).fields().subarray(4);
    const micros = (ms: number) => new BinaryCopyWriter(64, { header: false }).timestamptz(ms).fields().subarray(4);
    const reference = (value: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(value);
      return b;
    };
    for (const value of [0, 1, -1, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_234_567_890_123]) expect(int64(value)).toEqual(reference(BigInt(value)));
    for (const ms of [0, Date.UTC(2000, 0, 1), Date.UTC(1970, 0, 1, 0, 0, 0, 1), Date.UTC(1900, 0, 1), Date.UTC(2026, 10, 26, 22, 0, 0, 123), Date.UTC(9999, 11, 31, 23, 59, 59, 999), -62_167_219_200_000])
      expect(micros(ms)).toEqual(reference(BigInt(ms) * 1000n - 946_684_800_000_000n));
  });

  it('refuses what it cannot represent', () => {
    expect(() => new BinaryCopyWriter().uuid('not-a-uuid')).toThrow(RangeError);
    const id = '00000000-0000-4000-8000-000000000001';
    for (const bad of [`${id}0`, id.slice(1), `g${id.slice(1)}`, `${id.slice(0, 8)}0${id.slice(9)}`, `${id.slice(0, 35)}-`, `${id.slice(0, 35)}é`, `${id.slice(0, 23)}-${id.slice(23, 35)}`])
      expect(() => new BinaryCopyWriter().uuid(bad), bad).toThrow(RangeError);
    expect(() => new BinaryCopyWriter().int64(2 ** 53)).toThrow(RangeError);
    expect(() => new BinaryCopyWriter().timestamptz(Number.NaN)).toThrow(RangeError);
  });
});
