/**
 * How long the proxy itself held the calls of a measured window, from its own Prometheus histogram
 * (`mcpgate_mcp_request_duration_seconds`, handler start to answer written): read just before the
 * window opens and after the phase has drained (a scrape holds the proxy's event loop for
 * milliseconds, which calls inside the window must not pay), the difference is this window's calls
 * plus the warm-up calls of the lead (up to 1 s of them). Next to the latency the generator saw, it
 * says where a slow call spent its time: in the proxy's JavaScript (GC, the event loop, the
 * upstream leg it awaits), or outside it (sockets, accept queue, a process waiting for a core).
 */

const REQUESTS = 'mcpgate_mcp_request_duration_seconds_bucket';
const UPSTREAM = 'mcpgate_upstream_call_duration_seconds_bucket';
const SPOOL_APPEND = 'mcpgate_audit_spool_append_seconds_bucket';
const SPOOL_WRITES = 'mcpgate_audit_spool_writes_total';

export interface HeldShares {
  /** Requests finished in the window. */
  readonly calls: number;
  /** Share of them (%) that the proxy held longer than 10, 25 and 50 ms. */
  readonly over10ms: number;
  readonly over25ms: number;
  readonly over50ms: number;
  /** The upper bound of the histogram bucket holding the 99th percentile (ms). */
  readonly p99AtMostMs: number;
}

/** The audit spool's part (`mcpgate_audit_spool_append_seconds`): emit to on disk, which every call awaits before its answer. */
export interface SpoolAppends {
  readonly events: number;
  /** Synchronous writes in the window; events ÷ writes is how many calls shared each sync. */
  readonly writes: number;
  readonly p50AtMostMs: number;
  readonly p99AtMostMs: number;
  /** Share of the events (%) that waited longer than 1 and 10 ms. */
  readonly over1ms: number;
  readonly over10ms: number;
}

/** The proxy's runtime over the window (prom-client's default metrics): GC pauses and event-loop delay. */
export interface ProxyRuntime {
  /** Pauses (count) and their total (ms) by kind: minor (scavenges), major (mark-compact), incremental marking steps. */
  readonly gc: Record<'minor' | 'major' | 'incremental', { readonly count: number; readonly totalMs: number }>;
  /** The upper bound (ms) of the GC histogram bucket holding the longest pause of the window. */
  readonly longestGcAtMostMs: number;
  /**
   * Event-loop delay over the window (monitorEventLoopDelay, reset at each scrape): p50, p99, max in
   * ms, beyond the monitor's 10 ms period (Node records each whole interval between its timer's runs).
   */
  readonly loopDelay: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
}

export interface ProxyHeld extends HeldShares {
  /** The upstream leg alone (`mcpgate_upstream_call_duration_seconds`): request sent to answer read. */
  readonly upstream: HeldShares;
  /** Absent when the proxy audits in memory. */
  readonly spool?: SpoolAppends;
  /** Absent if the proxy exposes no default metrics. */
  readonly runtime?: ProxyRuntime;
}

type Buckets = Map<number, number>;

/** Cumulative bucket counts of one histogram (all label values summed, or only lines containing `having`), by upper bound in seconds. */
const bucketsOf = (text: string, metric: string, having = ''): Buckets => {
  const buckets: Buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric) || !line.includes(having)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined || !Number.isFinite(value)) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
};

const share = (part: number, whole: number) => (whole ? +((100 * part) / whole).toFixed(3) : 0);

/** The counts of a window, by upper bound, and the bound (ms) under which a share `q` of them fell. */
const windowOf = (start: Buckets, end: Buckets) => {
  const inWindow = (bound: number) => (end.get(bound) ?? 0) - (start.get(bound) ?? 0);
  const bounds = [...end.keys()].sort((a, b) => a - b);
  const atMostMs = (q: number) => (bounds.find((bound) => inWindow(bound) >= q * inWindow(Infinity)) ?? Infinity) * 1000;
  return { inWindow, total: inWindow(Infinity), atMostMs };
};

const sharesBetween = (start: Buckets, end: Buckets): HeldShares => {
  const { inWindow, total: calls, atMostMs } = windowOf(start, end);
  return { calls, over10ms: share(calls - inWindow(0.01), calls), over25ms: share(calls - inWindow(0.025), calls), over50ms: share(calls - inWindow(0.05), calls), p99AtMostMs: atMostMs(0.99) };
};

/**
 * A sample's value: the first line of `metric` (exact name; the registry's default labels, if any,
 * follow it) whose labels contain `having`.
 */
const sampleOf = (text: string, metric: string, having = ''): number | undefined => {
  const line = text.split('\n').find((l) => (l.startsWith(`${metric} `) || l.startsWith(`${metric}{`)) && l.includes(having));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

const spoolBetween = (start: string, end: string): SpoolAppends | undefined => {
  const writes = (sampleOf(end, SPOOL_WRITES) ?? NaN) - (sampleOf(start, SPOOL_WRITES) ?? NaN);
  if (!Number.isFinite(writes)) return undefined;
  const { inWindow, total: events, atMostMs } = windowOf(bucketsOf(start, SPOOL_APPEND), bucketsOf(end, SPOOL_APPEND));
  return { events, writes, p50AtMostMs: atMostMs(0.5), p99AtMostMs: atMostMs(0.99), over1ms: share(events - inWindow(0.001), events), over10ms: share(events - inWindow(0.01), events) };
};

const GC = 'nodejs_gc_duration_seconds';
/** prom-client's default `eventLoopMonitoringPrecision`, the proxy's setting. */
const LOOP_MONITOR_PERIOD_MS = 10;

const runtimeBetween = (start: string, end: string): ProxyRuntime | undefined => {
  const gcOf = (kind: 'minor' | 'major' | 'incremental') => {
    const delta = (metric: string) => (sampleOf(end, metric, `kind="${kind}"`) ?? 0) - (sampleOf(start, metric, `kind="${kind}"`) ?? 0);
    return { count: delta(`${GC}_count`), totalMs: +(1000 * delta(`${GC}_sum`)).toFixed(1) };
  };
  const p99 = sampleOf(end, 'nodejs_eventloop_lag_p99_seconds');
  if (p99 === undefined) return undefined;
  // the longest pause: the lowest bound under which every pause of the window fell
  const { total, atMostMs } = windowOf(bucketsOf(start, `${GC}_bucket`), bucketsOf(end, `${GC}_bucket`));
  const ms = (seconds: number | undefined) => +Math.max(0, 1000 * (seconds ?? NaN) - LOOP_MONITOR_PERIOD_MS).toFixed(2);
  return {
    gc: { minor: gcOf('minor'), major: gcOf('major'), incremental: gcOf('incremental') },
    longestGcAtMostMs: total === 0 ? 0 : atMostMs(1),
    loopDelay: { p50Ms: ms(sampleOf(end, 'nodejs_eventloop_lag_p50_seconds')), p99Ms: ms(p99), maxMs: ms(sampleOf(end, 'nodejs_eventloop_lag_max_seconds')) },
  };
};

/** Reads the proxy's histograms before and after a window; `result()` is undefined when either read failed. */
export const proxyHeldReader = (metricsUrl: string) => {
  const reads: Partial<Record<'start' | 'end', Promise<string | undefined>>> = {};
  const read = () =>
    fetch(metricsUrl)
      .then(async (response) => (response.ok ? response.text() : undefined))
      .catch(() => undefined);
  return {
    onWindow: (edge: 'start' | 'end') => {
      reads[edge] = read();
    },
    result: async (): Promise<ProxyHeld | undefined> => {
      const [start, end] = await Promise.all([reads.start, reads.end]);
      if (start === undefined || end === undefined) return undefined;
      const spool = spoolBetween(start, end);
      const runtime = runtimeBetween(start, end);
      return {
        ...sharesBetween(bucketsOf(start, REQUESTS, 'method="tools/call"'), bucketsOf(end, REQUESTS, 'method="tools/call"')),
        upstream: sharesBetween(bucketsOf(start, UPSTREAM), bucketsOf(end, UPSTREAM)),
        ...(spool ? { spool } : {}),
        ...(runtime ? { runtime } : {}),
      };
    },
  };
};
