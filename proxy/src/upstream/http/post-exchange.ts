import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { Deadlines } from './deadlines.js';

/** What one POST to an upstream produced: its status and headers, and its body unless it was streamed. */
export interface PostExchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as text: JSON, or the start of an error body; empty when streamed or not worth reading. */
  readonly text: string;
  /** The body was an SSE stream, already handed to `onStreamChunk` as it arrived. */
  readonly streamed: boolean;
  /** Set when the body broke off (network error, timeout, over the size limit) after the headers arrived. */
  readonly bodyError?: Error;
}

export interface PostExchangeRequest {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The most JSON accepted, in bytes. */
  readonly maxJsonBytes: number;
  /** Receives an SSE body chunk by chunk, as the upstream sends it. */
  readonly onStreamChunk: (chunk: Buffer) => void;
}

/** Every exchange's overall deadline, on one shared timer. */
const deadlines = new Deadlines();

/** An error body (not JSON) is read only this far: enough to tell why. */
const MAX_ERROR_TEXT = 64 * 1024;

export class UpstreamBodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`upstream response over ${limit} bytes`);
    this.name = 'UpstreamBodyTooLargeError';
  }
}

/**
 * One POST on an undici dispatcher with a handler instead of `request()`: no body stream, no async
 * iteration, no promise per chunk. A JSON body is collected, an SSE body is handed on chunk by
 * chunk as it arrives, and bodies nobody reads (202, 5xx …) are discarded. Rejects only when no
 * response started (connection refused, timeout or abort before the headers).
 */
export const postExchange = (dispatcher: Dispatcher, request: PostExchangeRequest): Promise<PostExchange> =>
  new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let pendingAbort: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let mode: 'discard' | 'collect' | 'stream' = 'discard';
    let limit = 0;
    let size = 0;
    const chunks: Buffer[] = [];

    const abort = (reason: Error) => {
      if (controller) controller.abort(reason);
      else pendingAbort = reason;
    };
    const cancelDeadline = deadlines.add(request.timeoutMs, () => abort(new DOMException(`no answer within ${request.timeoutMs} ms`, 'TimeoutError')));
    const onAbort = () => abort(request.signal?.reason instanceof Error ? request.signal.reason : new DOMException('aborted', 'AbortError'));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: { ok: PostExchange } | { error: Error }) => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      request.signal?.removeEventListener('abort', onAbort);
      if ('ok' in outcome) resolve(outcome.ok);
      else reject(outcome.error);
    };
    const exchange = (bodyError?: Error): PostExchange => ({
      status,
      headers,
      text: mode === 'collect' ? Buffer.concat(chunks, size).toString('utf8') : '',
      streamed: mode === 'stream',
      ...(bodyError ? { bodyError } : {}),
    });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (pendingAbort) c.abort(pendingAbort);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        const contentType = String(responseHeaders['content-type'] ?? '');
        if (statusCode < 300 && statusCode !== 202 && statusCode !== 204 && contentType.includes('text/event-stream')) mode = 'stream';
        else if (contentType.includes('application/json') && statusCode < 500 && statusCode !== 429 && statusCode !== 408) {
          mode = 'collect';
          limit = request.maxJsonBytes;
        } else if (statusCode === 400) {
          mode = 'collect';
          limit = MAX_ERROR_TEXT;
        } else mode = 'discard';
      },
      onResponseData(c, chunk) {
        if (mode === 'stream') request.onStreamChunk(chunk);
        else if (mode === 'collect') {
          size += chunk.length;
          if (size > limit) {
            mode = 'discard';
            c.abort(new UpstreamBodyTooLargeError(limit));
            return;
          }
          chunks.push(chunk);
        }
      },
      onResponseEnd() {
        finish({ ok: exchange() });
      },
      onResponseError(_c, error) {
        // before the headers: no response at all; after them: what arrived stands, the caller decides
        if (status === 0) finish({ error });
        else finish({ ok: exchange(error) });
      },
    };
    try {
      dispatcher.dispatch(
        { origin: request.origin, path: request.path, method: 'POST', headers: request.headers, body: request.body, headersTimeout: request.timeoutMs, bodyTimeout: request.timeoutMs },
        handler,
      );
    } catch (error) {
      finish({ error: error instanceof Error ? error : new Error(String(error)) });
    }
  });
