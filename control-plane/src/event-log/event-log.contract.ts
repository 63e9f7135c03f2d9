/**
 * The behaviour every EventLog adapter must have. Each adapter's spec calls
 * `describeEventLogContract` with a factory; the same assertions run against the file log (unit)
 * and Kafka (integration), so the embedded default and production cannot drift apart.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLogError, MAX_RECORD_BYTES, type EventLog, type LogRecord } from './event-log.port.js';

export interface EventLogFixture {
  log: EventLog;
  /** Closes `log` if needed and opens the same log again (durability checks). */
  reopen(): Promise<EventLog>;
  /** Removes whatever the fixture created. */
  dispose(): Promise<void>;
}

const waitFor = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const text = (record: LogRecord) => record.value.toString('utf8');

export const describeEventLogContract = (name: string, createFixture: () => Promise<EventLogFixture>) => {
  describe(`${name} (event log contract)`, () => {
    const open: EventLogFixture[] = [];
    const fixture = async () => {
      const f = await createFixture();
      open.push(f);
      return f;
    };
    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((f) => f.dispose()));
    });

    it('appends records and returns gap-free, increasing offsets per partition; one key always maps to one partition', async () => {
      const { log } = await fixture();
      const partition = await log.partitionFor('ten_aaaaaaaaaa');
      expect(await log.partitionFor('ten_aaaaaaaaaa')).toBe(partition);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(await log.partitions());
      const positions = [];
      for (let i = 0; i < 5; i++) positions.push(await log.append('ten_aaaaaaaaaa', Buffer.from(`r${i}`)));
      expect(positions.map((p) => p.partition)).toEqual(Array(5).fill(partition));
      const first = positions[0]!.offset;
      expect(positions.map((p) => p.offset - first)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect((await log.endOffsets()).get(partition)).toBe(first + 5n);
    });

    it('delivers every record from the beginning, in order, with exact bytes, then keeps tailing new ones', async () => {
      const { log } = await fixture();
      const keys = ['ten_aaaaaaaaaa', 'ten_bbbbbbbbbb', 'ten_cccccccccc'];
      for (let i = 0; i < 9; i++) await log.append(keys[i % 3]!, Buffer.from(JSON.stringify({ i, k: keys[i % 3] })));
      const seen: LogRecord[] = [];
      const sub = await log.subscribe(new Map(), async (r) => void seen.push(r));
      await waitFor('9 records', () => seen.length >= 9);
      for (const key of keys) {
        const values = seen.filter((r) => r.key === key).map((r) => JSON.parse(text(r)).i as number);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(values).toHaveLength(3);
      }
      await log.append(keys[0]!, Buffer.from('{"i":"late"}'));
      await waitFor('the tailed record', () => seen.length === 10);
      expect(text(seen[9]!)).toBe('{"i":"late"}');
      await sub.stop();
      await log.append(keys[0]!, Buffer.from('after-stop'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toHaveLength(10);
    });

    it('starts a subscription at a checkpoint and skips what came before it', async () => {
      const { log } = await fixture();
      const positions = [];
      for (let i = 0; i < 4; i++) positions.push(await log.append('ten_aaaaaaaaaa', Buffer.from(`r${i}`)));
      const p = positions[2]!;
      const seen: string[] = [];
      const sub = await log.subscribe(new Map([[p.partition, p.offset]]), async (r) => {
        if (r.key === 'ten_aaaaaaaaaa') seen.push(text(r));
      });
      await waitFor('2 records', () => seen.length >= 2);
      await sub.stop();
      expect(seen).toEqual(['r2', 'r3']);
    });

    it('keeps every concurrently appended record, each at its own position', async () => {
      const { log } = await fixture();
      const ids = Array.from({ length: 100 }, () => randomUUID());
      const positions = await Promise.all(ids.map((id, i) => log.append(`ten_${String(i % 7).repeat(10)}`, Buffer.from(id))));
      expect(new Set(positions.map((p) => `${p.partition}:${p.offset}`)).size).toBe(100);
      const seen = new Set<string>();
      const sub = await log.subscribe(new Map(), async (r) => void seen.add(text(r)));
      await waitFor('100 records', () => seen.size >= 100);
      await sub.stop();
      expect([...seen].sort()).toEqual([...ids].sort());
    });

    it('keeps appended records across close and reopen', async () => {
      const f = await fixture();
      const before = await f.log.append('ten_aaaaaaaaaa', Buffer.from('durable'));
      const reopened = await f.reopen();
      const after = await reopened.append('ten_aaaaaaaaaa', Buffer.from('next'));
      expect(after.offset).toBe(before.offset + 1n);
      const seen: string[] = [];
      const sub = await reopened.subscribe(new Map([[before.partition, before.offset]]), async (r) => void seen.push(text(r)));
      await waitFor('both records', () => seen.length >= 2);
      await sub.stop();
      expect(seen).toEqual(['durable', 'next']);
    });

    it('stops a subscription whose handler throws and reports the error', async () => {
      const { log } = await fixture();
      await log.append('ten_aaaaaaaaaa', Buffer.from('one'));
      await log.append('ten_aaaaaaaaaa', Buffer.from('two'));
      const errors: unknown[] = [];
      const seen: string[] = [];
      const sub = await log.subscribe(
        new Map(),
        async (r) => {
          seen.push(text(r));
          throw new Error('projection broke');
        },
        (e) => errors.push(e),
      );
      await waitFor('the error', () => errors.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sub.stop();
      expect(seen).toEqual(['one']);
      expect(String(errors[0])).toContain('projection broke');
    });

    it('accepts a record up to the size limit and refuses a larger one with a typed error', async () => {
      const { log } = await fixture();
      await expect(log.append('ten_aaaaaaaaaa', Buffer.alloc(MAX_RECORD_BYTES - 1024, 120))).resolves.toBeDefined();
      await expect(log.append('ten_aaaaaaaaaa', Buffer.alloc(MAX_RECORD_BYTES + 1, 120))).rejects.toMatchObject({
        name: 'EventLogError',
        reason: 'event_log.too_large',
      });
    });

    it('refuses appends after close with a typed error instead of hanging', async () => {
      const { log } = await fixture();
      await log.close();
      await expect(log.append('ten_aaaaaaaaaa', Buffer.from('x'))).rejects.toBeInstanceOf(EventLogError);
    });
  });
};
