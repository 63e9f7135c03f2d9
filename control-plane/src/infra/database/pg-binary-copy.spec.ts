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

  it('refuses what it cannot represent', () => {
    expect(() => new BinaryCopyWriter().uuid('not-a-uuid')).toThrow(RangeError);
    expect(() => new BinaryCopyWriter().int64(2 ** 53)).toThrow(RangeError);
    expect(() => new BinaryCopyWriter().timestamptz(Number.NaN)).toThrow(RangeError);
  });
});
