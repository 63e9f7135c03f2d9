/** The benchmark's results as markdown tables, and the goals as PASS/MISS lines (reported, never asserted). */
import type { ProxyHeld } from './proxy-held.js';
import type { HeapUse } from './children.js';
import type { LatencySummary } from './latencies.js';
import type { OpenLoopResult } from './load.js';
import type { ProfileSummary } from './cpu-profile.js';
import { latencyRatios } from './rounds.js';

/**
 * `proxy, audit in memory`: a second proxy, the same in everything but where its audit events go
 * (memory instead of the durable spool). Not part of any goal: beside the proxy it shows, in the
 * same run, what the audit record's synchronous write costs (`BENCH_AUDIT_IN_MEMORY=0` leaves it out).
 */
export type TargetName = 'direct' | 'pass-through' | 'proxy' | 'proxy, audit in memory';

/** CPU each process spent per successful call in a phase's window (µs), and what the rest of the machine used. */
export interface CpuUse {
  readonly upstream: number;
  /** The measured target's own process (the pass-through or a proxy); NaN for direct. */
  readonly hop: number;
  readonly generator: number;
  /** CPU other processes on the machine used during the window, in % of all cores. */
  readonly otherPercent: number;
}

export interface PhaseResult extends OpenLoopResult {
  readonly target: TargetName;
  /** Which round of the fixed-rate phases (1-based); none on a result pooled over all rounds. */
  readonly round?: number;
  readonly cpu: CpuUse;
  /** The proxy's own histogram over the window (proxy phases only). */
  readonly proxyHeld?: ProxyHeld;
}

export interface SaturationResult {
  readonly target: TargetName;
  /** Highest successful completions per second in any step (an overloaded step completes at capacity). */
  readonly throughput: number;
  /** Highest offered rate that met the criteria, if any. */
  readonly sustainedRate?: number;
  /** Whether some step failed the criteria; if none did, the throughput is a lower bound. */
  readonly saturated: boolean;
  readonly steps: readonly PhaseResult[];
}

export interface SessionsResult {
  readonly target: TargetName;
  readonly sessions: number;
  readonly openSeconds: number;
  readonly rssColdMb: number;
  readonly heapCold: HeapUse;
  readonly rssBeforeMb: number;
  readonly rssOpenedMb: number;
  readonly heapOpened: HeapUse;
  readonly rssActiveMaxMb: number;
  /** The child's own view at the end of the traffic: JS heap and memory outside it. */
  readonly heapActive: HeapUse;
  readonly openFdsBefore: number;
  readonly openFdsActive: number;
  readonly traffic: OpenLoopResult;
  readonly cpu: CpuUse;
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  /** `n/a` when the baseline itself could not hold the rate on this machine. */
  readonly result: 'PASS' | 'MISS' | 'n/a';
  readonly why?: string;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '–');
const signed = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(3)}` : '–');
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const us = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');

const errorsOf = (r: OpenLoopResult) =>
  `${r.errors ? `${r.errors} (${Object.entries(r.errorKinds).map(([k, n]) => `${k}: ${n}`).join(', ')})` : '0'}${r.unfinished ? `, ${count(r.unfinished)} unfinished` : ''}`;
/** Latency of a phase; "≥" when unanswered requests made it a lower bound. */
const latencyOf = (r: OpenLoopResult, value: number) => `${r.unfinished ? '≥ ' : ''}${ms(value)}`;
/** A phase's rate, and its round when it is one of several. */
const rateOf = (r: PhaseResult) => `${count(r.offered)}${r.round ? ` · round ${r.round}` : ''}`;

export const fixedRateTable = (phases: readonly PhaseResult[]): string => {
  const lines = [
    '| rate /s | target | achieved /s | p50 | p99 | p99.9 | max | added p50 | added p99 | added p99.9 | errors | hop CPU µs/call | upstream CPU µs/call | other load % | generator: send lag p99, GC ms (longest) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    const direct = phases.find((p) => p.offered === phase.offered && p.round === phase.round && p.target === 'direct');
    const added = (pick: (s: LatencySummary) => number) => (direct && phase.target !== 'direct' ? signed(pick(phase.latency) - pick(direct.latency)) : '');
    lines.push(
      `| ${rateOf(phase)} | ${phase.target}${phase.stoppedEarly ? ' ⚠' : ''} | ${count(phase.achieved)} | ${latencyOf(phase, phase.latency.p50)} | ${latencyOf(phase, phase.latency.p99)} | ${latencyOf(phase, phase.latency.p999)} | ${latencyOf(phase, phase.latency.max)} | ${added((s) => s.p50)} | ${added((s) => s.p99)} | ${added((s) => s.p999)} | ${errorsOf(phase)} | ${us(phase.cpu.hop)} | ${us(phase.cpu.upstream)} | ${us(phase.cpu.otherPercent)} | ${ms(phase.sendLag.p99)}, ${phase.generatorGc.totalMs} (${phase.generatorGc.maxMs}) |`,
    );
  }
  return lines.join('\n');
};

/** Where the proxy's slow calls spent their time: its own histogram next to what the generator saw. */
export const proxyHeldTable = (phases: readonly PhaseResult[]): string => {
  const lines = [
    'The proxy\'s own view of the same windows (its `mcpgate_mcp_request_duration_seconds`, handler start to answer written): a p99 seen by the generator far above the proxy\'s own means the time went outside its JavaScript (sockets, accept queue, waiting for a core). The audit append (`mcpgate_audit_spool_append_seconds`, emit to on disk) is part of every call\'s time in the proxy.',
    '',
    '| rate /s | target | p99 seen by the generator | proxy\'s own p99 at most | calls held > 10 ms | > 25 ms | > 50 ms | upstream leg p99 at most | upstream leg > 10 ms | > 25 ms | audit append p50 / p99 at most | appends > 1 ms / > 10 ms | events per sync |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    if (!phase.proxyHeld) continue;
    const { p99AtMostMs, over10ms, over25ms, over50ms, upstream, spool } = phase.proxyHeld;
    const audit = spool && spool.events > 0 ? `${spool.p50AtMostMs} / ${spool.p99AtMostMs} | ${spool.over1ms} % / ${spool.over10ms} % | ${spool.writes ? (spool.events / spool.writes).toFixed(2) : '–'}` : 'in memory | | ';
    lines.push(
      `| ${rateOf(phase)} | ${phase.target} | ${latencyOf(phase, phase.latency.p99)} | ${p99AtMostMs} | ${over10ms} % | ${over25ms} % | ${over50ms} % | ${upstream.p99AtMostMs} | ${upstream.over10ms} % | ${upstream.over25ms} % | ${audit} |`,
    );
  }
  const runtimes = phases.filter((phase) => phase.proxyHeld?.runtime);
  if (runtimes.length === 0) return lines.join('\n');
  lines.push(
    '',
    'The proxy\'s runtime over the same windows (its `nodejs_gc_duration_seconds` and `nodejs_eventloop_lag_*_seconds`): GC pauses stop its event loop; the event-loop delay is how late a 10 ms timer ran, whatever the cause (GC, a long task, a synchronous write, waiting for a core).',
    '',
    '| rate /s | target | scavenges: count, total ms | mark-compacts: count, total ms | incremental marking steps: count, total ms | longest GC pause at most (ms) | GC share of the window | event-loop delay p50 / p99 / max (ms) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const phase of runtimes) {
    const { gc, longestGcAtMostMs, loopDelay } = phase.proxyHeld!.runtime!;
    const totalMs = gc.minor.totalMs + gc.major.totalMs + gc.incremental.totalMs;
    lines.push(
      `| ${rateOf(phase)} | ${phase.target} | ${gc.minor.count}, ${gc.minor.totalMs} | ${gc.major.count}, ${gc.major.totalMs} | ${gc.incremental.count}, ${gc.incremental.totalMs} | ${longestGcAtMostMs} | ${((100 * totalMs) / (1000 * phase.measureSeconds)).toFixed(2)} % | ${loopDelay.p50Ms} / ${loopDelay.p99Ms} / ${loopDelay.maxMs} |`,
    );
  }
  return lines.join('\n');
};

export const saturationTable = (results: readonly SaturationResult[]): string => {
  const lines = ['| target | saturation throughput /s | highest sustained rate /s | steps: offered → achieved (p99 ms, other load %) |', '| --- | ---: | ---: | --- |'];
  for (const r of results) {
    const steps = r.steps.map((s) => `${count(s.offered)} → ${count(s.achieved)} (${latencyOf(s, s.latency.p99)}, ${us(s.cpu.otherPercent)} %${s.errors ? `, ${s.errors} errors` : ''}${s.stoppedEarly ? ', overloaded' : ''})`).join('; ');
    lines.push(`| ${r.target} | ${r.saturated ? '' : '≥ '}${count(r.throughput)} | ${r.sustainedRate ? count(r.sustainedRate) : 'none'} | ${steps} |`);
  }
  return lines.join('\n');
};

export const initializeTable = (rtt: Readonly<Record<string, LatencySummary>>): string => {
  const direct = rtt['direct'];
  const lines = ['| target | initialize p50 | p99 | max | overhead p50 vs direct | overhead p99 vs direct |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const [name, s] of Object.entries(rtt)) {
    const over = (pick: (x: LatencySummary) => number) => (direct && name !== 'direct' ? signed(pick(s) - pick(direct)) : '');
    lines.push(`| ${name} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${over((x) => x.p50)} | ${over((x) => x.p99)} |`);
  }
  return lines.join('\n');
};

export const sessionsTable = (results: readonly SessionsResult[], peakRssMb: number): string => {
  const row = (label: string, cell: (s: SessionsResult) => string | number) => `| ${label} | ${results.map(cell).join(' | ')} |`;
  const first = results[0]!;
  return [
    `| RSS MB unless noted | ${results.map((r) => r.target).join(' | ')} |`,
    `| --- | ${results.map(() => '---:').join(' | ')} |`,
    row('cold: started, 0 sessions (JS heap used, old space)', (s) => `${s.rssColdMb} (${s.heapCold.heapUsed}, ${s.heapCold.oldSpaceUsed})`),
    row('before opening the sessions (after the initialize round trips)', (s) => s.rssBeforeMb),
    row(`${count(first.sessions)} sessions open, one connection each (JS heap used, old space)`, (s) => `${s.rssOpenedMb} (${s.heapOpened.heapUsed}, ${s.heapOpened.oldSpaceUsed}; opened in ${s.openSeconds} s)`),
    row(`max while serving ${count(first.traffic.offered)} calls/s across all of them`, (s) => s.rssActiveMaxMb),
    row('… JS heap at the end: used (old space) / total (young generation), outside the heap', (s) => `${s.heapActive.heapUsed} (${s.heapActive.oldSpaceUsed}) / ${s.heapActive.heapTotal} (${s.heapActive.newSpaceSize}), ${s.heapActive.external}`),
    row('latency of those calls p50 / p99 ms, errors', (s) => `${latencyOf(s.traffic, s.traffic.latency.p50)} / ${latencyOf(s.traffic, s.traffic.latency.p99)}, ${errorsOf(s.traffic)}`),
    row('other processes meanwhile, % of the machine', (s) => s.cpu.otherPercent),
    row('open file descriptors before → while serving', (s) => `${s.openFdsBefore} → ${s.openFdsActive}`),
    `| proxy peak RSS over the whole run (VmHWM) | ${peakRssMb} |${results.length > 1 ? ' |'.repeat(results.length - 1) : ''}`,
  ].join('\n');
};

/**
 * The goals' ratios for the proxy (audit on the durable spool) beside the same ratios for the
 * same proxy with audit in memory, from the same run: the difference is what writing each call's
 * audit record to disk before answering costs, and so how much of a missed goal it accounts for.
 */
export const auditCostTable = (fixed: readonly PhaseResult[], saturation: readonly SaturationResult[]): string => {
  const lines = [
    'The proxy as in the goals (audit record on disk before each answer) and the same proxy with audit events kept in memory, each against the same direct and pass-through phases.',
    '',
    '| rate /s | audit | added p50 (÷ pass-through) | p99 (÷ pass-through) | CPU µs/call (÷ pass-through) |',
    '| ---: | --- | ---: | ---: | ---: |',
  ];
  for (const rate of [...new Set(fixed.map((p) => p.offered))]) {
    const pick = (target: TargetName) => fixed.find((p) => p.offered === rate && p.target === target);
    const direct = pick('direct');
    const pass = pick('pass-through');
    if (!direct || !pass) continue;
    for (const [target, audit] of [['proxy', 'durable spool'], ['proxy, audit in memory', 'in memory']] as const) {
      const proxy = pick(target);
      if (!proxy) continue;
      const { proxyAdded, addedP50, p99 } = latencyRatios(direct, pass, proxy);
      lines.push(`| ${count(rate)} | ${audit} | ${signed(proxyAdded)} (${addedP50.toFixed(2)}×) | ${ms(proxy.latency.p99)} (${p99.toFixed(2)}×) | ${us(proxy.cpu.hop)} (${(proxy.cpu.hop / pass.cpu.hop).toFixed(2)}×) |`);
    }
  }
  const pass = saturation.find((s) => s.target === 'pass-through');
  const throughput = (target: TargetName) => {
    const sat = saturation.find((s) => s.target === target);
    return sat && pass ? `${sat.saturated ? '' : '≥ '}${count(sat.throughput)}/s (${((100 * sat.throughput) / pass.throughput).toFixed(0)} % of the pass-through's ${pass.saturated ? '' : '≥ '}${count(pass.throughput)})` : 'not measured';
  };
  lines.push('', `Saturation: durable spool ${throughput('proxy')}, in memory ${throughput('proxy, audit in memory')}.`);
  return lines.join('\n');
};

export const goalsTable = (goals: readonly Goal[]): string =>
  ['| goal | measured | result |', '| --- | --- | --- |', ...goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.result}${g.why ? ` (${g.why})` : ''} |`)].join('\n');

/** CPU per call of each hop at each rate: much less sensitive to a busy neighbour than latency. */
export const cpuTable = (phases: readonly PhaseResult[]): string => {
  const inMemory = phases.some((p) => p.target === 'proxy, audit in memory');
  const lines = [
    `| rate /s | pass-through µs/call | proxy µs/call | proxy ÷ pass-through |${inMemory ? ' proxy, audit in memory µs/call | ÷ pass-through |' : ''} upstream µs/call (direct) | generator µs/call (direct) |`,
    `| ---: | ---: | ---: | ---: |${inMemory ? ' ---: | ---: |' : ''} ---: | ---: |`,
  ];
  for (const rate of [...new Set(phases.map((p) => p.offered))]) {
    const pick = (target: TargetName) => phases.find((p) => p.offered === rate && p.target === target);
    const direct = pick('direct');
    const pass = pick('pass-through');
    const proxy = pick('proxy');
    if (!direct || !pass || !proxy) continue;
    const memory = pick('proxy, audit in memory');
    const overPass = (hop: PhaseResult | undefined) => (hop ? `${us(hop.cpu.hop)} | ${(hop.cpu.hop / pass.cpu.hop).toFixed(2)}` : '– | –');
    lines.push(`| ${count(rate)} | ${us(pass.cpu.hop)} | ${overPass(proxy)} |${inMemory ? ` ${overPass(memory)} |` : ''} ${us(direct.cpu.upstream)} | ${us(direct.cpu.generator)} |`);
  }
  return lines.join('\n');
};

export const profileTable = (p: ProfileSummary, calls: number): string =>
  [
    `Profile ${p.file}: ${p.windowed ? `the measured window (${p.windowMs} ms)` : 'the whole profile (the window matched no samples)'}, busy ${p.busyMs} ms, idle ${p.idleMs} ms, ` +
      `${calls ? `${((p.busyMs * 1000) / calls).toFixed(0)} µs of proxy CPU per call (${count(calls)} calls, profiler on)` : ''}`,
    '',
    '| # | function | where | mostly via (project code on the stack) | self ms | % of busy |',
    '| ---: | --- | --- | --- | ---: | ---: |',
    ...p.top.map((t, i) => `| ${i + 1} | ${t.function} | ${t.where} | ${t.via} | ${t.selfMs} | ${t.percent} |`),
    '',
    '| project function (with the library and Node code it calls) | ms | % of busy |',
    '| --- | ---: | ---: |',
    ...p.byProjectFunction.map((f) => `| ${f.function} | ${f.selfMs} | ${f.percent} |`),
    '',
    '| area | self ms | % of busy |',
    '| --- | ---: | ---: |',
    ...p.byArea.map((a) => `| ${a.area} | ${a.selfMs} | ${a.percent} |`),
  ].join('\n');
