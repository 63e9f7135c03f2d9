import type { IncomingMessage, ServerResponse } from 'node:http';
import { principalId } from '../auth/principal.js';
import type { ClientChannel } from '../mcp/client-channel.js';
import type { McpGateway, RequestContext } from '../mcp/gateway.js';
import { isRequest, RpcCode, type JsonRpcMessage } from '../mcp/jsonrpc.js';
import type { SessionSealer, SessionState } from '../session/session-token.js';
import { decodeAgentMessage } from './decode-message.js';
import { fail, type Failure } from './failure.js';
import type { HomeRelay } from './home-relay.js';
import { checkHostAndOrigin } from './host-validation.js';
import { readBody } from './read-body.js';
import { SEGMENT, type McpRoute } from './routes.js';

const SSE_ROUTE = new RegExp(`^(?:/t/${SEGMENT})?/sse(?:/${SEGMENT})?/?$`);
const MESSAGES_ROUTE = new RegExp(`^(?:/t/${SEGMENT})?/messages/?$`);

/** One legacy connection, on the replica that holds its GET stream. */
interface LegacySession {
  readonly ctx: RequestContext;
  readonly stream: SseWriter;
  /** The MCP session once the agent initialized. */
  session?: SessionState;
}

/** Writes JSON-RPC messages onto the legacy GET stream. */
class SseWriter {
  readonly abort = new AbortController();
  constructor(private readonly res: ServerResponse) {
    res.on('close', () => this.abort.abort());
  }
  write(event: string, data: string): void {
    if (!this.res.destroyed && !this.abort.signal.aborted) this.res.write(`event: ${event}\ndata: ${data}\n\n`);
  }
  message(message: JsonRpcMessage): void {
    this.write('message', JSON.stringify(message));
  }
  comment(text: string): void {
    if (!this.res.destroyed) this.res.write(`: ${text}\n\n`);
  }
}

/** A gateway answer channel whose every message goes onto the legacy stream (the POST itself got 202). */
const streamChannel = (stream: SseWriter, capture?: (status: number, body: unknown, headers: Readonly<Record<string, string>>) => void): ClientChannel => ({
  json: (status, body, headers = {}) => {
    capture?.(status, body, headers);
    if (body && typeof body === 'object' && 'jsonrpc' in body) stream.message(body as JsonRpcMessage);
  },
  event: (message) => stream.message(message),
  comment: () => {},
  end: () => {},
  started: false,
  signal: stream.abort.signal,
});

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05) for older agents: `GET /sse` opens the
 * stream and names `/messages?sessionId=…`; each POST there is answered 202 and its answer travels
 * on the stream. The stream lives on one replica, so the session id (sealed like any other) names
 * that replica and other replicas relay the POSTs to it. When that replica is gone the agent must
 * reconnect: the legacy transport has no way to resume a stream.
 */
export class LegacySse {
  private readonly sessions = new Map<string, LegacySession>();

  constructor(
    private readonly options: {
      readonly gateway: McpGateway;
      readonly sealer: SessionSealer;
      readonly authenticate: (req: IncomingMessage, route: McpRoute) => Promise<RequestContext | Failure>;
      readonly allowedHosts: ReadonlySet<string>;
      readonly maxBodyBytes: number;
      readonly relay?: HomeRelay;
      readonly homeUrl: () => string;
      readonly sessionLifetimeSeconds: number;
    },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Handles `/sse…` and `/messages…`; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: Pick<URL, 'pathname' | 'searchParams'>): boolean {
    const stream = SSE_ROUTE.exec(url.pathname);
    const messages = stream ? undefined : MESSAGES_ROUTE.exec(url.pathname);
    if (!stream && !messages) return false;
    const hostProblem = checkHostAndOrigin(req.headers, this.options.allowedHosts);
    if (hostProblem) {
      fail(res, { status: 403, code: RpcCode.InvalidRequest, reason: 'http.host_not_allowed', message: hostProblem });
      return true;
    }
    if (stream && req.method === 'GET') void this.open(req, res, { ...(stream[1] ? { tenantSlug: stream[1] } : {}), ...(stream[2] ? { virtualServer: stream[2] } : {}) }, url.pathname);
    else if (messages && req.method === 'POST') void this.post(req, res, url, messages[1]);
    else fail(res, { status: 405, code: RpcCode.InvalidRequest, reason: 'http.method_not_allowed', message: `${req.method} is not allowed here`, headers: { allow: stream ? 'GET' : 'POST' } });
    return true;
  }

  private async open(req: IncomingMessage, res: ServerResponse, route: McpRoute, path: string): Promise<void> {
    const ctx = await this.options.authenticate(req, route);
    if ('status' in ctx) return fail(res, ctx);
    // a placeholder session: the agent's identity and home now, the upstreams once it initializes
    const { state, token } = this.seal({ ctx, upstreams: [] });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const writer = new SseWriter(res);
    this.sessions.set(state.id, { ctx, stream: writer });
    const prefix = path.replace(/\/sse(\/[^/]*)?\/?$/, '');
    writer.write('endpoint', `${prefix}/messages?sessionId=${encodeURIComponent(token)}`);
    const keepAlive = setInterval(() => writer.comment('keep-alive'), 15_000);
    keepAlive.unref();
    writer.abort.signal.addEventListener('abort', () => {
      clearInterval(keepAlive);
      this.sessions.delete(state.id);
    });
  }

  private seal({ ctx, upstreams }: { ctx: RequestContext; upstreams: SessionState['upstreams'] }) {
    return this.options.sealer.seal(
      {
        id: crypto.randomUUID(),
        tenantId: ctx.tenant.snapshot.tenantId,
        virtualServerId: ctx.virtualServer.id,
        principal: principalId(ctx.principal),
        protocolVersion: '2024-11-05',
        clientCapabilities: {},
        upstreams,
        home: this.options.homeUrl(),
      },
      this.options.sessionLifetimeSeconds,
    );
  }

  private async post(req: IncomingMessage, res: ServerResponse, url: Pick<URL, 'pathname' | 'searchParams'>, tenantSlug: string | undefined): Promise<void> {
    const token = url.searchParams.get('sessionId');
    if (!token) return fail(res, { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.session_missing', message: 'Bad Request: sessionId is required' });
    const opened = this.options.sealer.open(token);
    if (!opened.ok) return fail(res, { status: 404, code: -32_001, reason: 'mcp.session_not_found', message: 'Session not found' });
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'aborted') return;
    if (body === 'too-large') return fail(res, { status: 413, code: RpcCode.InvalidRequest, reason: 'http.body_too_large', message: `Payload Too Large: the limit is ${this.options.maxBodyBytes} bytes` });
    const relay = this.options.relay;
    if (relay?.shouldRelay(req, opened.state.home)) {
      if (await relay.relay(req, res, opened.state.home, body)) return;
      return fail(res, { status: 404, code: -32_001, reason: 'mcp.session_not_found', message: 'Session not found: the stream of this legacy session is gone; reconnect to /sse' });
    }
    const legacy = this.sessions.get(opened.state.id);
    const ctx = await this.options.authenticate(req, { ...(tenantSlug ? { tenantSlug } : {}), virtualServer: legacy?.ctx.virtualServer.name ?? '' });
    if ('status' in ctx) return fail(res, ctx);
    if (!legacy || principalId(ctx.principal) !== opened.state.principal || ctx.tenant.snapshot.tenantId !== opened.state.tenantId) {
      return fail(res, { status: 404, code: -32_001, reason: 'mcp.session_not_found', message: 'Session not found' });
    }
    const decoded = decodeAgentMessage(body);
    if (!decoded.ok) return fail(res, decoded.failure, decoded.id);
    const message = decoded.message;
    res.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
    if (isRequest(message) && message.method === 'initialize') {
      let sealed: string | undefined;
      await this.options.gateway.initialize(ctx, message, streamChannel(legacy.stream, (_, __, headers) => (sealed = headers['mcp-session-id'])));
      const session = sealed ? this.options.sealer.open(sealed) : undefined;
      if (session?.ok) {
        legacy.session = session.state;
        void this.options.gateway.listen({ ...ctx, session: legacy.session }, undefined, streamChannel(legacy.stream));
      }
      return;
    }
    if (!legacy.session) {
      if (isRequest(message)) legacy.stream.message({ jsonrpc: '2.0', id: message.id, error: { code: RpcCode.InvalidRequest, message: 'initialize first' } });
      return;
    }
    await this.options.gateway.handle({ ...ctx, session: legacy.session }, message, streamChannel(legacy.stream));
  }
}
