import { createParser } from 'eventsource-parser';
import { Agent, request, errors as undiciErrors, type Dispatcher } from 'undici';
import { toMessage, type JsonRpcMessage } from '../../mcp/jsonrpc.js';
import { postExchange, type PostExchange } from './post-exchange.js';
import type { PostOutcome, UpstreamSink, UpstreamTarget, UpstreamTransport } from '../upstream.js';

const MAX_JSON_BODY = 64 * 1024 * 1024;

/**
 * Streamable HTTP upstreams (MCP 2025-03-26 and later), spoken directly on keep-alive connection
 * pools: the proxy forwards message by message and must see which upstream stream each message
 * came on, which the SDK's client transport hides (it merges all streams into one callback).
 */
export class StreamableHttpUpstream implements UpstreamTransport {
  private readonly agent: Agent;
  private readonly urls = new Map<string, { origin: string; path: string }>();

  constructor(
    options: { readonly connectTimeoutMs?: number; readonly connections?: number } = {},
  ) {
    this.agent = new Agent({ connectTimeout: options.connectTimeoutMs ?? 5_000, connections: options.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  private headersFor(target: UpstreamTarget, accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept, ...target.headers };
    if (target.sessionId) headers['mcp-session-id'] = target.sessionId;
    if (target.protocolVersion) headers['mcp-protocol-version'] = target.protocolVersion;
    if (target.traceparent) headers['traceparent'] = target.traceparent;
    return headers;
  }

  async post(target: UpstreamTarget, message: JsonRpcMessage, sink: UpstreamSink, signal?: AbortSignal): Promise<PostOutcome> {
    const url = 'url' in target.endpoint ? this.parsedUrl(target.endpoint.url) : undefined;
    if (!url) return { kind: 'unavailable', message: `endpoint ${target.endpointId} of ${target.serverId} has no URL` };
    let body: string;
    try {
      body = JSON.stringify(message);
    } catch (error) {
      // not the upstream's fault: it must not count against the endpoint's health
      return { kind: 'rejected', status: 400, message: `the message cannot be serialized: ${error instanceof Error ? error.message : String(error)}` };
    }
    let answered = false;
    // the SSE decoder is made only when an SSE body arrives (most answers are plain JSON)
    let feed: ((chunk: Buffer) => void) | undefined;
    const stream = (chunk: Buffer) =>
      (feed ??= eventStreamReader((streamed, eventId) => {
        if ('id' in streamed && !('method' in streamed)) answered = true;
        sink(streamed, eventId);
      }))(chunk);
    let exchange: PostExchange;
    try {
      exchange = await postExchange(this.agent, {
        origin: url.origin,
        path: url.path,
        headers: { ...this.headersFor(target, 'application/json, text/event-stream'), 'content-type': 'application/json' },
        body,
        timeoutMs: target.timeoutMs,
        ...(signal ? { signal } : {}),
        maxJsonBytes: MAX_JSON_BODY,
        onStreamChunk: stream,
      });
    } catch (error) {
      return { kind: 'unavailable', message: describe(error, target), cause: error };
    }
    const { status, headers, text } = exchange;
    const sessionId = headerOf(headers, 'mcp-session-id');
    const where = `${target.serverId}/${target.endpointId}`;
    if (status === 404 && target.sessionId) return { kind: 'session-gone' };
    // many servers (server-everything, the SDK examples) answer an unknown session with 400
    // "No valid session ID" instead of the spec's 404: the session is gone all the same
    if (status === 400 && target.sessionId && /session/i.test(text)) return { kind: 'session-gone' };
    if (status === 400 && target.sessionId) return { kind: 'rejected', status, message: `upstream ${where} answered HTTP 400: ${text.slice(0, 200)}` };
    const contentType = headerOf(headers, 'content-type') ?? '';
    const decided = outcomeOfStatus(status, contentType, sessionId, where);
    if (decided) return decided;
    if (exchange.streamed) {
      // the stream broke midway: what arrived was delivered; a missing answer is unavailability
      if (exchange.bodyError && !answered) return { kind: 'unavailable', message: describe(exchange.bodyError, target), cause: exchange.bodyError };
      return { kind: 'ok', ...(sessionId ? { sessionId } : {}), answered };
    }
    if (!contentType.includes('application/json')) return { kind: 'rejected', status, message: `upstream ${where} answered with content type "${contentType}"` };
    if (exchange.bodyError) return { kind: 'unavailable', message: describe(exchange.bodyError, target), cause: exchange.bodyError };
    try {
      answered = deliverJsonBody(text, sink);
    } catch (error) {
      return { kind: 'unavailable', message: describe(error, target), cause: error };
    }
    if (status >= 400 && !answered) return { kind: 'rejected', status, message: `upstream ${where} answered HTTP ${status}: ${text.slice(0, 200)}` };
    return { kind: 'ok', ...(sessionId ? { sessionId } : {}), answered };
  }

  /** Endpoint URLs parsed once (the same few URLs serve every call). */
  private parsedUrl(url: string): { origin: string; path: string } | undefined {
    let parsed = this.urls.get(url);
    if (!parsed) {
      const { origin, pathname, search } = new URL(url);
      parsed = { origin, path: `${pathname}${search}` };
      if (this.urls.size >= 10_000) this.urls.clear();
      this.urls.set(url, parsed);
    }
    return parsed;
  }

  async listen(target: UpstreamTarget, lastEventId: string | undefined, sink: UpstreamSink, signal: AbortSignal): Promise<PostOutcome> {
    const url = 'url' in target.endpoint ? target.endpoint.url : undefined;
    if (!url) return { kind: 'unavailable', message: `endpoint ${target.endpointId} of ${target.serverId} has no URL` };
    let response: Dispatcher.ResponseData;
    try {
      const headers = this.headersFor(target, 'text/event-stream');
      if (lastEventId) headers['last-event-id'] = lastEventId;
      response = await request(url, { method: 'GET', dispatcher: this.agent, headers, signal, headersTimeout: target.timeoutMs, bodyTimeout: 0 });
    } catch (error) {
      return { kind: 'unavailable', message: describe(error, target), cause: error };
    }
    // 405: the upstream offers no standalone stream, which the spec allows
    if (response.statusCode === 405) {
      await response.body.dump();
      return { kind: 'ok', answered: false };
    }
    return this.consumeStream(response, target, sink);
  }

  async terminate(target: UpstreamTarget): Promise<void> {
    const url = 'url' in target.endpoint ? target.endpoint.url : undefined;
    if (!url || !target.sessionId) return;
    try {
      const response = await request(url, { method: 'DELETE', dispatcher: this.agent, headers: this.headersFor(target, 'application/json'), signal: AbortSignal.timeout(target.timeoutMs) });
      await response.body.dump();
    } catch {
      // the upstream forgets the session on its own; nothing to recover here
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The standalone GET stream's response (POSTs go through postExchange): messages to the sink until it ends. */
  private async consumeStream(response: Dispatcher.ResponseData, target: UpstreamTarget, sink: UpstreamSink): Promise<PostOutcome> {
    const sessionId = headerOf(response.headers, 'mcp-session-id');
    const status = response.statusCode;
    if (status === 404 && target.sessionId) {
      await response.body.dump();
      return { kind: 'session-gone' };
    }
    if (status === 400 && target.sessionId) {
      // many servers (server-everything, the SDK examples) answer an unknown session with 400
      // "No valid session ID" instead of the spec's 404: the session is gone all the same
      const text = await readLimited(response.body, 64 * 1024).catch(() => '');
      if (/session/i.test(text)) return { kind: 'session-gone' };
      return { kind: 'rejected', status, message: `upstream ${target.serverId}/${target.endpointId} answered HTTP 400: ${text.slice(0, 200)}` };
    }
    const contentType = headerOf(response.headers, 'content-type') ?? '';
    const decided = outcomeOfStatus(status, contentType, sessionId, `${target.serverId}/${target.endpointId}`);
    if (decided) {
      await response.body.dump();
      return decided;
    }
    let answered = false;
    try {
      if (contentType.includes('text/event-stream')) {
        await readEventStream(response.body, (message, eventId) => {
          if ('id' in message && !('method' in message)) answered = true;
          sink(message, eventId);
        });
      } else if (contentType.includes('application/json')) {
        const text = await readLimited(response.body, MAX_JSON_BODY);
        answered = deliverJsonBody(text, sink);
        if (status >= 400 && !answered) return { kind: 'rejected', status, message: `upstream ${target.serverId}/${target.endpointId} answered HTTP ${status}: ${text.slice(0, 200)}` };
      } else {
        await response.body.dump();
        return { kind: 'rejected', status, message: `upstream ${target.serverId}/${target.endpointId} answered with content type "${contentType}"` };
      }
    } catch {
      // the stream broke midway: what arrived was delivered; the agent's stream ends here
    }
    return { kind: 'ok', ...(sessionId ? { sessionId } : {}), answered };
  }
}

/** What the status alone decides, before any body is read: accepted without an answer, or the upstream's failure. */
const outcomeOfStatus = (status: number, contentType: string, sessionId: string | undefined, where: string): PostOutcome | undefined => {
  if (status === 202 || status === 204) return { kind: 'ok', ...(sessionId ? { sessionId } : {}), answered: false };
  if (status >= 500 || status === 429 || status === 408) return { kind: 'unavailable', message: `upstream ${where} answered HTTP ${status}` };
  if (status >= 400 && !contentType.includes('application/json')) return { kind: 'rejected', status, message: `upstream ${where} answered HTTP ${status}` };
  return undefined;
};

/** Hands every JSON-RPC message of a JSON body (one or a batch) to the sink; true when one was an answer. Throws when the body is not JSON. */
const deliverJsonBody = (text: string, sink: UpstreamSink): boolean => {
  let answered = false;
  const decoded: unknown = JSON.parse(text);
  for (const item of Array.isArray(decoded) ? decoded : [decoded]) {
    const checked = toMessage(item);
    if (checked.ok) {
      if ('id' in checked.message && !('method' in checked.message)) answered = true;
      sink(checked.message);
    }
  }
  return answered;
};

const headerOf = (headers: Dispatcher.ResponseData['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const readLimited = async (body: Dispatcher.ResponseData['body'], limit: number): Promise<string> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new Error(`upstream response over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Reads an SSE body, handing each JSON-RPC message over with its event id; priming events (empty data) are skipped. */
const readEventStream = async (body: Dispatcher.ResponseData['body'], onMessage: (message: JsonRpcMessage, eventId?: string) => void): Promise<void> => {
  const feed = eventStreamReader(onMessage);
  for await (const chunk of body) feed(chunk as Buffer);
};

/** An SSE decoder fed chunk by chunk: each JSON-RPC message goes to `onMessage` with its event id. */
const eventStreamReader = (onMessage: (message: JsonRpcMessage, eventId?: string) => void): ((chunk: Buffer) => void) => {
  const parser = createParser({
    onEvent: (event) => {
      if (event.event && event.event !== 'message') return;
      if (!event.data.trim()) return;
      let decoded: unknown;
      try {
        decoded = JSON.parse(event.data);
      } catch {
        return;
      }
      const checked = toMessage(decoded);
      if (checked.ok) onMessage(checked.message, event.id);
    },
  });
  const decoder = new TextDecoder();
  return (chunk) => parser.feed(decoder.decode(chunk, { stream: true }));
};

const describe = (error: unknown, target: UpstreamTarget): string => {
  const where = `${target.serverId}/${target.endpointId}`;
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || (error instanceof DOMException && error.name === 'TimeoutError'))
    return `upstream ${where} did not answer within ${target.timeoutMs} ms`;
  if (error instanceof undiciErrors.ConnectTimeoutError) return `upstream ${where}: connect timeout`;
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return `upstream ${where} unreachable${code ? ` (${code})` : ''}`;
};
