import { createParser } from 'eventsource-parser';
import { Agent, request, type Dispatcher } from 'undici';
import { toMessage, type JsonRpcMessage } from '../../mcp/jsonrpc.js';
import { ConnectionError, type Connector, type UpstreamConnection } from '../connection/connection-upstream.js';
import type { UpstreamTarget } from '../upstream.js';

interface OpenStream {
  readonly connection: UpstreamConnection;
  readonly abort: AbortController;
  readonly idle: NodeJS.Timeout;
}

/**
 * Legacy HTTP+SSE upstreams (protocol 2024-11-05): a GET stream per session that first names the
 * URL to POST messages to (`endpoint` event) and then carries every answer and server message.
 * Bounded in number and closed when idle, like stdio children.
 */
export class SseConnector implements Connector {
  private readonly streams = new Map<string, OpenStream>();
  private readonly agent = new Agent({ connections: 512, keepAliveTimeout: 30_000 });

  constructor(private readonly options: { readonly maxStreams: number; readonly idleTimeoutMs: number }) {}

  async open(key: string, target: UpstreamTarget): Promise<UpstreamConnection> {
    if (!('url' in target.endpoint)) throw new ConnectionError(`endpoint ${target.endpointId} of ${target.serverId} has no URL`);
    const existing = this.streams.get(key);
    if (existing?.connection.alive) return existing.connection;
    if (this.streams.size >= this.options.maxStreams) throw new ConnectionError(`this proxy holds its maximum of ${this.options.maxStreams} upstream SSE streams`);
    const where = `${target.serverId}/${target.endpointId}`;
    const streamUrl = target.endpoint.url;
    const abort = new AbortController();
    const messageListeners = new Set<(message: JsonRpcMessage) => void>();
    const exitListeners = new Set<(info: { reason: string }) => void>();
    let alive = true;
    let postUrl: string | undefined;
    let exitReason = 'closed';

    let response: Dispatcher.ResponseData;
    try {
      response = await request(streamUrl, {
        method: 'GET',
        dispatcher: this.agent,
        headers: { accept: 'text/event-stream', ...target.headers },
        signal: abort.signal,
        headersTimeout: target.timeoutMs,
        bodyTimeout: 0,
      });
    } catch (error) {
      throw new ConnectionError(`SSE upstream ${where} unreachable`, { cause: error });
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new ConnectionError(`SSE upstream ${where} answered HTTP ${response.statusCode}`);
    }
    let resolveEndpoint: (url: string) => void = () => {};
    let rejectEndpoint: (error: Error) => void = () => {};
    const endpointPromise = new Promise<string>((resolve, reject) => {
      resolveEndpoint = resolve;
      rejectEndpoint = reject;
    });
    endpointPromise.catch(() => {});
    const endpointReady = { promise: endpointPromise, resolve: (url: string) => resolveEndpoint(url), reject: (error: Error) => rejectEndpoint(error) };
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'endpoint') {
          postUrl = new URL(event.data.trim(), streamUrl).toString();
          endpointReady.resolve(postUrl);
          return;
        }
        if (event.event && event.event !== 'message') return;
        let decoded: unknown;
        try {
          decoded = JSON.parse(event.data);
        } catch {
          return;
        }
        const checked = toMessage(decoded);
        if (checked.ok) for (const listener of messageListeners) listener(checked.message);
      },
    });
    const exited = () => {
      if (!alive) return;
      alive = false;
      const entry = this.streams.get(key);
      if (entry?.abort === abort) {
        clearTimeout(entry.idle);
        this.streams.delete(key);
      }
      for (const listener of exitListeners) listener({ reason: exitReason });
    };
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
        exitReason = 'stream ended';
      } catch {
        exitReason = abort.signal.aborted ? 'closed' : 'stream broke';
      }
      endpointReady.reject(new ConnectionError(`SSE upstream ${where} closed before naming its message endpoint`));
      exited();
    })();
    const timeout = setTimeout(() => endpointReady.reject(new ConnectionError(`SSE upstream ${where} named no message endpoint within ${target.timeoutMs} ms`)), target.timeoutMs);
    try {
      await endpointReady.promise;
    } catch (error) {
      abort.abort();
      throw error;
    } finally {
      clearTimeout(timeout);
    }

    const connection: UpstreamConnection = {
      key,
      get alive() {
        return alive;
      },
      send: async (message) => {
        if (!alive || !postUrl) throw new ConnectionError(`the SSE upstream stream of ${where} is closed`);
        const answer = await request(postUrl, {
          method: 'POST',
          dispatcher: this.agent,
          headers: { 'content-type': 'application/json', ...target.headers },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(target.timeoutMs),
        });
        await answer.body.dump();
        if (answer.statusCode >= 400) throw new ConnectionError(`SSE upstream ${where} refused a message: HTTP ${answer.statusCode}`);
      },
      onMessage: (listener) => {
        messageListeners.add(listener);
        return () => messageListeners.delete(listener);
      },
      onExit: (listener) => {
        if (!alive) {
          queueMicrotask(() => listener({ reason: exitReason }));
          return () => {};
        }
        exitListeners.add(listener);
        return () => exitListeners.delete(listener);
      },
    };
    const idle = setTimeout(() => void this.close(key), this.options.idleTimeoutMs);
    idle.unref();
    this.streams.set(key, { connection, abort, idle });
    return connection;
  }

  async close(key: string): Promise<void> {
    const entry = this.streams.get(key);
    if (!entry) return;
    clearTimeout(entry.idle);
    this.streams.delete(key);
    entry.abort.abort();
  }

  touch(key: string): void {
    this.streams.get(key)?.idle.refresh();
  }

  size(): number {
    return this.streams.size;
  }

  async closeAll(): Promise<void> {
    for (const key of [...this.streams.keys()]) await this.close(key);
    await this.agent.close();
  }
}
