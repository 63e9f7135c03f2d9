import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcCode } from '../mcp/jsonrpc.js';
import { fail } from './failure.js';

export interface AdmissionOptions {
  /** Agent POSTs this replica holds at once, from arrival until their answer is written or the client went away. */
  readonly maxConcurrentRequests: number;
  /** Each refused request (for the metric). */
  readonly onShed?: () => void;
  /** How often, at most, a warning says that requests are being refused (ms). */
  readonly warnEveryMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
}

/**
 * Load shedding at the door. Past `maxConcurrentRequests` agent POSTs in progress, a new one is
 * answered at once with 503, `Retry-After: 1` and `Connection: close` (a round-robin balancer
 * then sends the client's next attempt to another replica), before its body is read or anything
 * is decoded: an overloaded replica keeps answering what it took in at the latency it can, and its
 * memory stays bounded, instead of queueing every arrival until all of them are too late.
 *
 * A refused request never reached MCP handling, so no audit event is written for it (the proxy
 * does not know it was a tool call without reading it); the metric and a warning (at most one per
 * `warnEveryMs`) count them. GET streams and DELETEs are not counted or refused: a stream is held
 * by a session, not queued work, and closing a session frees resources.
 */
export class Admission {
  #inFlight = 0;
  #shedSinceWarning = 0;
  #lastWarningAt = Number.NEGATIVE_INFINITY;
  readonly #leave = (): void => {
    this.#inFlight -= 1;
  };

  constructor(private readonly options: AdmissionOptions) {}

  /** Agent POSTs in progress now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** True: the request goes on (a POST counts until its response closes). False: it was answered 503. */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return true;
    const max = this.options.maxConcurrentRequests;
    if (this.#inFlight >= max) {
      this.#shed(res, max);
      return false;
    }
    this.#inFlight += 1;
    // 'close' comes once for every response: written in full, or its connection gone
    res.on('close', this.#leave);
    return true;
  }

  #shed(res: ServerResponse, max: number): void {
    this.options.onShed?.();
    fail(res, {
      status: 503,
      code: RpcCode.Overloaded,
      reason: 'proxy.overloaded',
      message: `Service Unavailable: this proxy replica has ${max} requests in progress, its limit; retry in a second (another replica may take it now)`,
      headers: { 'retry-after': '1', connection: 'close' },
    });
    this.#shedSinceWarning += 1;
    const now = performance.now();
    if (now - this.#lastWarningAt < (this.options.warnEveryMs ?? 10_000)) return;
    this.options.log?.({ level: 'warn', message: 'overloaded: refusing agent requests with 503', refused: this.#shedSinceWarning, maxConcurrentRequests: max });
    this.#lastWarningAt = now;
    this.#shedSinceWarning = 0;
  }
}
