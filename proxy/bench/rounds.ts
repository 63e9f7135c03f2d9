/**
 * The fixed-rate phases run in rounds (`BENCH_ROUNDS`): every target at every rate once per round,
 * the targets' order rotated from round to round so that none always follows the same neighbour.
 * One 10 s window's p99 hangs on a handful of stalls and moves 2–3× from run to run on a shared
 * 2-core machine; the goals are judged on each target's calls of all rounds together (percentiles
 * of the pooled samples, not averages of per-round percentiles), and each round's ratios are listed
 * beside them so the spread stays visible.
 */
import { newSamplePool, type SamplePool } from './load.js';
import type { CpuUse, PhaseResult, TargetName } from './report.js';

/** The order of the targets in round `round` (0-based): rotated by one per round. */
export const roundOrder = <T>(targets: readonly T[], round: number): T[] => targets.map((_, i) => targets[(i + round) % targets.length]!);

/** One sample pool per rate and target, filled by the rounds' phases. */
export class RoundPools {
  readonly #pools = new Map<string, SamplePool>();

  of(rate: number, target: TargetName): SamplePool {
    const key = `${rate} ${target}`;
    let pool = this.#pools.get(key);
    if (!pool) this.#pools.set(key, (pool = newSamplePool()));
    return pool;
  }

  /**
   * One result per rate and target over all of its rounds: pooled percentiles, calls and errors
   * summed, CPU per call weighted by each round's calls, the busiest round's "other load".
   */
  combine(phases: readonly PhaseResult[]): PhaseResult[] {
    const combined: PhaseResult[] = [];
    for (const rate of [...new Set(phases.map((p) => p.offered))]) {
      for (const target of [...new Set(phases.map((p) => p.target))]) {
        const rounds = phases.filter((p) => p.offered === rate && p.target === target);
        if (rounds.length === 0) continue;
        const pool = this.of(rate, target);
        const calls = rounds.map((p) => p.achieved * p.measureSeconds);
        const totalCalls = calls.reduce((a, b) => a + b, 0);
        const weighted = (pick: (cpu: CpuUse) => number) => (totalCalls ? rounds.reduce((sum, p, i) => sum + pick(p.cpu) * calls[i]!, 0) / totalCalls : Number.NaN);
        const seconds = rounds.reduce((sum, p) => sum + p.measureSeconds, 0);
        const errorKinds: Record<string, number> = {};
        for (const p of rounds) for (const [kind, n] of Object.entries(p.errorKinds)) errorKinds[kind] = (errorKinds[kind] ?? 0) + n;
        const stopped = rounds.filter((p) => p.stoppedEarly).map((p) => `round ${p.round}: ${p.stoppedEarly}`);
        combined.push({
          target,
          offered: rate,
          measureSeconds: +seconds.toFixed(3),
          scheduled: rounds.reduce((sum, p) => sum + p.scheduled, 0),
          achieved: Math.round(totalCalls / seconds),
          latency: pool.latency.summary(),
          service: pool.service.summary(),
          sendLag: pool.sendLag.summary(),
          generatorGc: {
            count: rounds.reduce((sum, p) => sum + p.generatorGc.count, 0),
            totalMs: +rounds.reduce((sum, p) => sum + p.generatorGc.totalMs, 0).toFixed(1),
            maxMs: Math.max(...rounds.map((p) => p.generatorGc.maxMs)),
          },
          errors: rounds.reduce((sum, p) => sum + p.errors, 0),
          errorKinds,
          unfinished: rounds.reduce((sum, p) => sum + p.unfinished, 0),
          maxInFlight: Math.max(...rounds.map((p) => p.maxInFlight)),
          cpu: {
            upstream: Math.round(weighted((c) => c.upstream)),
            hop: Math.round(weighted((c) => c.hop)),
            generator: Math.round(weighted((c) => c.generator)),
            otherPercent: Math.max(...rounds.map((p) => p.cpu.otherPercent)),
          },
          ...(stopped.length ? { stoppedEarly: stopped.join('; ') } : {}),
        });
      }
    }
    return combined;
  }
}

/**
 * The two latency goals' ratios from one rate's phases: the proxy's added p50 over the
 * pass-through's, and its p99 over the pass-through's. A pass-through that adds (almost) nothing
 * would make any ratio meaningless, so its added p50 is floored at 10 µs.
 */
export const latencyRatios = (direct: PhaseResult, pass: PhaseResult, proxy: PhaseResult) => {
  const passAdded = pass.latency.p50 - direct.latency.p50;
  const proxyAdded = proxy.latency.p50 - direct.latency.p50;
  return { passAdded, proxyAdded, addedP50: proxyAdded / Math.max(passAdded, 0.01), p99: proxy.latency.p99 / pass.latency.p99 };
};

/** Each round's goal ratios (`latencyRatios`), at each rate. */
export const roundRatios = (phases: readonly PhaseResult[]) => {
  const ratios: { rate: number; round: number; addedP50: number; p99: number }[] = [];
  for (const phase of phases) {
    if (phase.target !== 'proxy') continue;
    const at = (target: TargetName) => phases.find((p) => p.offered === phase.offered && p.round === phase.round && p.target === target);
    const direct = at('direct');
    const pass = at('pass-through');
    if (!direct || !pass) continue;
    const { addedP50, p99 } = latencyRatios(direct, pass, phase);
    ratios.push({ rate: phase.offered, round: phase.round ?? 1, addedP50, p99 });
  }
  return ratios;
};
