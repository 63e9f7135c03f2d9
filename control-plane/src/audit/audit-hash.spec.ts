import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize, checkpointPayload, genesisHash, ownedCopy, recordBytes, recordHash, recordMac, retentionPayload, sameBytes } from './audit-hash.js';

const zero = Buffer.alloc(32);

describe('audit hashing', () => {
  describe(recordHash.name, () => {
    const input = { tenantId: 'ten_aaaaaaaaaa', seq: 1, eventId: '00000001-0000-4000-8000-000000000001', eventJson: '{"a":1}', prevHash: genesisHash('ten_aaaaaaaaaa') };

    it('pins the record encoding and hash (a change here breaks every stored chain)', () => {
      expect(recordBytes({ ...input, prevHash: zero }).toString('hex')).toBe(
        Buffer.concat([
          Buffer.from('mcpgate-audit-record/v1\0'),
          Buffer.from([0, 0, 0, 14]),
          Buffer.from('ten_aaaaaaaaaa'),
          Buffer.from([0, 0, 0, 1]),
          Buffer.from('1'),
          Buffer.from([0, 0, 0, 36]),
          Buffer.from('00000001-0000-4000-8000-000000000001'),
          Buffer.from([0, 0, 0, 7]),
          Buffer.from('{"a":1}'),
          zero,
        ]).toString('hex'),
      );
      expect(genesisHash('ten_aaaaaaaaaa').toString('hex')).toMatchInlineSnapshot(`"5e57ad12bdda27aa51c37e9420d42471e46f3fcd99de8b8630e51fab80a5f9c6"`);
      expect(recordHash(input).toString('hex')).toMatchInlineSnapshot(`"511ae818a33bafecdbebb2d37f35be5b2597e9cbf9fa3e509f7f3c57680cc30e"`);
    });

    it('changes with every field, including the seq and the previous hash', () => {
      const base = recordHash(input);
      for (const changed of [
        { ...input, tenantId: 'ten_bbbbbbbbbb' },
        { ...input, seq: 2 },
        { ...input, eventId: '00000001-0000-4000-8000-000000000002' },
        { ...input, eventJson: '{"a":2}' },
        { ...input, prevHash: zero },
      ]) {
        expect(sameBytes(recordHash(changed), base)).toBe(false);
      }
    });

    it('frames fields by length, so moving bytes from one field to the next changes the hash', () => {
      const a = recordHash({ ...input, tenantId: 'ten_aaaaaaaaaa1', seq: 23 });
      const b = recordHash({ ...input, tenantId: 'ten_aaaaaaaaaa', seq: 123 });
      expect(sameBytes(a, b)).toBe(false);
    });

    it('refuses a seq that is not a non-negative safe integer and a digest of the wrong length', () => {
      expect(() => recordHash({ ...input, seq: -1 })).toThrow(RangeError);
      expect(() => recordHash({ ...input, seq: 1.5 })).toThrow(RangeError);
      expect(() => recordHash({ ...input, prevHash: Buffer.alloc(31) })).toThrow(RangeError);
    });
  });

  it('gives each tenant its own genesis value', () => {
    expect(genesisHash('ten_aaaaaaaaaa')).toHaveLength(32);
    expect(sameBytes(genesisHash('ten_aaaaaaaaaa'), genesisHash('ten_bbbbbbbbbb'))).toBe(false);
  });

  it('separates domains: a record, a checkpoint and a retention record never share bytes', () => {
    const signedAt = new Date('2026-11-01T00:00:00.000Z');
    const checkpoint = checkpointPayload({ tenantId: 'ten_aaaaaaaaaa', seq: 5, headHash: zero, signedAt, keyId: 'k' });
    const retention = retentionPayload({ tenantId: 'ten_aaaaaaaaaa', fromSeq: 1, throughSeq: 5, anchorHash: zero, before: signedAt, deletedAt: signedAt, keyId: 'k' });
    expect(checkpoint.subarray(0, 28).toString()).toBe('mcpgate-audit-checkpoint/v1\0');
    expect(retention.subarray(0, 27).toString()).toBe('mcpgate-audit-retention/v1\0');
  });

  it('hashes exactly the documented record bytes (the fast path agrees with the reference encoding), also for long events', () => {
    for (const eventJson of ['{"a":1}', `{"a":"${'ü'.repeat(50_000)}"}`]) {
      const input = { tenantId: 'ten_aaaaaaaaaa', seq: 42, eventId: '00000001-0000-4000-8000-000000000001', eventJson, prevHash: genesisHash('x') };
      expect(recordHash(input)).toEqual(createHash('sha256').update(recordBytes(input)).digest());
    }
  });

  it('gives every digest bytes of its own: hundreds in a row (past a shared slab) keep their values', () => {
    const inputs = Array.from({ length: 300 }, (_, seq) => ({ tenantId: 'ten_aaaaaaaaaa', seq, eventId: 'x', eventJson: `{"n":${seq}}`, prevHash: zero }));
    const digests = inputs.map((input) => recordHash(input));
    const macs = digests.map((digest) => recordMac(Buffer.alloc(32, 7), digest));
    inputs.forEach((input, i) => {
      expect(digests[i]).toEqual(createHash('sha256').update(recordBytes(input)).digest());
      expect(macs[i]).toEqual(createHmac('sha256', Buffer.alloc(32, 7)).update(Buffer.concat([Buffer.from('mcpgate-audit-mac/v1\0'), digests[i]!])).digest());
    });
  });

  it('keeps chain heads and genesis values in memory of their own, not in a slab other digests share', () => {
    const digest = recordHash({ tenantId: 'ten_aaaaaaaaaa', seq: 1, eventId: 'x', eventJson: '{}', prevHash: zero });
    const copy = ownedCopy(digest);
    expect(copy).toEqual(digest);
    expect(copy.buffer.byteLength).toBe(32);
    expect(genesisHash('ten_aaaaaaaaaa').buffer.byteLength).toBe(32);
  });

  it('MACs are HMAC-SHA256 over the MAC tag and the record hash, and depend on the key', () => {
    const hash = recordHash({ tenantId: 'ten_aaaaaaaaaa', seq: 1, eventId: 'x', eventJson: '{}', prevHash: zero });
    const key = Buffer.alloc(32, 7);
    expect(recordMac(key, hash)).toEqual(createHmac('sha256', key).update(Buffer.concat([Buffer.from('mcpgate-audit-mac/v1\0'), hash])).digest());
    expect(recordMac(key, zero)).toEqual(createHmac('sha256', key).update(Buffer.concat([Buffer.from('mcpgate-audit-mac/v1\0'), zero])).digest());
  });

  it('MACs depend on the key', () => {
    const hash = recordHash({ tenantId: 'ten_aaaaaaaaaa', seq: 1, eventId: 'x', eventJson: '{}', prevHash: zero });
    expect(sameBytes(recordMac(Buffer.alloc(32, 1), hash), recordMac(Buffer.alloc(32, 2), hash))).toBe(false);
    expect(sameBytes(recordMac(Buffer.alloc(32, 1), hash), recordMac(Buffer.alloc(32, 1), hash))).toBe(true);
  });
});

describe(canonicalize.name, () => {
  it('is RFC 8785 (JCS): keys sorted by UTF-16 code units at every level, no whitespace, ECMAScript numbers', () => {
    // the sorting example of RFC 8785 section 3.2.3, plus integer-like keys (sorted as text, not as numbers)
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
      '10': 'Ten',
      '9': 'Nine',
    };
    const keys = ['\\r', '1', '10', '9', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const values = ['Carriage Return', 'One', 'Ten', 'Nine', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh'];
    expect(canonicalize(value)).toBe(`{${keys.map((k, i) => `"${k}":"${values[i]}"`).join(',')}}`);
    expect(canonicalize(JSON.parse('[56, 1e21, 1E-7, -0, 0.1, 333333333.33333329, {"b": [true, false, null], "a": "x"}]'))).toBe(
      '[56,1e+21,1e-7,0,0.1,333333333.3333333,{"a":"x","b":[true,false,null]}]',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalize(10n)).toThrow(TypeError);
  });
});
