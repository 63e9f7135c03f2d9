import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

/** Marks a request one replica relayed to another, so it is never relayed twice. */
export const RELAYED_HEADER = 'x-mcpgate-relayed-by';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

/**
 * Sessions whose upstreams live in one replica's process (stdio children) have a home replica,
 * named in the sealed session id. A replica that receives such a session's request relays it to the
 * home as it came; when the home cannot be reached (it died), the receiving replica serves the
 * request itself and starts the session's children afresh (the agent keeps its session id).
 */
export class HomeRelay {
  private readonly agent = new Agent({ connections: 64, keepAliveTimeout: 30_000, connectTimeout: 1_000 });

  constructor(
    private readonly selfUrl: () => string,
    private readonly proxyId: string,
  ) {}

  /** True when the request must go home first. */
  shouldRelay(req: IncomingMessage, home: string): boolean {
    return home !== this.selfUrl() && req.headers[RELAYED_HEADER] === undefined;
  }

  /** Relays the request; false (nothing sent to the agent yet) when the home is unreachable. */
  async relay(req: IncomingMessage, res: ServerResponse, home: string, body?: Buffer): Promise<boolean> {
    const headers: Record<string, string> = { [RELAYED_HEADER]: this.proxyId };
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let answer;
    try {
      answer = await request(new URL(req.url ?? '/', home), {
        method: req.method as 'POST',
        headers,
        ...(body ? { body } : {}),
        dispatcher: this.agent,
        signal: abort.signal,
        headersTimeout: 120_000,
        bodyTimeout: 0,
      });
    } catch {
      return false;
    }
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    res.writeHead(answer.statusCode, out);
    res.flushHeaders();
    await pipeline(answer.body, res).catch(() => res.destroy());
    return true;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
