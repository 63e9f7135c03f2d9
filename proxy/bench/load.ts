/**
 * The load generator: MCP sessions over undici, and open-loop fixed-rate load of `tools/call`.
 *
 * Open loop: request i is due at `start + i / rate` whatever happened to earlier ones, and its
 * latency is measured from that scheduled time to the end of its response body. A stall in the
 * target (or in this generator) therefore shows up in the latencies of every request that should
 * have been sent meanwhile, instead of silently lowering the rate (coordinated omission). Sends are
 * batched per timer tick (about 1 ms): every request due by now goes out.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { SlotList } from '../src/runtime/slot-list.js';
import { Latencies, type LatencySummary } from './latencies.js';

export const PROTOCOL_VERSION = '2025-11-25';

/** One MCP session: the connection pool (or single connection) it is used on and its request headers. */
export interface Session {
  readonly dispatcher: Dispatcher;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

const baseHeaders = (bearer: string | undefined): Record<string, string> => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
});

const initializeBody = (id: number) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcpgate-bench', version: '1.0.0' } } });

/** One `initialize` round trip; the session id the server issued, or an error. */
export const initialize = async (dispatcher: Dispatcher, path: string, bearer: string | undefined, id: number): Promise<string> => {
  const response = await dispatcher.request({ path, method: 'POST', headers: baseHeaders(bearer), body: initializeBody(id) });
  const text = await response.body.text();
  const sessionId = response.headers['mcp-session-id'];
  if (response.statusCode !== 200 || typeof sessionId !== 'string') throw new Error(`initialize on ${path} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { result?: unknown; error?: { message?: string } };
  if (!answer.result) throw new Error(`initialize on ${path} failed: ${answer.error?.message ?? text.slice(0, 300)}`);
  return sessionId;
};

/** A full handshake (initialize, then notifications/initialized): a session ready for calls. */
export const openSession = async (dispatcher: Dispatcher, path: string, bearer: string | undefined, id: number): Promise<Session> => {
  const sessionId = await initialize(dispatcher, path, bearer, id);
  const headers = { ...baseHeaders(bearer), 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION };
  const response = await dispatcher.request({ path, method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  await response.body.dump();
  if (response.statusCode !== 202) throw new Error(`notifications/initialized on ${path} answered HTTP ${response.statusCode}`);
  return { dispatcher, path, headers };
};

/** Opens `count` sessions, `concurrency` handshakes at a time; `dispatcherFor(i)` picks each one's connection(s). */
export const openSessions = async (
  count: number,
  concurrency: number,
  dispatcherFor: (i: number) => Dispatcher,
  path: string,
  bearer: string | undefined,
  onProgress?: (opened: number) => void,
): Promise<Session[]> => {
  const sessions: Session[] = new Array<Session>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      sessions[i] = await openSession(dispatcherFor(i), path, bearer, i + 1);
      if (i % 50 === 0) onProgress?.(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return sessions;
};

export interface OpenLoopOptions {
  readonly label: string;
  /** Calls per second. */
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Above this many requests in flight the phase stops early and is marked overloaded. */
  readonly backlogCap: number;
  /** How long to wait for stragglers after the last send before abandoning them. */
  readonly drainMs: number;
  /** Called when the measured window opens and closes (for CPU readings of the children). */
  readonly onWindow?: (edge: 'start' | 'end') => void;
  /**
   * Called `before` the window opens (half the warm-up or 1 s ahead, whichever is less) and `after`
   * the phase has drained: for readings that cost the target something (a /metrics scrape stalls
   * the proxy's event loop for milliseconds), so that their cost lands outside the measured calls.
   */
  readonly onOutsideWindow?: (edge: 'before' | 'after') => void;
  readonly onProgress?: (line: string) => void;
  /**
   * Where the measured samples also go, when the same target and rate run in several rounds: the
   * rounds' percentiles are then taken over all of their calls together, not averaged.
   */
  readonly pool?: SamplePool;
}

/** Samples of several phases together (one per target and rate across rounds). */
export interface SamplePool {
  readonly latency: Latencies;
  readonly service: Latencies;
  readonly sendLag: Latencies;
}

export const newSamplePool = (): SamplePool => ({ latency: new Latencies(), service: new Latencies(), sendLag: new Latencies() });

export interface OpenLoopResult {
  readonly offered: number;
  readonly measureSeconds: number;
  /** Requests scheduled inside the measured window. */
  readonly scheduled: number;
  /** Successful answers completed inside the measured window, per second. */
  readonly achieved: number;
  /**
   * Scheduled send → end of the answer, of requests scheduled inside the window (ms). Requests
   * given up on when the phase ended count with the time they had waited: then a lower bound.
   */
  readonly latency: LatencySummary;
  /** Actual send → end of the answer (ms): what a closed-loop tool would report. */
  readonly service: LatencySummary;
  /** Actual send − scheduled send (ms): the generator's own lateness; large values mean it is the bottleneck. */
  readonly sendLag: LatencySummary;
  /** The generator's own GC pauses during the window: a pause makes every call due in it late, whatever the target. */
  readonly generatorGc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Requests of the window still unanswered when the phase gave up on them (overload, drain timeout). */
  readonly unfinished: number;
  readonly maxInFlight: number;
  /** Why the phase stopped before its end, when it did. */
  readonly stoppedEarly?: string;
}

const ABANDONED = 'abandoned';
const classify = (error: unknown, abandoned: boolean): string => {
  if (abandoned) return ABANDONED;
  const code = (error as { code?: string }).code;
  return code ? `network ${code}` : `network ${error instanceof Error ? error.name : 'error'}`;
};

/** Checks one tools/call answer: HTTP 200, a JSON-RPC result with the request's id. */
const problemOf = (status: number, text: string, id: number): string | undefined => {
  if (status !== 200) return `http ${status}`;
  let answer: { id?: unknown; result?: unknown; error?: { code?: number } };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return 'not json';
  }
  if (answer.error) return `jsonrpc ${answer.error.code ?? '?'}`;
  if (answer.id !== id || typeof answer.result !== 'object' || answer.result === null) return 'bad answer';
  return undefined;
};

let nextCallId = 1_000_000;

class Abandoned extends Error {
  override readonly name = 'Abandoned';
}

/**
 * One POST through undici's lowest-level API: no body stream and no per-request AbortSignal, which
 * costs the generator about a quarter less CPU per call than `request()` (measured) and leaves more
 * of the shared machine to what is measured. `live` holds the controllers of started requests so a
 * phase can give up on them; a queued request that starts after `abandoned()` is aborted at once.
 */
const post = (session: Session, body: string, live: SlotList<Dispatcher.DispatchController>, abandoned: () => boolean): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let started: { readonly slot: number; readonly controller: Dispatcher.DispatchController } | undefined;
    session.dispatcher.dispatch(
      { path: session.path, method: 'POST', headers: session.headers, body },
      {
        onRequestStart(controller) {
          if (abandoned()) return controller.abort(new Abandoned());
          started = { slot: live.add(controller), controller };
        },
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (started) live.delete(started.slot, started.controller);
          resolve({ status, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, error) {
          if (started) live.delete(started.slot, started.controller);
          reject(error);
        },
      },
    );
  });

/** Runs one open-loop phase of `tools/call echo` over `sessions`, round-robin. */
export const runOpenLoop = (sessions: readonly Session[], options: OpenLoopOptions): Promise<OpenLoopResult> =>
  new Promise((resolve) => {
    const interval = 1000 / options.rate;
    const start = performance.now() + 2;
    const windowStart = start + options.warmupMs;
    let windowEnd = windowStart + options.measureMs;
    const latency = new Latencies(options.pool?.latency);
    const service = new Latencies(options.pool?.service);
    const sendLag = new Latencies(options.pool?.sendLag);
    const errorKinds: Record<string, number> = {};
    // not a Set: an overloaded phase puts thousands of calls in flight (see SlotList)
    const live = new SlotList<Dispatcher.DispatchController>();
    let abandoned = false;
    const isAbandoned = () => abandoned;
    const abandon = () => {
      abandoned = true;
      for (const [, controller] of live.entries()) controller.abort(new Abandoned());
      live.clear();
    };
    let sent = 0;
    let scheduledInWindow = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let okInWindow = 0;
    let errors = 0;
    let unfinished = 0;
    let sessionIndex = 0;
    let stoppedEarly: string | undefined;
    let windowOpen = false;
    let finishedSending = false;
    let finished = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const outsideLeadMs = Math.min(1_000, options.warmupMs / 2);
    let beforeCalled = false;
    const gcPauses = { count: 0, totalMs: 0, maxMs: 0 };
    const gcWatch = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // pauses that began inside the window (an entry's startTime is on performance.now()'s clock)
        if (entry.startTime < windowStart || entry.startTime > windowEnd) continue;
        gcPauses.count += 1;
        gcPauses.totalMs += entry.duration;
        gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration);
      }
    });
    gcWatch.observe({ entryTypes: ['gc'] });

    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(progress);
      if (drainTimer) clearTimeout(drainTimer);
      gcWatch.disconnect();
      options.onOutsideWindow?.('after');
      const seconds = (windowEnd - windowStart) / 1000;
      resolve({
        offered: options.rate,
        measureSeconds: +seconds.toFixed(3),
        scheduled: scheduledInWindow,
        achieved: Math.round(okInWindow / seconds),
        latency: latency.summary(),
        service: service.summary(),
        sendLag: sendLag.summary(),
        generatorGc: { count: gcPauses.count, totalMs: +gcPauses.totalMs.toFixed(1), maxMs: +gcPauses.maxMs.toFixed(1) },
        errors,
        errorKinds,
        unfinished,
        maxInFlight,
        ...(stoppedEarly ? { stoppedEarly } : {}),
      });
    };

    const settle = (scheduled: number, sentAt: number, measured: boolean, problem: string | undefined) => {
      const end = performance.now();
      inFlight -= 1;
      if (!problem && end >= windowStart && end <= windowEnd) okInWindow += 1;
      if (measured) {
        if (problem === ABANDONED) {
          unfinished += 1;
          latency.add(end - scheduled);
        } else if (problem) {
          errors += 1;
          errorKinds[problem] = (errorKinds[problem] ?? 0) + 1;
        } else {
          latency.add(end - scheduled);
          service.add(end - sentAt);
        }
      }
      if (finishedSending && inFlight === 0) finish();
    };

    const fire = (scheduled: number, measured: boolean) => {
      const session = sessions[sessionIndex]!;
      sessionIndex = (sessionIndex + 1) % sessions.length;
      const id = nextCallId++;
      inFlight += 1;
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      const sentAt = performance.now();
      if (measured) sendLag.add(sentAt - scheduled);
      post(session, `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello ${id}"}}}`, live, isAbandoned).then(
        ({ status, text }) => settle(scheduled, sentAt, measured, problemOf(status, text, id)),
        (error: unknown) => settle(scheduled, sentAt, measured, classify(error, abandoned)),
      );
    };

    const stopSending = () => {
      finishedSending = true;
      if (!windowOpen) options.onWindow?.('start');
      options.onWindow?.('end');
      if (inFlight === 0) return finish();
      drainTimer = setTimeout(() => {
        abandon();
        // whatever has not settled 5 s after the abort is given up on
        drainTimer = setTimeout(finish, 5_000);
      }, stoppedEarly ? 0 : options.drainMs);
    };

    const tick = () => {
      const now = performance.now();
      if (!beforeCalled && now >= windowStart - outsideLeadMs) {
        beforeCalled = true;
        options.onOutsideWindow?.('before');
      }
      if (!windowOpen && now >= windowStart) {
        windowOpen = true;
        options.onWindow?.('start');
      }
      const until = Math.min(now, windowEnd);
      while (start + sent * interval <= until) {
        const scheduled = start + sent * interval;
        sent += 1;
        const measured = scheduled >= windowStart;
        if (measured) scheduledInWindow += 1;
        fire(scheduled, measured);
      }
      if (inFlight > options.backlogCap) {
        stoppedEarly = `overloaded: over ${options.backlogCap} requests in flight after ${((now - start) / 1000).toFixed(1)} s`;
        windowEnd = Math.max(windowStart + 1, Math.min(now, windowEnd));
        return stopSending();
      }
      if (now >= windowEnd) return stopSending();
      setTimeout(tick, 1);
    };

    const progress = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      options.onProgress?.(`${options.label}: ${elapsed.toFixed(0)}/${((options.warmupMs + options.measureMs) / 1000).toFixed(0)} s, ${sent.toLocaleString('en-US')} sent, ${inFlight} in flight, ${errors} errors`);
    }, 1_000);
    setTimeout(tick, 2);
  });

/** Sequential initialize round trips (closed loop, one at a time), interleaved across targets so drift hits all alike. */
export const initializeRoundTrips = async (
  targets: readonly { readonly name: string; readonly dispatcher: Dispatcher; readonly path: string; readonly bearer?: string }[],
  rounds: number,
  warmup: number,
  onProgress?: (line: string) => void,
): Promise<Record<string, LatencySummary>> => {
  const samples = new Map(targets.map((t) => [t.name, new Latencies()]));
  for (let round = -warmup; round < rounds; round++) {
    for (const target of targets) {
      const started = performance.now();
      await initialize(target.dispatcher, target.path, target.bearer, round + warmup + 1);
      if (round >= 0) samples.get(target.name)!.add(performance.now() - started);
    }
    if (round % 50 === 0) onProgress?.(`initialize round trips: ${Math.max(0, round)}/${rounds}`);
  }
  return Object.fromEntries([...samples].map(([name, s]) => [name, s.summary()]));
};
