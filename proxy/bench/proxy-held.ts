/**
 * How long the proxy itself held the calls of a measured window, from its own Prometheus histogram
 * (`mcpgate_mcp_request_duration_seconds`, handler start to answer written): read at the window's
 * start and end, the difference is this window's calls. Next to the latency the generator saw, it
 * says where a slow call spent its time: in the proxy's JavaScript (GC, the event loop, the
 * upstream leg it awaits), or outside it (sockets, accept queue, a process waiting for a core).
 */

const REQUESTS = 'mcpgate_mcp_request_duration_seconds_bucket';
const UPSTREAM = 'mcpgate_upstream_call_duration_seconds_bucket';

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

export interface ProxyHeld extends HeldShares {
  /** The upstream leg alone (`mcpgate_upstream_call_duration_seconds`): request sent to answer read. */
  readonly upstream: HeldShares;
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

const sharesBetween = (start: Buckets, end: Buckets): HeldShares => {
  const inWindow = (bound: number) => (end.get(bound) ?? 0) - (start.get(bound) ?? 0);
  const calls = inWindow(Infinity);
  const bounds = [...end.keys()].sort((a, b) => a - b);
  const p99AtMostMs = (bounds.find((bound) => inWindow(bound) >= 0.99 * calls) ?? Infinity) * 1000;
  return { calls, over10ms: share(calls - inWindow(0.01), calls), over25ms: share(calls - inWindow(0.025), calls), over50ms: share(calls - inWindow(0.05), calls), p99AtMostMs };
};

/** Reads the proxy's histogram at a window's edges; `result()` is undefined when either read failed. */
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
      return {
        ...sharesBetween(bucketsOf(start, REQUESTS, 'method="tools/call"'), bucketsOf(end, REQUESTS, 'method="tools/call"')),
        upstream: sharesBetween(bucketsOf(start, UPSTREAM), bucketsOf(end, UPSTREAM)),
      };
    },
  };
};
