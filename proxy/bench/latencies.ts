/**
 * Latency samples in milliseconds at full `performance.now()` precision (sub-microsecond), kept
 * whole in a growing Float64Array and sorted once for percentiles: exact, where an HDR histogram
 * would bucket. hdr-histogram-js is not installed, and a 10 s phase at 12k calls/s is 120k samples.
 */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

const micro = (ms: number) => Math.round(ms * 1000) / 1000;

export class Latencies {
  private samples = new Float64Array(1024);
  private size = 0;

  /** `alsoInto`: another set that every sample is added to as well (several phases pooled). */
  constructor(private readonly alsoInto?: Latencies) {}

  add(ms: number): void {
    this.alsoInto?.add(ms);
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  /** Nearest-rank percentiles, in ms rounded to the microsecond. */
  summary(): LatencySummary {
    if (!this.size) return { count: 0, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN };
    const sorted = this.samples.slice(0, this.size).sort();
    const at = (p: number) => sorted[Math.min(this.size - 1, Math.max(0, Math.ceil(p * this.size) - 1))]!;
    let sum = 0;
    for (const value of sorted) sum += value;
    return { count: this.size, mean: micro(sum / this.size), p50: micro(at(0.5)), p90: micro(at(0.9)), p99: micro(at(0.99)), p999: micro(at(0.999)), max: micro(sorted[this.size - 1]!) };
  }
}
