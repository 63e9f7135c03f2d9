/**
 * Proxy benchmark (not a test): `npm run bench:proxy`; a CPU profile of the proxy with
 * `npm run bench -w @mcpgate/proxy -- --profile` or `BENCH_PROFILE=1 npm run bench:proxy`.
 * Open-loop fixed-rate `tools/call` against a minimal upstream, measured in one run directly, through
 * a bare Node pass-through and through the proxy (virtual key, policy, audit). Each server runs in
 * its own process; this process is the load generator. README.md beside this file explains the
 * numbers. Prints markdown and writes results/latest.json (results/profile.json with --profile).
 */
import { proxyHeldReader } from './proxy-held.js';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { PrefixMode } from '@mcpgate/contracts';
import { PROXY_NODE_FLAGS } from '../src/runtime/node-flags.js';
import { Client, Pool, type Dispatcher } from 'undici';
import { cpuMsOf, killAllChildren, machineBusyMs, memoryOf, openFdsOf, startChild, type Child, type HeapUse } from './children.js';
import { buildChildren } from './build-children.js';
import { summarizeProfile } from './cpu-profile.js';
import { benchTenant } from './fixtures.js';
import { initializeRoundTrips, openSessions, runOpenLoop, type OpenLoopOptions, type Session } from './load.js';
import { latencyRatios, RoundPools, roundOrder, roundRatios } from './rounds.js';
import {
  auditCostTable,
  cpuTable,
  fixedRateTable,
  proxyHeldTable,
  goalsTable,
  initializeTable,
  profileTable,
  saturationTable,
  sessionsTable,
  type CpuUse,
  type Goal,
  type PhaseResult,
  type SaturationResult,
  type SessionsResult,
  type TargetName,
} from './report.js';

const env = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
};
const rates = (name: string, fallback: readonly number[]) => (process.env[name] ? process.env[name].split(',').map(Number).filter((n) => n > 0) : [...fallback]);

const settings = {
  measureSeconds: env('BENCH_SECONDS', 10),
  warmupSeconds: env('BENCH_WARMUP_SECONDS', 2),
  saturationSeconds: env('BENCH_SATURATION_SECONDS', Math.max(2, env('BENCH_SECONDS', 10) / 2)),
  rates: rates('BENCH_RATES', [1_000, 5_000]),
  /** Rounds of the fixed-rate phases (every target at every rate once per round); the goals use all rounds' calls together. */
  rounds: Math.round(env('BENCH_ROUNDS', 3)),
  saturationRates: rates('BENCH_SATURATION_RATES', [2_000, 4_000, 6_000, 8_000, 10_000, 12_000]),
  connections: env('BENCH_CONNECTIONS', 128),
  warmSessions: env('BENCH_SESSIONS', 64),
  idleSessions: env('BENCH_IDLE_SESSIONS', 1_000),
  initializeRounds: env('BENCH_INITIALIZE_ROUNDS', 200),
  profileRate: env('BENCH_PROFILE_RATE', 5_000),
  prefixMode: PrefixMode.parse(process.env['BENCH_PREFIX_MODE'] ?? 'on-collision'),
  /** `compiled`: the children run as JavaScript bundled by esbuild, as in production; `tsx`: from TypeScript through tsx. */
  runtime: process.env['BENCH_RUNTIME'] === 'tsx' ? 'tsx' : 'compiled',
  /** Where the proxy child's audit events go: the durable spool, as in production, or memory. */
  audit: process.env['BENCH_AUDIT'] === 'memory' ? ('memory' as const) : ('spool' as const),
  /** With audit on the spool: also measure a second proxy whose audit events stay in memory (the target `proxy, audit in memory`). */
  auditInMemoryTarget: process.env['BENCH_AUDIT'] !== 'memory' && process.env['BENCH_AUDIT_IN_MEMORY'] !== '0',
  /** Node flags for the proxy child only: production's (PROXY_NODE_FLAGS) unless set, e.g. `--max-semi-space-size=64 --trace-gc`. */
  proxyNodeArgs: process.env['BENCH_PROXY_NODE_ARGS'] === undefined ? [...PROXY_NODE_FLAGS] : process.env['BENCH_PROXY_NODE_ARGS'].split(' ').filter(Boolean),
};
const PROFILE = process.argv.includes('--profile') || process.env['BENCH_PROFILE'] === '1';
/** Longest wait for a busy machine to quiet down before each phase. */
const QUIET_WAIT_MS = env('BENCH_QUIET_WAIT_SECONDS', 60) * 1000;
const QUIET_PERCENT = 25;
const ROOT = resolve(import.meta.dirname, '../..');
const RESULTS = join(import.meta.dirname, 'results');
const CHILDREN = ['echo-upstream', 'pass-through', 'proxy-child'] as const;
/** The children's entry points: compiled once per run, or the TypeScript sources for tsx. */
const childScripts = async (): Promise<Record<(typeof CHILDREN)[number], string>> => {
  if (settings.runtime === 'tsx') return Object.fromEntries(CHILDREN.map((name) => [name, join(import.meta.dirname, `${name}.ts`)])) as Record<(typeof CHILDREN)[number], string>;
  status('compiling the child processes');
  // node_modules/.cache: out of lint and git, and npm packages resolve from there
  return buildChildren(CHILDREN, join(ROOT, 'node_modules', '.cache', 'mcpgate-proxy-bench'));
};
const MCP_PATH = '/mcp';

const status = (line: string) => process.stderr.write(`\r\x1b[K${line.slice(0, 200)}`);
const done = (line: string) => process.stderr.write(`\r\x1b[K${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const secondsSince = (t0: number) => +((performance.now() - t0) / 1000).toFixed(1);

process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    done(`${signal}: stopping the benchmark's processes`);
    killAllChildren();
    process.exit(130);
  });
}
// a hung run must not outlive its budget
const MAX_MINUTES = env('BENCH_MAX_MINUTES', 30);
setTimeout(() => {
  done(`the benchmark ran over ${MAX_MINUTES} minutes; stopping`);
  killAllChildren();
  process.exit(2);
}, MAX_MINUTES * 60_000).unref();

/** The share of the whole machine (all cores, %) that processes other than `ours` used over `ms`. */
const otherLoad = async (ours: readonly number[], ms: number): Promise<number> => {
  const own = () => ours.reduce((sum, pid) => sum + cpuMsOf(pid), 0) + (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const [machine0, own0, at0] = [machineBusyMs(), own(), performance.now()];
  await sleep(ms);
  const other = machineBusyMs() - machine0 - (own() - own0);
  return Math.max(0, Math.round((100 * other) / ((performance.now() - at0) * cpus().length)));
};

/**
 * Waits, up to QUIET_WAIT_MS, until other processes use under QUIET_PERCENT of the machine: on a
 * shared box a neighbour's test run would otherwise land in the numbers. Each phase still reports
 * what others used during it.
 */
const waitForQuiet = async (ours: readonly number[]) => {
  const t0 = performance.now();
  for (;;) {
    const other = await otherLoad(ours, 1_000);
    if (other < QUIET_PERCENT) return;
    if (performance.now() - t0 > QUIET_WAIT_MS) {
      done(`other processes still use ${other} % of the machine after ${QUIET_WAIT_MS / 1000} s of waiting; going on (see "other load %")`);
      return;
    }
    status(`waiting for the machine to quiet down: other processes use ${other} % of it (${secondsSince(t0)} s)`);
  }
};

interface Target {
  readonly name: TargetName;
  readonly url: string;
  readonly pool: Pool;
  sessions: Session[];
}

const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  kernel: release(),
  memoryGb: +(totalmem() / 1024 ** 3).toFixed(1),
  loadAverageAtStart: loadavg().map((l) => +l.toFixed(2)),
});

const newPool = (url: string) => new Pool(url, { connections: settings.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 30_000 });

/**
 * CPU readings of every process involved and of the whole machine: per window, the CPU per call of
 * the upstream, of the measured target's own process (`hop`) and of the generator, and the share of
 * the machine other processes took meanwhile (a busy neighbour skews a phase).
 */
const cpuReader = (upstream: Child, hops: Partial<Record<TargetName, Child>>) => {
  const hopPids = Object.values(hops).map((child) => child.pid);
  const read = (hop: Child | undefined) => {
    const own = process.cpuUsage();
    return {
      at: performance.now(),
      machine: machineBusyMs(),
      upstream: cpuMsOf(upstream.pid),
      hop: hop ? cpuMsOf(hop.pid) : 0,
      hops: hopPids.reduce((sum, pid) => sum + cpuMsOf(pid), 0),
      generator: (own.user + own.system) / 1000,
    };
  };
  const pids = [upstream.pid, ...hopPids];
  return Object.assign((target: TargetName) => {
    const hop = hops[target];
    const edges: Partial<Record<'start' | 'end', ReturnType<typeof read>>> = {};
    return {
      onWindow: (edge: 'start' | 'end') => (edges[edge] = read(hop)),
      use: (calls: number): CpuUse => {
        const { start, end } = edges;
        if (!start || !end) return { upstream: Number.NaN, hop: Number.NaN, generator: Number.NaN, otherPercent: Number.NaN };
        const delta = (pick: (r: ReturnType<typeof read>) => number) => pick(end) - pick(start);
        const per = (pick: (r: ReturnType<typeof read>) => number) => (calls ? Math.round((delta(pick) * 1000) / calls) : Number.NaN);
        const ours = delta((r) => r.upstream) + delta((r) => r.hops) + delta((r) => r.generator);
        const other = Math.max(0, delta((r) => r.machine) - ours);
        return {
          upstream: per((r) => r.upstream),
          hop: hop ? per((r) => r.hop) : Number.NaN,
          generator: per((r) => r.generator),
          otherPercent: Math.round((100 * other) / (delta((r) => r.at) * cpus().length)),
        };
      },
    };
  }, { pids });
};

const phaseOptions = (label: string, rate: number, warmupSeconds: number, measureSeconds: number): Omit<OpenLoopOptions, 'onWindow'> => ({
  label,
  rate,
  warmupMs: warmupSeconds * 1000,
  measureMs: measureSeconds * 1000,
  backlogCap: Math.max(5_000, rate * 3),
  drainMs: 20_000,
  onProgress: status,
});

const runPhase = async (target: Target, cpu: ReturnType<typeof cpuReader>, options: Omit<OpenLoopOptions, 'onWindow'>, round?: number): Promise<PhaseResult> => {
  await waitForQuiet(cpu.pids);
  const window = cpu(target.name);
  const held = isProxy(target.name) ? proxyHeldReader(`${target.url}/metrics`) : undefined;
  const result = await runOpenLoop(target.sessions, {
    ...options,
    onWindow: (edge) => window.onWindow(edge),
    onOutsideWindow: (edge) => held?.onWindow(edge === 'before' ? 'start' : 'end'),
  });
  const proxyHeld = await held?.result();
  const phase: PhaseResult = { target: target.name, ...(round ? { round } : {}), ...result, cpu: window.use(result.achieved * result.measureSeconds), ...(proxyHeld ? { proxyHeld } : {}) };
  done(
    `${options.label}: achieved ${phase.achieved.toLocaleString('en-US')}/s, p50 ${phase.latency.p50} ms, p99 ${phase.latency.p99} ms, p99.9 ${phase.latency.p999} ms, ` +
      `${phase.errors} errors, generator send lag p99 ${phase.sendLag.p99} ms, generator GC ${phase.generatorGc.count} pauses (${phase.generatorGc.totalMs} ms, longest ${phase.generatorGc.maxMs} ms), other processes ${phase.cpu.otherPercent} % of the machine${phase.stoppedEarly ? ` (${phase.stoppedEarly})` : ''}` +
      (proxyHeld ? `; the proxy itself held ${proxyHeld.over25ms} % of its ${proxyHeld.calls.toLocaleString('en-US')} calls over 25 ms (its p99 ≤ ${proxyHeld.p99AtMostMs} ms)` : ''),
  );
  // let the target settle (and drop any backlog) before the next phase
  await sleep(phase.stoppedEarly || phase.errors ? 2_000 : 500);
  return phase;
};

const TARGET_ORDER: readonly TargetName[] = ['direct', 'pass-through', 'proxy', 'proxy, audit in memory'];
const isProxy = (target: TargetName) => target === 'proxy' || target === 'proxy, audit in memory';
/** Round, then rate, then direct, pass-through, proxy(s): for tables (the phases ran in rotating order). */
const inReadingOrder = (phases: readonly PhaseResult[]) =>
  [...phases].sort((a, b) => (a.round ?? 0) - (b.round ?? 0) || a.offered - b.offered || TARGET_ORDER.indexOf(a.target) - TARGET_ORDER.indexOf(b.target));

const failsSaturation = (p: PhaseResult) => p.stoppedEarly !== undefined || p.achieved < 0.95 * p.offered || !(p.latency.p99 <= 100) || p.errors > 0.01 * Math.max(1, p.scheduled);

const openWarmSessions = async (target: Target, bearer: string) => {
  target.sessions = await openSessions(settings.warmSessions, 16, () => target.pool, MCP_PATH, bearer);
};

const writeResults = (name: string, results: unknown) => {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, name);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
};

// ------------------------------------------------------------------------------------ full run

const fullRun = async () => {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const scripts = await childScripts();
  status('starting the upstream');
  const upstream = await startChild('upstream', scripts['echo-upstream'], {});
  const tenant = benchTenant(`${upstream.url}${MCP_PATH}`, settings.prefixMode);
  status('starting the pass-through and the proxy');
  const [passThrough, proxy, proxyAuditInMemory] = await Promise.all([
    startChild('pass-through', scripts['pass-through'], { upstreamUrl: upstream.url }),
    startChild('proxy', scripts['proxy-child'], { ...tenant.proxyInput, audit: settings.audit }, settings.proxyNodeArgs),
    settings.auditInMemoryTarget ? startChild('proxy, audit in memory', scripts['proxy-child'], { ...tenant.proxyInput, audit: 'memory' }, settings.proxyNodeArgs) : undefined,
  ]);
  const children = [upstream, passThrough, proxy, ...(proxyAuditInMemory ? [proxyAuditInMemory] : [])];
  const pools: Dispatcher[] = [];
  try {
    await sleep(1_000);
    const rssCold = { proxy: memoryOf(proxy.pid).rssMb, passThrough: memoryOf(passThrough.pid).rssMb };
    const heapCold = { proxy: await proxy.memoryUsage(), passThrough: await passThrough.memoryUsage() };
    done(
      `started in ${secondsSince(t0)} s: upstream ${upstream.url}, pass-through ${passThrough.url}, proxy ${proxy.url}${proxyAuditInMemory ? `, proxy with audit in memory ${proxyAuditInMemory.url}` : ''} (proxy RSS ${rssCold.proxy} MB, 0 sessions)`,
    );
    const targets: Target[] = [
      { name: 'direct', url: upstream.url, pool: newPool(upstream.url), sessions: [] },
      { name: 'pass-through', url: passThrough.url, pool: newPool(passThrough.url), sessions: [] },
      { name: 'proxy', url: proxy.url, pool: newPool(proxy.url), sessions: [] },
      ...(proxyAuditInMemory ? [{ name: 'proxy, audit in memory' as const, url: proxyAuditInMemory.url, pool: newPool(proxyAuditInMemory.url), sessions: [] }] : []),
    ];
    pools.push(...targets.map((t) => t.pool));
    const cpu = cpuReader(upstream, { 'pass-through': passThrough, proxy, ...(proxyAuditInMemory ? { 'proxy, audit in memory': proxyAuditInMemory } : {}) });

    // 1. new-session overhead: sequential initialize round trips, one connection per target
    const initClients = targets.map((t) => ({ name: t.name, dispatcher: new Client(t.url, { pipelining: 1, keepAliveTimeout: 60_000 }), path: MCP_PATH, bearer: tenant.keySecret }));
    pools.push(...initClients.map((c) => c.dispatcher));
    await waitForQuiet(cpu.pids);
    const initialize = await initializeRoundTrips(initClients, settings.initializeRounds, 20, status);
    done(`initialize round trip p50: ${Object.entries(initialize).map(([name, s]) => `${name} ${s.p50} ms`).join(', ')}`);

    // 2. memory at 1,000 sessions, each on its own connection, then calls spread across all of them;
    // before the load phases, so that the backlog of an overloaded phase does not count
    const sessions = [
      await sessionsPhase('proxy', proxy, cpu, tenant.keySecret, rssCold.proxy, heapCold.proxy),
      await sessionsPhase('pass-through', passThrough, cpu, tenant.keySecret, rssCold.passThrough, heapCold.passThrough),
    ];

    // 3. warm sessions, then the fixed rates in rounds, interleaved across targets so drift hits all alike
    for (const target of targets) await openWarmSessions(target, tenant.keySecret);
    done(`${settings.warmSessions} warm sessions open per target`);
    const rounds: PhaseResult[] = [];
    const samplePools = new RoundPools();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const rate of settings.rates) {
        for (const target of roundOrder(targets, round - 1)) {
          const label = `${settings.rounds > 1 ? `round ${round}/${settings.rounds}, ` : ''}${rate}/s ${target.name}`;
          rounds.push(await runPhase(target, cpu, { ...phaseOptions(label, rate, settings.warmupSeconds, settings.measureSeconds), pool: samplePools.of(rate, target.name) }, round));
        }
      }
    }
    const fixed = samplePools.combine(rounds);

    // 4. saturation: step the rate up until a step misses (< 95 % achieved, p99 > 100 ms, > 1 % errors)
    const saturation: SaturationResult[] = [];
    for (const target of settings.saturationRates.length > 0 ? targets : []) {
      const steps: PhaseResult[] = [];
      for (const rate of settings.saturationRates) {
        const step = await runPhase(target, cpu, phaseOptions(`saturation ${target.name} ${rate}/s`, rate, 1, settings.saturationSeconds));
        steps.push(step);
        if (failsSaturation(step)) break;
      }
      const sustained = steps.filter((s) => !failsSaturation(s)).at(-1);
      saturation.push({
        target: target.name,
        throughput: Math.max(...steps.map((s) => s.achieved)),
        ...(sustained ? { sustainedRate: sustained.offered } : {}),
        saturated: steps.some(failsSaturation),
        steps,
      });
    }

    const memory = Object.fromEntries(children.map((c) => [c.name, memoryOf(c.pid)]));
    const goals = evaluateGoals(fixed, rounds, saturation, sessions.find((s) => s.target === 'proxy'));
    const results = {
      startedAt,
      durationSeconds: secondsSince(t0),
      machine: machine(),
      settings,
      initialize,
      fixedRate: fixed,
      fixedRateRounds: rounds,
      sessions,
      saturation,
      memoryAtEnd: memory,
      goals,
      stderrLines: Object.fromEntries(children.map((c) => [c.name, c.stderr.count])),
    };
    const file = writeResults('latest.json', results);
    const m = results.machine;
    console.log(
      [
        `# Proxy benchmark, ${startedAt}`,
        '',
        `${m.cpus} × ${m.cpuModel}, Node ${m.node}, Linux ${m.kernel}, ${m.memoryGb} GB; load generator, upstream, pass-through and proxy share these cores. ` +
          `Open loop, ${settings.warmSessions} warm sessions, ${settings.connections} connections per target, ${settings.warmupSeconds} s warm-up + ${settings.measureSeconds} s measured per phase, ` +
          `${settings.rounds} round${settings.rounds > 1 ? 's' : ''} of the fixed-rate phases (targets in rotating order; percentiles over all rounds' calls together), ` +
          `virtual server prefix mode \`${settings.prefixMode}\`, audit ${settings.audit === 'spool' ? 'fsync\'d to the durable spool before each answer' : 'kept in memory'}` +
          `${settings.auditInMemoryTarget ? ' (and, as a fourth target outside the goals, the same proxy with audit events kept in memory)' : ''}. Latency in ms from each call's scheduled send time to the end of its answer; "added" is over direct at the same rate.`,
        '',
        '## tools/call at fixed rates',
        '',
        settings.rounds > 1 ? `All ${settings.rounds} rounds together (each row: ${settings.rounds} × ${settings.measureSeconds} s of calls; CPU per call weighted by calls, other load of the busiest round):\n` : '',
        fixedRateTable(fixed),
        '',
        ...(settings.rounds > 1 ? ['Each round:', '', fixedRateTable(inReadingOrder(rounds)), ''] : []),
        proxyHeldTable(inReadingOrder(rounds)),
        '',
        '## Saturation',
        '',
        settings.saturationRates.length > 0 ? saturationTable(saturation) : 'Not measured in this run (`BENCH_SATURATION_RATES=0`).',
        '',
        '## CPU per call (user + system of each process over the measured window, per answered call)',
        '',
        cpuTable(fixed),
        '',
        `## Memory at ${settings.idleSessions.toLocaleString('en-US')} sessions`,
        '',
        sessionsTable(sessions, memory['proxy']!.peakRssMb),
        '',
        '## New-session overhead (sequential initialize round trips)',
        '',
        initializeTable(initialize),
        '',
        '## Goals (ratios from this run)',
        '',
        goalsTable(goals),
        '',
        ...(settings.auditInMemoryTarget ? ["## What the audit record's synchronous write costs (not a goal)", '', auditCostTable(fixed, saturation), ''] : []),
        `Written to ${file}${proxy.stderr.count ? `; the proxy wrote ${proxy.stderr.count} stderr lines` : ''}.`,
      ].join('\n'),
    );
  } finally {
    await Promise.all(pools.map((p) => p.destroy()));
    await Promise.all(children.map((c) => c.stop()));
  }
};

/**
 * Memory with many sessions: `count` sessions, each initialized on its own connection (as separate
 * agents would), then calls spread across all of them so that every one is in use.
 */
const sessionsPhase = async (target: TargetName, child: Child, cpu: ReturnType<typeof cpuReader>, bearer: string, rssColdMb: number, heapCold: HeapUse): Promise<SessionsResult> => {
  const count = settings.idleSessions;
  await waitForQuiet(cpu.pids);
  const rssBeforeMb = memoryOf(child.pid).rssMb;
  const openFdsBefore = openFdsOf(child.pid);
  const clients = Array.from({ length: count }, () => new Client(child.url, { pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 30_000 }));
  try {
    const t0 = performance.now();
    const sessions = await openSessions(count, 50, (i) => clients[i]!, MCP_PATH, bearer, (n) => status(`opening sessions through the ${target}: ${n}/${count}`));
    const openSeconds = secondsSince(t0);
    const rssOpenedMb = memoryOf(child.pid).rssMb;
    const heapOpened = await child.memoryUsage();
    done(`${count} sessions open through the ${target} in ${openSeconds} s: RSS ${rssBeforeMb} → ${rssOpenedMb} MB (heap used ${heapOpened.heapUsed} of ${heapOpened.heapTotal} MB)`);
    let rssActiveMaxMb = rssOpenedMb;
    let openFdsActive = 0;
    const sampler = setInterval(() => (rssActiveMaxMb = Math.max(rssActiveMaxMb, memoryOf(child.pid).rssMb)), 250);
    const window = cpu(target);
    // every session calls about every 4 s: all stay in use and keep their connection (the proxy closes
    // idle ones after 5 s), at a rate far below what either hop sustains, so no backlog inflates the heap
    const rate = Math.max(1, Math.round(count / 4));
    const traffic = await runOpenLoop(sessions, {
      ...phaseOptions(`${rate}/s across ${count} sessions through the ${target}`, rate, 1, 8),
      onWindow: (edge) => {
        window.onWindow(edge);
        if (edge === 'end') openFdsActive = openFdsOf(child.pid);
      },
    });
    clearInterval(sampler);
    rssActiveMaxMb = Math.max(rssActiveMaxMb, memoryOf(child.pid).rssMb);
    const heapActive = await child.memoryUsage();
    const cpuUse = window.use(traffic.achieved * traffic.measureSeconds);
    done(
      `${rate}/s across ${count} sessions through the ${target}: p50 ${traffic.latency.p50} ms, p99 ${traffic.latency.p99} ms, ${traffic.errors} errors; ` +
        `RSS max ${rssActiveMaxMb} MB (heap used ${heapActive.heapUsed} MB), ${openFdsActive} open fds, other processes ${cpuUse.otherPercent} % of the machine`,
    );
    return { target, sessions: count, openSeconds, rssColdMb, heapCold, rssBeforeMb, rssOpenedMb, heapOpened, rssActiveMaxMb, heapActive, openFdsBefore, openFdsActive, traffic, cpu: cpuUse };
  } finally {
    await Promise.all(clients.map((c) => c.destroy()));
    await sleep(1_000);
  }
};

/** A phase that did not keep up with its rate: its latencies are queueing, not the hop. */
const overloaded = (p: PhaseResult) => p.stoppedEarly !== undefined || p.unfinished > 0 || p.achieved < 0.95 * p.offered;

const evaluateGoals = (fixed: readonly PhaseResult[], rounds: readonly PhaseResult[], saturation: readonly SaturationResult[], sessions: SessionsResult | undefined): Goal[] => {
  const goals: Goal[] = [];
  const perRound = roundRatios(rounds);
  /** Each round's ratio for one goal, when there are several rounds: how far apart the rounds were. */
  const spread = (rate: number, pick: (r: (typeof perRound)[number]) => number) => {
    const ratios = perRound.filter((r) => r.rate === rate).map((r) => `${pick(r).toFixed(2)}×`);
    return ratios.length > 1 ? `; rounds: ${ratios.join(', ')}` : '';
  };
  const at = (rate: number, target: TargetName) => fixed.find((p) => p.offered === rate && p.target === target);
  for (const rate of settings.rates) {
    const direct = at(rate, 'direct');
    const pass = at(rate, 'pass-through');
    const proxy = at(rate, 'proxy');
    if (!direct || !pass || !proxy) continue;
    const phases = [direct, pass, proxy];
    const busiest = Math.max(...phases.map((p) => p.cpu.otherPercent));
    const notes = [
      ...(overloaded(proxy) ? ['the proxy did not keep up'] : []),
      ...(busiest > 10 ? [`other processes used up to ${busiest} % of the machine`] : []),
    ];
    const note = notes.length ? ` (${notes.join('; ')})` : '';
    // when a baseline cannot hold the rate on this machine, its latencies are queueing and no ratio means anything
    const baselineDown = overloaded(direct) || overloaded(pass) ? `${overloaded(direct) ? 'direct' : 'the pass-through'} did not keep up with ${rate}/s here` : undefined;
    const { passAdded, proxyAdded, addedP50: ratio, p99: p99Ratio } = latencyRatios(direct, pass, proxy);
    goals.push({
      goal: `${rate}/s: proxy added p50 ≤ 1.5 × pass-through added p50`,
      measured: `${proxyAdded.toFixed(3)} vs ${passAdded.toFixed(3)} ms = ${ratio.toFixed(2)}×${note}${spread(rate, (r) => r.addedP50)}`,
      result: baselineDown ? 'n/a' : ratio <= 1.5 ? 'PASS' : 'MISS',
      ...(baselineDown ? { why: baselineDown } : {}),
    });
    goals.push({
      goal: `${rate}/s: proxy p99 ≤ 1.3 × pass-through p99`,
      measured: `${proxy.latency.p99.toFixed(3)} vs ${pass.latency.p99.toFixed(3)} ms = ${p99Ratio.toFixed(2)}×${note}${spread(rate, (r) => r.p99)}`,
      result: baselineDown ? 'n/a' : p99Ratio <= 1.3 ? 'PASS' : 'MISS',
      ...(baselineDown ? { why: baselineDown } : {}),
    });
  }
  const passSat = saturation.find((s) => s.target === 'pass-through');
  const proxySat = saturation.find((s) => s.target === 'proxy');
  if (passSat && proxySat) {
    const share = proxySat.throughput / passSat.throughput;
    const busiest = Math.max(...[...passSat.steps, ...proxySat.steps].map((p) => p.cpu.otherPercent));
    goals.push({
      goal: 'proxy saturation throughput ≥ 70 % of pass-through’s',
      measured: `${proxySat.throughput.toLocaleString('en-US')} vs ${passSat.saturated ? '' : '≥ '}${passSat.throughput.toLocaleString('en-US')}/s = ${(100 * share).toFixed(0)} %${busiest > 10 ? ` (other processes used up to ${busiest} % of the machine)` : ''}`,
      result: share >= 0.7 ? 'PASS' : 'MISS',
    });
  }
  if (sessions) {
    const rss = Math.max(sessions.rssOpenedMb, sessions.rssActiveMaxMb);
    goals.push({ goal: `proxy RSS ≤ 150 MB at ${sessions.sessions.toLocaleString('en-US')} sessions`, measured: `${rss} MB (max while serving them)`, result: rss <= 150 ? 'PASS' : 'MISS' });
  }
  return goals;
};

// ------------------------------------------------------------------------------------ --profile

const profileRun = async () => {
  const startedAt = new Date().toISOString();
  const profileDir = join(RESULTS, 'profile');
  mkdirSync(profileDir, { recursive: true });
  for (const old of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) rmSync(join(profileDir, old));
  const scripts = await childScripts();
  status('starting the upstream');
  const upstream = await startChild('upstream', scripts['echo-upstream'], {});
  const tenant = benchTenant(`${upstream.url}${MCP_PATH}`, settings.prefixMode);
  status('starting the proxy with --cpu-prof');
  const proxy = await startChild('proxy', scripts['proxy-child'], { ...tenant.proxyInput, audit: settings.audit }, [...settings.proxyNodeArgs, '--cpu-prof', '--cpu-prof-dir', profileDir]);
  const target: Target = { name: 'proxy', url: proxy.url, pool: newPool(proxy.url), sessions: [] };
  let phase: PhaseResult;
  const window = { fromUs: 0, toUs: 0 };
  try {
    await openWarmSessions(target, tenant.keySecret);
    const cpu = cpuReader(upstream, { proxy });
    await waitForQuiet(cpu.pids);
    const reading = cpu('proxy');
    const rate = settings.profileRate;
    const result = await runOpenLoop(target.sessions, {
      ...phaseOptions(`profiling the proxy at ${rate}/s`, rate, settings.warmupSeconds, settings.measureSeconds),
      // the profile wants the whole window even when the proxy falls behind: no early stop, short drain
      backlogCap: rate * (settings.warmupSeconds + settings.measureSeconds),
      drainMs: 2_000,
      onWindow: (edge) => {
        reading.onWindow(edge);
        window[edge === 'start' ? 'fromUs' : 'toUs'] = Number(process.hrtime.bigint() / 1000n);
      },
    });
    phase = { target: 'proxy', ...result, cpu: reading.use(result.achieved * result.measureSeconds) };
    done(`profiled ${rate}/s: achieved ${phase.achieved}/s, p50 ${phase.latency.p50} ms, p99 ${phase.latency.p99} ms, ${phase.errors} errors, proxy CPU ${phase.cpu.hop} µs/call`);
  } finally {
    await target.pool.destroy();
    status('stopping the proxy (it writes its profile)');
    await proxy.stop();
    await upstream.stop();
  }
  const profiles = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(profileDir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!profiles[0]) throw new Error(`the proxy wrote no .cpuprofile into ${profileDir}`);
  const summary = summarizeProfile(profiles[0], ROOT, window);
  const calls = phase.achieved * phase.measureSeconds;
  const file = writeResults('profile.json', { startedAt, machine: machine(), settings, phase, profile: summary });
  console.log(
    [
      `# Proxy CPU profile at ${settings.profileRate.toLocaleString('en-US')} calls/s, ${startedAt}`,
      '',
      `Latency with the profiler on: p50 ${phase.latency.p50} ms, p99 ${phase.latency.p99} ms, p99.9 ${phase.latency.p999} ms, ${phase.errors} errors. Self time per function:`,
      '',
      profileTable(summary, calls),
      '',
      `Written to ${file}.`,
    ].join('\n'),
  );
};

try {
  await (PROFILE ? profileRun() : fullRun());
} catch (error) {
  done(`the benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllChildren();
  process.exit(1);
}
