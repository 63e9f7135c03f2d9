/**
 * Emit throughput and latency of the audit spool on this machine's disk, at several numbers of
 * concurrent emitters (each awaits its emit, then emits again, like request handlers).
 *
 *   npx tsx --conditions=@mcpgate/source proxy/src/audit/spool/bench/spool-bench.ts [--dir <folder>] [--seconds 5] [--ship] [--write-mode adaptive|off-thread]
 *
 * `--dir` picks the disk (default: the OS temp folder); `--ship` also runs a reader that reads and
 * acknowledges what is written, as the Kafka shipper does (without Kafka), to show its cost;
 * `--write-mode` where the spool's writes run (default adaptive: on the event loop while fast).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditSpool, type SpoolWriteMode } from '../audit-spool.js';
import { testEvent } from '../test/audit-events.js';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, seconds: { type: 'string', default: '5' }, ship: { type: 'boolean', default: false }, 'write-mode': { type: 'string', default: 'adaptive' } },
});
const writeMode = values['write-mode'] as SpoolWriteMode;
const seconds = Number(values.seconds);

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const run = async (concurrency: number) => {
  const dir = await mkdtemp(join(values.dir ?? tmpdir(), 'mcpgate-spool-bench-'));
  const spool = await AuditSpool.open({ dir, maxBytes: 8 * 1024 * 1024 * 1024, segmentBytes: 64 * 1024 * 1024, log: () => {}, writeMode });
  let writes = 0;
  spool.observe({ wrote: () => writes++, appended: () => {} });
  // a realistic event: hashed arguments, OAuth principal with groups, trace id (about 700 bytes of JSON)
  const template = testEvent(0, {
    principal: { kind: 'oauth', issuer: 'https://login.example.com/tenant', subject: 'alice@example.com', groups: ['engineering', 'oncall'] },
    traceId: 'a'.repeat(32),
    sessionId: 's'.repeat(40),
  });
  let stop = false;
  let shipped = 0;
  const shipper = async () => {
    let cursor = spool.acknowledged();
    while (!stop) {
      const records = await spool.readFrom(cursor, 500);
      if (records.length === 0) {
        await spool.waitForAppend(50);
        continue;
      }
      cursor = records.at(-1)!.next;
      await spool.acknowledge(cursor);
      shipped += records.length;
    }
  };
  const latencies: number[] = [];
  const emitter = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const event = { ...template, eventId: crypto.randomUUID(), tool: `seq_${w}_${n}` };
      const started = performance.now();
      await spool.emit(event);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  const timer = setTimeout(() => (stop = true), seconds * 1000);
  await Promise.all([...Array.from({ length: concurrency }, (_, w) => emitter(w)), ...(values.ship ? [shipper()] : [])]);
  clearTimeout(timer);
  const elapsed = (performance.now() - started) / 1000;
  await spool.close();
  await rm(dir, { recursive: true, force: true });
  const sorted = Float64Array.from(latencies).sort();
  return {
    concurrency,
    emitsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(sorted, 50).toFixed(3)),
    p99Ms: Number(percentile(sorted, 99).toFixed(3)),
    eventsPerWrite: Number((latencies.length / Math.max(1, writes)).toFixed(1)),
    ...(values.ship ? { shippedPerSecond: Math.round(shipped / elapsed) } : {}),
  };
};

const results = [];
for (const concurrency of [1, 16, 256]) results.push(await run(concurrency));
console.table(results);
