import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../event-log/event-log.port.js';
import { ChannelEventLog, PACK_BYTES, RecordPacker, unpackRecords } from './record-channel.js';
import { threadForKey } from './replay-threads.js';

const record = (partition: number, offset: bigint, key: string, value: string | Buffer): LogRecord => ({
  position: { partition, offset },
  key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
});
const plain = (r: LogRecord) => ({ position: r.position, key: r.key, value: r.value.toString('base64') });

describe('RecordPacker and unpackRecords', () => {
  it('hand over every record as it was: position, a key in any script, a value of any size', () => {
    const records = [
      record(0, 0n, 'ten_acme', '{"a":1}'),
      record(11, 9_007_199_254_740_991n, 'ten_ünïcødé_租户_🙂', ''),
      record(3, 42n, '', Buffer.alloc(3 * PACK_BYTES, 7)),
      record(0, 1n, 'ten_acme', Buffer.from([0, 255, 10, 13])),
    ];
    const packer = new RecordPacker();
    const full = records.map((r) => packer.add(r));
    expect(full).toEqual([false, false, true, true]);
    expect(packer.size).toBe(4);
    const pack = packer.take();
    expect(packer.size).toBe(0);
    expect([...unpackRecords(pack)].map(plain)).toEqual(records.map(plain));
  });

  it('give each pack a buffer of its own, which can be transferred to another thread', () => {
    const packer = new RecordPacker();
    packer.add(record(0, 0n, 'ten_a', 'x'));
    const first = packer.take();
    packer.add(record(0, 1n, 'ten_a', 'y'));
    const second = packer.take();
    expect(first.buffer).not.toBe(second.buffer);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(first, [first.buffer as ArrayBuffer]);
    expect(first.byteLength).toBe(0);
    port1.close();
    port2.close();
    expect([...unpackRecords(second)].map((r) => r.value.toString())).toEqual(['y']);
  });

  it('an empty pack holds no records', () => {
    expect([...unpackRecords(new RecordPacker().take())]).toEqual([]);
  });
});

describe('ChannelEventLog', () => {
  const packOf = (...records: LogRecord[]) => {
    const packer = new RecordPacker();
    records.forEach((r) => packer.add(r));
    return packer.take();
  };

  it('delivers packs in order and, once ended, reports as its end what it delivered', async () => {
    const handledPacks: number[] = [];
    const log = new ChannelEventLog((records) => handledPacks.push(records));
    const seen: string[] = [];
    await log.subscribe(new Map(), async (r) => {
      seen.push(`${r.position.partition}:${r.position.offset}:${r.value.toString()}`);
    });
    log.deliver(packOf(record(0, 2n, 'ten_a', 'a'), record(1, 5n, 'ten_b', 'b')));
    let ended = false;
    const end = log.endOffsets().then((offsets) => {
      ended = true;
      return offsets;
    });
    log.deliver(packOf(record(0, 7n, 'ten_a', 'c')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ended).toBe(false);
    log.end();
    expect(await end).toEqual(new Map([[0, 8n], [1, 6n]]));
    expect(seen).toEqual(['0:2:a', '1:5:b', '0:7:c']);
    expect(handledPacks).toEqual([2, 1]);
    await expect(log.append()).rejects.toThrow(/read-only/);
  });

  it('rejects its end with the error of a handler that failed', async () => {
    const log = new ChannelEventLog(() => {});
    const errors: unknown[] = [];
    await log.subscribe(
      new Map(),
      async () => {
        throw new Error('write failed');
      },
      (error) => errors.push(error),
    );
    log.deliver(packOf(record(0, 0n, 'ten_a', 'a')));
    log.end();
    await expect(log.endOffsets()).rejects.toThrow('write failed');
    expect(errors).toHaveLength(1);
  });

  it('delivers from the beginning only, to one subscriber', async () => {
    const log = new ChannelEventLog(() => {});
    await expect(log.subscribe(new Map([[0, 3n]]), async () => {})).rejects.toThrow(/beginning/);
    await log.subscribe(new Map(), async () => {});
    await expect(log.subscribe(new Map(), async () => {})).rejects.toThrow(/one subscriber/);
  });
});

describe('threadForKey', () => {
  it('gives a key the same thread every time and spreads tenants over all threads', () => {
    const keys = Array.from({ length: 400 }, (_, i) => `ten_${String(i).padStart(16, '0')}`);
    expect(keys.map((k) => threadForKey(k, 4))).toEqual(keys.map((k) => threadForKey(k, 4)));
    const perThread = [0, 0, 0, 0];
    for (const k of keys) perThread[threadForKey(k, 4)]! += 1;
    for (const n of perThread) expect(n).toBeGreaterThan(60);
    expect(keys.every((k) => threadForKey(k, 1) === 0)).toBe(true);
  });
});
