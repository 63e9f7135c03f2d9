import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { evaluateToolCall } from '@mcpgate/contracts';
import { callSubjectOf, principalId } from '../auth/principal.js';
import type { ClientChannel } from '../mcp/client-channel.js';
import type { McpGateway, RequestContext } from '../mcp/gateway.js';
import { isRequest, rpcError, rpcResult, RpcCode, type JsonRpcMessage, type JsonRpcRequest } from '../mcp/jsonrpc.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../mcp/protocol-versions.js';
import type { SessionSealer, SessionState } from '../session/session-token.js';
import { tenantIndexOf } from '../snapshots/tenant-index.js';
import { fail } from './failure.js';
import { HttpClientChannel } from './http-client-channel.js';

/** The stateless revision: no initialize, no session, `_meta` on every request, routing headers. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;
/** -32020: the Mcp-Method / Mcp-Name headers say something else than the body. */
const HEADER_MISMATCH = -32_020;

/** Methods whose `Mcp-Name` header names a params field the body must repeat. */
const NAMED: Readonly<Record<string, string>> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** List and read results carry caching hints in this revision. */
const CACHEABLE = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

/**
 * The answer channel for a modern request: results gain `resultType: "complete"`, and list and
 * read results the caching hints (`private`, not cached: what a caller sees depends on who calls).
 */
const completing = (inner: ClientChannel, method: string): ClientChannel => {
  const hints = CACHEABLE.has(method) ? { ttlMs: 0, cacheScope: 'private' } : {};
  const complete = (message: JsonRpcMessage): JsonRpcMessage =>
    'result' in message && message.result && !('resultType' in message.result) ? { ...message, result: { ...hints, ...message.result, resultType: 'complete' } } : message;
  return {
    json: (status, body, headers) => inner.json(status, body && typeof body === 'object' && 'jsonrpc' in body ? complete(body as JsonRpcMessage) : body, headers),
    event: (message, eventId) => inner.event(complete(message), eventId),
    comment: (text) => inner.comment(text),
    end: () => inner.end(),
    get started() {
      return inner.started;
    },
    get signal() {
      return inner.signal;
    },
  };
};

/**
 * Protocol revision 2026-07-28 for SDK v2 clients. Every request stands alone, so any replica
 * serves it without a session id. The method and tool are routed and authorized from the
 * `Mcp-Method` / `Mcp-Name` headers before the body is parsed, and the body must agree (-32020).
 * The proxy still speaks the 2025 handshake to its upstreams: each replica keeps a warm upstream
 * session per tenant, virtual server, caller and client capabilities (bounded, idle ones dropped)
 * and reuses it, so a modern request costs no upstream initialize. Server→client requests, which
 * this revision replaces with input-required results, are not supported on this path.
 */
export class ModernHttp {
  private readonly warm = new Map<string, { session: SessionState; lastUsed: number }>();

  constructor(
    private readonly options: { readonly gateway: McpGateway; readonly sealer: SessionSealer; readonly maxWarmSessions: number; readonly idleMs: number },
  ) {}

  /** True when the request speaks the modern revision (by its version header). */
  static applies(req: IncomingMessage): boolean {
    return req.headers['mcp-protocol-version'] === MODERN_PROTOCOL_VERSION;
  }

  /** Checks the routing headers before the body is read: a denied tool never costs a parse. */
  preflight(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): boolean {
    const method = req.headers['mcp-method'];
    if (typeof method !== 'string' || !method) {
      fail(res, { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.method_header_missing', message: 'Bad Request: protocol 2026-07-28 requests carry an Mcp-Method header' });
      return false;
    }
    const name = req.headers['mcp-name'];
    if (method === 'tools/call' && typeof name === 'string') {
      const decision = evaluateToolCall(tenantIndexOf(ctx.tenant.snapshot).policies, callSubjectOf(ctx.principal, ctx.tenant.snapshot), name);
      if (!decision.allowed) {
        const body = JSON.stringify(
          rpcError(null, RpcCode.Forbidden, `tool ${name} is not allowed for this caller (${decision.reason})`, {
            reason: decision.reason,
            ...(decision.ruleId ? { ruleId: decision.ruleId } : {}),
            policyVersion: ctx.tenant.snapshot.version,
          }),
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return false;
      }
    }
    return true;
  }

  async handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, message: JsonRpcMessage): Promise<void> {
    const method = String(req.headers['mcp-method']);
    const id = isRequest(message) ? message.id : null;
    if (!('method' in message) || message.method !== method) {
      return fail(res, { status: 400, code: HEADER_MISMATCH, reason: 'mcp.header_mismatch', message: `Mcp-Method ${method} does not match the body's method` }, id);
    }
    const field = NAMED[method];
    if (field && req.headers['mcp-name'] !== message.params?.[field]) {
      return fail(res, { status: 400, code: HEADER_MISMATCH, reason: 'mcp.header_mismatch', message: `Mcp-Name does not match params.${field}` }, id);
    }
    const meta = message.params?.['_meta'] as Record<string, unknown> | undefined;
    if (!meta || meta[META.protocolVersion] !== MODERN_PROTOCOL_VERSION) {
      return fail(res, { status: 400, code: RpcCode.InvalidParams, reason: 'mcp.meta_missing', message: `params._meta must carry ${META.protocolVersion}, ${META.clientInfo} and ${META.clientCapabilities}` }, id);
    }
    const reply = completing(new HttpClientChannel(res), method);
    if (!isRequest(message)) return reply.json(202, undefined);
    if (method === 'server/discover') return this.discover(ctx, message, reply);
    const session = await this.warmSession(ctx, meta);
    if ('error' in session) return reply.json(200, rpcError(message.id, RpcCode.UpstreamUnavailable, session.error, { reason: 'upstream.unavailable' }));
    // the envelope is for the proxy; the 2025-era upstream session already knows the client
    const { _meta: envelope, ...params } = message.params ?? {};
    const rest = Object.fromEntries(Object.entries((envelope ?? {}) as Record<string, unknown>).filter(([key]) => !key.startsWith('io.modelcontextprotocol/')));
    const forwarded: JsonRpcRequest = { ...message, params: Object.keys(rest).length ? { ...params, _meta: rest } : params };
    // an upstream that forgot the warm session answers 404: open a fresh one once, invisibly to the agent
    let gone = false;
    const guarded: ClientChannel = {
      json: (status, body, headers) => (status === 404 && !gone ? void (gone = true) : reply.json(status, body, headers)),
      event: (m, e) => reply.event(m, e),
      comment: (t) => reply.comment(t),
      end: () => (gone ? undefined : reply.end()),
      get started() {
        return reply.started;
      },
      get signal() {
        return reply.signal;
      },
    };
    await this.options.gateway.handle({ ...ctx, session }, forwarded, guarded);
    if (!gone) return;
    this.evict(session);
    const fresh = await this.warmSession(ctx, meta);
    if ('error' in fresh) return reply.json(200, rpcError(message.id, RpcCode.UpstreamUnavailable, fresh.error, { reason: 'upstream.unavailable' }));
    await this.options.gateway.handle({ ...ctx, session: fresh }, forwarded, reply);
  }

  private evict(session: SessionState): void {
    for (const [key, entry] of this.warm) if (entry.session.id === session.id) this.warm.delete(key);
  }

  private discover(ctx: RequestContext, request: JsonRpcRequest, reply: ClientChannel): void {
    reply.json(
      200,
      rpcResult(request.id, {
        supportedVersions: [MODERN_PROTOCOL_VERSION, ...SUPPORTED_PROTOCOL_VERSIONS],
        capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {}, logging: {} },
        ttlMs: 0,
        cacheScope: 'private',
        _meta: { [META.serverInfo]: { name: `mcpgate/${ctx.virtualServer.name}`, title: ctx.virtualServer.name, version: '0.1.0' } },
      }),
    );
  }

  /** An upstream session for this caller and client, reused while warm; opened with the 2025 handshake. */
  private async warmSession(ctx: RequestContext, meta: Record<string, unknown>): Promise<SessionState | { error: string }> {
    const capabilities = (meta[META.clientCapabilities] as Record<string, unknown> | undefined) ?? {};
    const clientInfo = (meta[META.clientInfo] as Record<string, unknown> | undefined) ?? { name: 'unknown', version: '0' };
    const key = createHash('sha256')
      .update(JSON.stringify([ctx.tenant.snapshot.tenantId, ctx.virtualServer.id, ctx.tenant.snapshot.version.contentHash, principalId(ctx.principal), capabilities]))
      .digest('base64url');
    const now = Date.now();
    const cached = this.warm.get(key);
    if (cached && now - cached.lastUsed < this.options.idleMs && !this.options.gateway.isTerminated(cached.session.id)) {
      cached.lastUsed = now;
      return cached.session;
    }
    let sealed: string | undefined;
    let failure = 'no upstream could be initialized';
    await this.options.gateway.initialize(ctx, { jsonrpc: '2.0', id: 'mcpgate-modern', method: 'initialize', params: { protocolVersion: SUPPORTED_PROTOCOL_VERSIONS[0], capabilities, clientInfo } }, {
      json: (_, body, headers = {}) => {
        sealed = headers['mcp-session-id'];
        const error = (body as { error?: { message?: string } } | undefined)?.error;
        if (error?.message) failure = error.message;
      },
      event: () => {},
      comment: () => {},
      end: () => {},
      started: false,
      signal: new AbortController().signal,
    });
    const opened = sealed ? this.options.sealer.open(sealed) : undefined;
    if (!opened?.ok) return { error: failure };
    this.warm.set(key, { session: opened.state, lastUsed: now });
    while (this.warm.size > this.options.maxWarmSessions) this.warm.delete(this.warm.keys().next().value!);
    return opened.state;
  }
}
