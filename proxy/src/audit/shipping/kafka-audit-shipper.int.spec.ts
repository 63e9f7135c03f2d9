import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { AuditEvent } from '@mcpgate/contracts';
import { startKafka, waitUntil, type StartedKafka } from '@mcpgate/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditSpool } from '../spool/audit-spool.js';
import { seqOf, testEvent, testTenant } from '../spool/test/audit-events.js';
import { KafkaAuditShipper, auditTopic } from './kafka-audit-shipper.js';

/**
 * A TCP relay between every Kafka client and the broker (which advertises the relay's address), so
 * a test can make Kafka unreachable: `cut()` drops every connection and refuses new ones.
 */
const startRelay = async () => {
  let target: { host: string; port: number } | undefined;
  let down = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (down || !target) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.pipe(to);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    forwardTo: (hostPort: string) => {
      const [host, port] = hostPort.split(':');
      target = { host: host!, port: Number(port) };
    },
    cut: () => {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      down = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
};

let kafka: StartedKafka;
let relay: Awaited<ReturnType<typeof startRelay>>;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  relay = await startRelay();
  const started = await startKafka((c) => c.withBrokerConfig({ 'advertised.listeners': `PLAINTEXT://127.0.0.1:${relay.port},BROKER://localhost:9092` }));
  relay.forwardTo(started.brokers[0]!);
  const brokers = [`127.0.0.1:${relay.port}`];
  kafka = { ...started, brokers, client: (config = {}) => started.client({ brokers, ...config }) };
}, 240_000);
afterAll(async () => {
  await kafka?.stop();
  await relay?.close();
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgate-shipper-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

const openSpool = async (dir: string) => {
  const spool = await AuditSpool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024, log: () => {} });
  cleanup.push(() => spool.close());
  return spool;
};

const startShipper = (spool: AuditSpool, region: string, extra: { batchSize?: number; requestTimeoutMs?: number } = {}) => {
  const lines: Record<string, unknown>[] = [];
  const shipper = new KafkaAuditShipper(spool, { brokers: kafka.brokers, region, clientId: `test-${region}`, retryMs: 200, maxRetryMs: 1_000, log: (line) => lines.push(line), ...extra });
  shipper.start();
  cleanup.push(() => shipper.stop());
  return Object.assign(shipper, { lines });
};

interface Shipped {
  readonly key: string;
  readonly eventIdHeader: string;
  readonly event: AuditEvent;
  readonly partition: number;
  readonly offset: number;
}

/** Everything in the topic, read to its end offsets as they are once the shipper has nothing left. */
const consumeTopic = async (topic: string): Promise<Shipped[]> => {
  const admin = kafka.client().admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const consumer = kafka.client().consumer({ groupId: `verify-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const shipped: Shipped[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        shipped.push({
          key: message.key!.toString('utf8'),
          eventIdHeader: String(message.headers?.['eventId']),
          event: JSON.parse(message.value!.toString('utf8')) as AuditEvent,
          partition,
          offset: Number(message.offset),
        });
      },
    });
    await waitUntil(`${expected} records from ${topic}`, () => shipped.length >= expected, { timeoutMs: 60_000 });
  } finally {
    await consumer.disconnect();
  }
  expect(shipped).toHaveLength(expected);
  return shipped;
};

/** Per tenant, the sequence numbers in partition order. */
const perTenant = (shipped: Shipped[]): Map<string, number[]> => {
  const byTenant = new Map<string, Shipped[]>();
  for (const record of shipped) byTenant.set(record.key, [...(byTenant.get(record.key) ?? []), record]);
  return new Map([...byTenant].map(([tenant, records]) => {
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    return [tenant, records.sort((a, b) => a.offset - b.offset).map((r) => seqOf(r.event))];
  }));
};

const firstOccurrences = (seqs: number[]) => seqs.filter((seq, i) => seqs.indexOf(seq) === i);
const ascending = (seqs: number[]) => seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!);

/** Emits test events into a spool 50 at a time, numbering them on, and keeps what it emitted. */
const emitterInto = (spool: AuditSpool) => {
  let seq = 0;
  const emitted: AuditEvent[] = [];
  const emitSome = async (count: number) => {
    for (let i = 0; i < count; i += 50) {
      const batch = Array.from({ length: Math.min(50, count - i) }, () => testEvent(seq++));
      emitted.push(...batch);
      await Promise.all(batch.map((event) => spool.emit(event)));
    }
  };
  return { emitted, emitSome };
};

/** Every emitted event reached the topic (redeliveries allowed), and nothing else did. */
const expectEveryEventShipped = (shipped: readonly Shipped[], emitted: readonly AuditEvent[]) => {
  const ids = new Set(shipped.map((record) => record.event.eventId));
  expect(emitted.filter((e) => !ids.has(e.eventId))).toEqual([]);
  expect(ids.size).toBe(emitted.length);
};

const docker = (...args: string[]) => promisify(execFile)('docker', args);

describe(KafkaAuditShipper.name, () => {
  it('ships 2,000 events to mcpgate.audit.<region>: each exactly once, keyed by tenant, in order per tenant', async () => {
    const region = 'ship-all-1';
    const spool = await openSpool(await freshDir());
    const sut = startShipper(spool, region);
    const events = Array.from({ length: 2_000 }, (_, i) => testEvent(i, { tenantId: testTenant(i % 7) }));

    for (let i = 0; i < events.length; i += 100) await Promise.all(events.slice(i, i + 100).map((event) => spool.emit(event)));
    await waitUntil('the shipper to catch up', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    expect(sut.topic).toBe(auditTopic(region));
    const shipped = await consumeTopic(`mcpgate.audit.${region}`);
    expect(shipped.map((r) => r.event.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (const record of shipped) {
      expect(record.key).toBe(record.event.tenantId);
      expect(record.eventIdHeader).toBe(record.event.eventId);
    }
    const tenants = perTenant(shipped);
    expect(tenants.size).toBe(7);
    for (const [tenant, seqs] of tenants) expect(seqs, tenant).toEqual(events.filter((e) => e.tenantId === tenant).map(seqOf));
    expect(sut.status()).toMatchObject({ connected: true, shippedRecords: 2_000, failedSends: 0 });
    expect(sut.lag()).toEqual({ records: 0, oldestAgeMs: 0 });
  });

  it('while Kafka is unreachable, events wait in the spool; once it is back every one arrives, none skipped', async () => {
    const region = 'unreachable-1';
    const spool = await openSpool(await freshDir());
    const sut = startShipper(spool, region, { batchSize: 100 });
    const { emitted, emitSome } = emitterInto(spool);
    await emitSome(200);
    await waitUntil('the first events to be shipped', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    relay.cut();
    cleanup.push(async () => relay.restore());
    await emitSome(500);
    await waitUntil('three failed sends', () => sut.status().failedSends >= 3, { timeoutMs: 45_000, intervalMs: 100 });
    await emitSome(300);
    expect(sut.lag().records).toBeGreaterThanOrEqual(700);
    relay.restore();

    await waitUntil('the backlog to be shipped', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    const shipped = await consumeTopic(auditTopic(region));
    expectEveryEventShipped(shipped, emitted);
    // only a batch in flight when the connections dropped can have reached the broker as well
    expect(shipped.length - emitted.length).toBeLessThanOrEqual(100);
    for (const [tenant, seqs] of perTenant(shipped)) expect(ascending(firstOccurrences(seqs)), tenant).toBe(true);
  });

  it('keeps accepting events while the broker hangs (docker pause) and delivers every one once it is back', async () => {
    const region = 'outage-1';
    const spool = await openSpool(await freshDir());
    const sut = startShipper(spool, region, { requestTimeoutMs: 2_000 });
    const { emitted, emitSome } = emitterInto(spool);
    await emitSome(200);
    await waitUntil('the first events to be shipped', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    const container = kafka.container.getId();
    await docker('pause', container);
    let paused = true;
    cleanup.push(async () => {
      if (paused) await docker('unpause', container);
    });
    const outageStarted = Date.now();
    await emitSome(1_000);
    const emitMs = Date.now() - outageStarted;
    await waitUntil('a failed send', () => sut.status().failedSends > 0, { timeoutMs: 45_000, intervalMs: 200 });
    await emitSome(300);
    expect(sut.lag().records).toBeGreaterThanOrEqual(1_300);
    expect(sut.lag().oldestAgeMs).toBeGreaterThan(0);
    expect(sut.status().connected).toBe(false);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('shipping audit events to Kafka failed') }));
    await docker('unpause', container);
    paused = false;

    await waitUntil('the backlog to be shipped', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    const shipped = await consumeTopic(auditTopic(region));
    expectEveryEventShipped(shipped, emitted);
    for (const [tenant, seqs] of perTenant(shipped)) expect(ascending(firstOccurrences(seqs)), tenant).toBe(true);
    expect(sut.lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'shipping audit events to Kafka again' }));
    // emits never waited for Kafka
    expect(emitMs).toBeLessThan(5_000);
    console.info(`outage: ${emitted.length} events, ${shipped.length - emitted.length} duplicates, ${sut.status().failedSends} failed sends, 1000 emits during the outage took ${emitMs} ms`);
  });

  it('after a kill -9 between Kafka acknowledging a batch and the spool recording it, a new shipper re-sends only that batch', { timeout: 90_000 }, async () => {
    const region = 'kill-1';
    const dir = await freshDir();
    const batchSize = 100;
    const killAt = 7;
    const events = Array.from({ length: 1_500 }, (_, i) => testEvent(i, { tenantId: testTenant(i % 3) }));
    const filling = await AuditSpool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024, log: () => {} });
    for (let i = 0; i < events.length; i += 100) await Promise.all(events.slice(i, i + 100).map((event) => filling.emit(event)));
    await filling.close();

    const script = fileURLToPath(new URL('./test/shipper-child.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawn(process.execPath, ['--conditions=@mcpgate/source', '--import', tsx, script, dir, kafka.brokers.join(','), region, String(batchSize), String(killAt)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(signal, stderr).toBe('SIGKILL');
    const killed = /KILL (\d+) seq_(\d+) seq_(\d+)\n/.exec(stdout);
    expect(killed?.[1], stdout).toBe(String(killAt));
    const [first, last] = [Number(killed![2]), Number(killed![3])];
    expect(stdout).toContain(`A ${killAt - 1}\nKILL`);

    const spool = await openSpool(dir);
    expect(spool.depth().records).toBe(events.length - first);
    const sut = startShipper(spool, region, { batchSize });
    await waitUntil('the rest to be shipped', () => sut.lag().records === 0, { timeoutMs: 60_000 });

    const shipped = await consumeTopic(auditTopic(region));
    const counts = new Map<string, number>();
    for (const record of shipped) counts.set(record.event.eventId, (counts.get(record.event.eventId) ?? 0) + 1);
    expect(events.filter((e) => !counts.has(e.eventId))).toEqual([]);
    expect(counts.size).toBe(events.length);
    const duplicated = events.filter((e) => counts.get(e.eventId)! > 1).map(seqOf);
    // exactly the batch Kafka had and the spool had not recorded: the unacknowledged tail
    expect(duplicated).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
    expect(duplicated.length).toBeGreaterThan(0);
    expect(duplicated.length).toBeLessThanOrEqual(batchSize);
    expect([...counts.values()].every((count) => count <= 2)).toBe(true);
    for (const [tenant, seqs] of perTenant(shipped)) expect(ascending(firstOccurrences(seqs)), tenant).toBe(true);
  });
});
