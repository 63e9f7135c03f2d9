import type { ServerResponse } from 'node:http';
import type { ClientChannel } from '../mcp/client-channel.js';
import type { JsonRpcMessage } from '../mcp/jsonrpc.js';

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** The gateway's answer channel over one Node HTTP response: one JSON body, or an SSE stream. */
export class HttpClientChannel implements ClientChannel {
  private readonly controller = new AbortController();
  private state: 'fresh' | 'json' | 'stream' | 'ended' = 'fresh';

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {
    res.on('close', () => {
      if (this.state !== 'ended' && this.state !== 'json') this.controller.abort();
      this.state = this.state === 'json' ? 'json' : 'ended';
    });
  }

  get started(): boolean {
    return this.state !== 'fresh';
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    if (this.state !== 'fresh') throw new Error('the answer was already started');
    this.state = 'json';
    if (body === undefined) {
      this.res.writeHead(status, { ...this.headers, ...headers });
      this.res.end();
      return;
    }
    const text = JSON.stringify(body);
    this.res.writeHead(status, { ...this.headers, ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    this.res.end(text);
  }

  event(message: JsonRpcMessage, eventId?: string): void {
    if (!this.open()) return;
    this.res.write(`${eventId ? `id: ${eventId}\n` : ''}event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  comment(text: string): void {
    if (!this.open()) return;
    this.res.write(`: ${text.replaceAll('\n', ' ')}\n\n`);
  }

  end(): void {
    if (this.state === 'fresh') return this.json(202, undefined);
    if (this.state === 'stream') {
      this.state = 'ended';
      this.res.end();
    }
  }

  private open(): boolean {
    if (this.state === 'fresh') {
      this.res.writeHead(200, { ...this.headers, ...SSE_HEADERS });
      this.res.flushHeaders();
      this.state = 'stream';
    }
    return this.state === 'stream' && !this.res.destroyed;
  }
}
