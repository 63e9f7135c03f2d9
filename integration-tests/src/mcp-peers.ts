/**
 * Real MCP peers and wire-level helpers for the proxy suites: the reference server
 * `@modelcontextprotocol/server-everything` as a child process in Streamable HTTP mode, a raw HTTP
 * client that can send anything (any method, Host, Origin, body), and typed access to the proxy's
 * in-memory audit trail.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '@mcpgate/contracts';
import type { RunningProxy } from '@mcpgate/proxy';

const everythingEntry = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export interface StartedEverythingServer {
  /** The endpoint: `http://127.0.0.1:<port>/mcp` (Streamable HTTP) or `…/sse` (legacy SSE). */
  readonly url: string;
  close(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): void;
}

/**
 * Starts `server-everything streamableHttp` (or `sse`) on a free port (it reads only `PORT` and binds every
 * interface) and waits until it answers HTTP. The child gets a minimal environment: its `get-env`
 * tool returns the whole environment, so nothing of the test runner's may reach it. `env` adds
 * variables, e.g. a marker that tells two instances apart through `get-env`.
 */
export const startEverythingServer = async (env: Record<string, string> = {}, mode: 'streamableHttp' | 'sse' = 'streamableHttp'): Promise<StartedEverythingServer> => {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingEntry, mode], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const url = `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`;
  // any HTTP answer means it is up (a GET of the SSE endpoint would stream instead of answering)
  const probe = `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (gone) throw new Error(`server-everything exited before answering: ${stderr}`);
    try {
      const response = await fetch(probe, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server-everything did not answer on port ${port} within 20 s: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    kill: () => void child.kill('SIGKILL'),
    close: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The JSON body, or for an SSE answer the last JSON-RPC message that carries an id; undefined otherwise. */
  readonly json: RawRpc | undefined;
}

/** A JSON-RPC message as the tests read it. */
export interface RawRpc {
  readonly jsonrpc?: string;
  readonly id?: string | number | null;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: Record<string, unknown> };
}

const decode = (contentType: string, text: string): RawRpc | undefined => {
  if (contentType.includes('text/event-stream')) {
    const messages = text
      .split(/\r?\n\r?\n/)
      .map((event) =>
        event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n'),
      )
      .filter((data) => data.length > 0)
      .map((data) => JSON.parse(data) as RawRpc & { method?: string });
    return messages.filter((m) => m.method === undefined && m.id !== undefined).at(-1);
  }
  if (!contentType.includes('application/json') || !text) return undefined;
  try {
    return JSON.parse(text) as RawRpc;
  } catch {
    return undefined;
  }
};

/**
 * One HTTP request exactly as given: node:http rather than fetch, so that Host, any method and any
 * body (or a body larger than what Content-Length promises) can be sent.
 */
export const rawHttp = (
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    const headers: Record<string, string> = { ...options.headers };
    if (body && !options.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: decode(String(res.headers['content-type'] ?? ''), text) });
        });
      },
    );
    req.on('error', reject);
    if (body && options.chunked) {
      // several writes without Content-Length: Node sends them chunked
      for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
    } else if (body) req.write(body);
    req.end();
  });

/** The headers a Streamable HTTP agent sends on a POST. */
export const mcpHeaders = (options: { bearer?: string; session?: string; extra?: Record<string, string> } = {}): Record<string, string> => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
  ...(options.session ? { 'mcp-session-id': options.session } : {}),
  ...options.extra,
});

let rawIds = 0;
/** A JSON-RPC request POSTed the way an agent would. */
export const rawRpc = (url: string, method: string, params: Record<string, unknown>, options: { bearer?: string; session?: string; extra?: Record<string, string> } = {}) => {
  rawIds += 1;
  return rawHttp(url, { method: 'POST', headers: mcpHeaders(options), body: JSON.stringify({ jsonrpc: '2.0', id: rawIds, method, params }) });
};

/** Opens a session on the wire (initialize, then notifications/initialized) and returns its Mcp-Session-Id. */
export const rawInitialize = async (url: string, bearer?: string, protocolVersion = '2025-11-25'): Promise<string> => {
  const init = await rawRpc(url, 'initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'raw-agent', version: '1.0.0' } }, bearer ? { bearer } : {});
  const session = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof session !== 'string') throw new Error(`initialize failed: ${init.status} ${init.text}`);
  const initialized = await rawHttp(url, { method: 'POST', headers: mcpHeaders({ ...(bearer ? { bearer } : {}), session }), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  if (initialized.status !== 202) throw new Error(`notifications/initialized failed: ${initialized.status} ${initialized.text}`);
  return session;
};

/** The proxy's audit trail in the tests: its default emitter keeps events in memory. */
export interface MemoryAudit {
  readonly events: AuditEvent[];
  waitFor(predicate: (event: AuditEvent) => boolean, timeoutMs?: number): Promise<AuditEvent>;
}

export const auditOf = (proxy: RunningProxy): MemoryAudit => {
  const audit = proxy.audit as Partial<MemoryAudit>;
  if (!Array.isArray(audit.events) || typeof audit.waitFor !== 'function') throw new Error('the proxy was not started with the in-memory audit emitter');
  return audit as MemoryAudit;
};

/** A snapshot upstream entry for a Streamable HTTP server in the test region. */
export const httpUpstream = (id: string, name: string, url: string, region = 'eu-west-1') => ({
  id,
  config: { name, connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url }] }, regions: [region] },
});
