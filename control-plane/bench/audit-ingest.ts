/**
 * Audit ingest benchmark (not a test): `npm run bench:audit-ingest` in control-plane/ (needs
 * `npm run infra:up`; compiled first, see run.ts). Generates BENCH_AUDIT_EVENTS (default 200,000)
 * audit events across BENCH_AUDIT_TENANTS (default 100) tenants as Kafka record values, and pushes
 * them through the sink's batch path (admission on BENCH_AUDIT_THREADS threads, by default the sink's
 * own default, then de-duplication, hash chain, MAC, bulk insert, checkpoint signing) into
 * PostgreSQL: requests of BENCH_AUDIT_REQUEST (500) records, as a
 * Kafka fetch hands them over, BENCH_AUDIT_INFLIGHT (8) at a time, group-committed into transactions
 * of at most BENCH_AUDIT_BATCH (5,000) events. Event ids are time-ordered, as the proxies make them
 * (BENCH_AUDIT_IDS=v4 for random ones). Goal: ≥ 20,000 events/s.
 *
 * Two servers, same image: the test harness's (fsync, synchronous_commit and full_page_writes off,
 * as every test database; BENCH_AUDIT_TEST_SETTINGS=0 skips it) and a durable one (PostgreSQL
 * defaults: every commit flushed to disk; BENCH_AUDIT_DURABLE=0 skips it).
 * Each server gets BENCH_AUDIT_REPEAT (3) runs into fresh databases; the verdict is their median's.
 * After the first run it verifies every tenant's trail and reports verification throughput. Prints
 * the runs and writes bench/results/audit-ingest-*.json.
 */
import { randomUUID, randomUUIDv7 } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureTestcontainers, createDatabaseOn, infraImages, postgresContainer, startPostgres } from '@mcpgate/testing';
import { openDatabase } from '../src/infra/database/database.js';
import { AdmissionPool, defaultAdmissionThreads } from '../src/audit/admission-pool.js';
import type { AcceptedEvent } from '../src/audit/audit-record.js';
import { AuditWriter, type AuditCommit } from '../src/audit/audit-writer.js';
import { verifyAuditTrail } from '../src/audit/audit-verify.js';
import { openAuditPool, pgAuditSql } from '../src/audit/audit-store.js';
import { auditEvent, auditTestKeys, tenantId } from '../src/audit/test/audit-fixtures.js';
import { containerCpu, sha256MBps, type CpuProbe } from './host-probes.js';
import { controlPlaneRoot } from '../src/infra/package-root.js';

const EVENTS = Number(process.env['BENCH_AUDIT_EVENTS'] ?? 200_000);
const TENANTS = Number(process.env['BENCH_AUDIT_TENANTS'] ?? 100);
const REQUEST = Number(process.env['BENCH_AUDIT_REQUEST'] ?? 500);
const INFLIGHT = Number(process.env['BENCH_AUDIT_INFLIGHT'] ?? 8);
const BATCH = Number(process.env['BENCH_AUDIT_BATCH'] ?? 5_000);
const LANES = Number(process.env['BENCH_AUDIT_LANES'] ?? 2);
const THREADS = Number(process.env['BENCH_AUDIT_THREADS'] ?? defaultAdmissionThreads());
const VIA_PRISMA = process.env['BENCH_AUDIT_PRISMA'] === '1';
const TEST_SETTINGS = process.env['BENCH_AUDIT_TEST_SETTINGS'] !== '0';
const DURABLE = process.env['BENCH_AUDIT_DURABLE'] !== '0';
const VERIFY = process.env['BENCH_AUDIT_VERIFY'] !== '0';
const REPEAT = Number(process.env['BENCH_AUDIT_REPEAT'] ?? 3);
/** Event ids as the proxies make them (`v7`, time-ordered) or random (`v4`, what they made before 2026-11-27). */
const EVENT_IDS = process.env['BENCH_AUDIT_IDS'] === 'v4' ? 'v4' : 'v7';
const GOAL = 20_000;

const status = (line: string) => process.stderr.write(`\r\x1b[K${line}`);
const done = (line: string) => process.stderr.write(`\r\x1b[K${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: +percentile(s, 50).toFixed(1), p99: +percentile(s, 99).toFixed(1), max: +s.at(-1)!.toFixed(1), n: s.length };
};

/**
 * What Kafka would hand the sink: one JSON value per event, tenants interleaved, times increasing.
 * Kept in one buffer, and handed out a request at a time as views into it, as a Kafka fetch hands
 * out slices of its response: 200,000 separate Buffers stayed alive in the sink's heap for the whole
 * run (23 of the 86 MB left after each mark-compact, which came every 0.7–0.9 s), heap that a sink
 * does not have and that every major GC marked.
 */
class GeneratedValues {
  private data: Buffer;
  private readonly ends: Int32Array;
  readonly length: number;

  constructor(count: number, next: (i: number) => string) {
    this.length = count;
    this.ends = new Int32Array(count);
    this.data = Buffer.allocUnsafeSlow(count * 1024);
    let end = 0;
    for (let i = 0; i < count; i++) {
      const json = next(i);
      const room = end + Buffer.byteLength(json);
      if (room > this.data.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(room, this.data.length * 2));
        this.data.copy(grown, 0, 0, end);
        this.data = grown;
      }
      end += this.data.write(json, end, 'utf8');
      this.ends[i] = end;
    }
  }

  get bytes(): number {
    return this.length === 0 ? 0 : this.ends[this.length - 1]!;
  }

  /** Values `from` to `to` (exclusive), as views into the one buffer. */
  slice(from: number, to: number): Buffer[] {
    const views: Buffer[] = [];
    for (let i = from; i < Math.min(to, this.length); i++) views.push(this.data.subarray(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!));
    return views;
  }
}

const generate = (): GeneratedValues => {
  const start = Date.UTC(2026, 10, 1);
  return new GeneratedValues(EVENTS, (i) => {
    const tenant = (i * 7919) % TENANTS; // interleaved, every tenant in every request
    return JSON.stringify(auditEvent(tenant + 1, i + 1, { eventId: EVENT_IDS === 'v7' ? randomUUIDv7() : randomUUID(), time: new Date(start + i * 5).toISOString() }));
  });
};

const run = async (name: string, url: string, values: GeneratedValues, databaseCpu: CpuProbe, verify: boolean) => {
  const database = await openDatabase({ kind: 'postgres', url }); // migrations
  const pool = openAuditPool(url, { max: LANES + 2 });
  const sql = VIA_PRISMA ? database.prisma : pgAuditSql(pool);
  const keys = auditTestKeys('bench');
  const commits: AuditCommit[] = [];
  const writer = new AuditWriter(sql, { signer: keys.signer, macKeys: keys.macKeys, maxBatchEvents: BATCH, lanes: LANES, checkpointEvery: 1_000, onCommit: (c) => commits.push(c) });
  writer.start();
  const admission = new AdmissionPool({ threads: THREADS });
  // started and warmed before the clock (a thread loads its modules and compiles its code once)
  for (let i = 0; i < 4; i++) await admission.admit(values.slice(i * REQUEST, (i + 1) * REQUEST));
  // the host's speed drifts (up to 1.8x on this VM within the hour): each run states its own
  const yardstick = sha256MBps();
  const requests = Math.ceil(values.length / REQUEST);
  let next = 0;
  let written = 0;
  let admissionMs = 0;
  const dbCpu0 = await databaseCpu();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const progress = setInterval(() => status(`${name}: ${written.toLocaleString()}/${values.length.toLocaleString()} events, ${Math.round(written / ((performance.now() - t0) / 1000)).toLocaleString()}/s`), 500);
  const origin = { source: 'kafka', topic: 'mcpgate.audit.bench', partition: 0, offset: '0', key: null } as const;
  const worker = async () => {
    while (next < requests) {
      const request = values.slice(next * REQUEST, ++next * REQUEST);
      const events: { event: AcceptedEvent; origin: typeof origin }[] = [];
      const a0 = performance.now();
      for (const admitted of await admission.admit(request)) {
        if (!admitted.ok) throw new Error(admitted.error);
        events.push({ event: admitted.event, origin });
      }
      admissionMs += performance.now() - a0;
      const result = await writer.write({ events, quarantine: [] });
      written += result.appended;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(progress);
  const cpu = process.cpuUsage(cpu0);
  const mainThreadBusy = performance.eventLoopUtilization(elu0).utilization;
  const dbCpu1 = await databaseCpu();
  await writer.stop();
  await admission.close();
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const dbCpuSeconds = dbCpu0 !== undefined && dbCpu1 !== undefined ? dbCpu1 - dbCpu0 : undefined;
  const perSecond = Math.round(written / seconds);
  const tx = summary(commits.filter((c) => c.appended > 0).map((c) => c.ms));
  const out = {
    events: written,
    seconds: +seconds.toFixed(2),
    eventsPerSecond: perSecond,
    goal: GOAL,
    sha256MBpsBeforeRun: yardstick,
    verdict: perSecond >= GOAL ? 'PASS' : 'MISS',
    transactions: commits.filter((c) => c.appended > 0).length,
    eventsPerTransaction: Math.round(written / Math.max(1, commits.filter((c) => c.appended > 0).length)),
    commitMs: tx,
    checkpoints: writer.status().checkpoints,
    // CPU per event, independent of what else the machine runs: what it would take on idle cores
    cpuMicrosecondsPerEvent: {
      node: Math.round((nodeCpuSeconds * 1e6) / written),
      nodeAdmission: Math.round((admissionMs * 1e3) / written), // parse, schema, columns: wall time until admitted, on the main thread or waiting for the admission threads
      ...(dbCpuSeconds !== undefined ? { postgres: Math.round((dbCpuSeconds * 1e6) / written) } : {}),
    },
    cpuCoresBusy: { node: +(nodeCpuSeconds / seconds).toFixed(2), nodeMainThread: +mainThreadBusy.toFixed(2), ...(dbCpuSeconds !== undefined ? { postgres: +(dbCpuSeconds / seconds).toFixed(2) } : {}) },
  };
  done(
    `${name}: ${written.toLocaleString()} events in ${seconds.toFixed(1)} s = ${perSecond.toLocaleString()} events/s (${out.verdict}, goal ${GOAL.toLocaleString()}), admission threads ${THREADS}, ` +
      `transaction p50 ${tx.p50} ms p99 ${tx.p99} ms, ${out.eventsPerTransaction} events per transaction, CPU per event: node ${out.cpuMicrosecondsPerEvent.node} µs, postgres ${out.cpuMicrosecondsPerEvent.postgres ?? '?'} µs, ` +
      `busy: node's main thread ${Math.round(mainThreadBusy * 100)} %, node ${out.cpuCoresBusy.node} cores, postgres ${out.cpuCoresBusy.postgres ?? '?'} cores; SHA-256 yardstick ${yardstick} MB/s`,
  );

  const v0 = performance.now();
  let verified = 0;
  for (let t = 1; t <= (verify ? TENANTS : 0); t++) {
    const result = await verifyAuditTrail(sql, { tenantId: tenantId(t), keys: keys.trusted });
    if (!result.ok) throw new Error(`tenant ${t} does not verify: ${result.problem} at ${result.firstBadSeq}`);
    verified += result.records;
    status(`${name}: verified ${verified.toLocaleString()} records`);
  }
  const verifySeconds = (performance.now() - v0) / 1000;
  const verification = { records: verified, seconds: +verifySeconds.toFixed(2), recordsPerSecond: Math.round(verified / verifySeconds) };
  if (verify) done(`${name}: verified ${verified.toLocaleString()} records (${TENANTS} tenants) in ${verifySeconds.toFixed(1)} s = ${verification.recordsPerSecond.toLocaleString()} records/s`);
  const size = await sql.$queryRawUnsafe<{ table_bytes: string; index_bytes: string }[]>(
    `SELECT pg_table_size('audit_event')::text AS table_bytes, pg_indexes_size('audit_event')::text AS index_bytes`,
  );
  await pool.end();
  await database.close();
  return { ...out, ...(verify ? { verification } : {}), bytesPerEvent: { table: Math.round(Number(size[0]!.table_bytes) / written), indexes: Math.round(Number(size[0]!.index_bytes) / written) } };
};

/**
 * REPEAT runs on one server, each into a fresh database, reported one by one and as their median:
 * the host's speed drifts between runs a minute apart (the same code's CPU per event by up to 40 %),
 * so the verdict is the median's. Only the first run is verified.
 */
const repeated = async (name: string, newDatabase: (name: string) => Promise<string>, values: GeneratedValues, databaseCpu: CpuProbe) => {
  const runs = [];
  for (let i = 1; i <= REPEAT; i++) runs.push(await run(REPEAT > 1 ? `${name} ${i}/${REPEAT}` : name, await newDatabase(`audit_bench_${i}`), values, databaseCpu, VERIFY && i === 1));
  const rates = runs.map((r) => r.eventsPerSecond).sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  const verdict = median >= GOAL ? 'PASS' : 'MISS';
  if (REPEAT > 1) done(`${name}: median ${median.toLocaleString()} events/s of ${REPEAT} runs (${rates.map((r) => r.toLocaleString()).join(', ')}): ${verdict}, goal ${GOAL.toLocaleString()}`);
  return { eventsPerSecondMedian: median, eventsPerSecondRuns: rates, verdict, runs };
};

const main = async () => {
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, sha256MBps: sha256MBps() },
    events: EVENTS,
    tenants: TENANTS,
    requestEvents: REQUEST,
    inflightRequests: INFLIGHT,
    maxBatchEvents: BATCH,
    lanes: LANES,
    admissionThreads: THREADS,
    eventIds: EVENT_IDS,
    runsPerServer: REPEAT,
    driver: VIA_PRISMA ? 'prisma (adapter-pg)' : 'pg pool',
    loadAverageAtStart: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
  };
  let t = performance.now();
  const values = generate();
  const avgBytes = Math.round(values.bytes / values.length);
  results['eventJsonBytes'] = avgBytes;
  done(`generated ${EVENTS.toLocaleString()} events (${avgBytes} bytes of JSON each) for ${TENANTS} tenants in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  if (TEST_SETTINGS) {
    const harness = await startPostgres();
    try {
      results['postgresTestSettings'] = {
        settings: 'fsync=off, synchronous_commit=off, full_page_writes=off (the test harness)',
        ...(await repeated('test settings', (name) => harness.createDatabase(name), values, containerCpu(harness.container))),
      };
    } finally {
      await harness.stop();
    }
  }
  if (DURABLE) {
    configureTestcontainers();
    t = performance.now();
    const durable = await postgresContainer(infraImages().postgres, { database: 'mcpgate', username: 'mcpgate', password: 'mcpgate-bench' }).start();
    try {
      results['postgresDurable'] = {
        settings: 'PostgreSQL defaults (fsync=on, synchronous_commit=on)',
        ...(await repeated('durable', (name) => createDatabaseOn(durable.getConnectionUri(), name), values, containerCpu(durable))),
      };
    } finally {
      await durable.stop({ timeout: 5_000 });
    }
  }
  const outDir = join(controlPlaneRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `audit-ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  console.log(`written to ${file}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
