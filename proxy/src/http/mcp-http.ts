import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SnapshotVirtualServer } from '@mcpgate/contracts';
import type { OAuthBearerVerifier} from '../auth/oauth/oauth-bearer.js';
import { OAuthError } from '../auth/oauth/oauth-bearer.js';
import type { AuthorizationServerMetadataRelay} from '../auth/oauth/protected-resource.js';
import { protectedResourceMetadata, protectedResourceMetadataUrl, wwwAuthenticateHeader } from '../auth/oauth/protected-resource.js';
import { principalId, type Principal } from '../auth/principal.js';
import { VirtualKeyIndex } from '../auth/virtual-keys.js';
import type { McpGateway, RequestContext } from '../mcp/gateway.js';
import { isRequest, RpcCode } from '../mcp/jsonrpc.js';
import { isSupportedProtocolVersion } from '../mcp/protocol-versions.js';
import type { SessionSealer, SessionState } from '../session/session-token.js';
import type { SnapshotStore, TenantSnapshot } from '../snapshots/snapshot-store.js';
import { tenantIndexOf } from '../snapshots/tenant-index.js';
import type { HomeRelay } from './home-relay.js';
import type { Tracer } from '@opentelemetry/api';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { agentRequestSpan } from '../observability/tracing.js';
import { BATCHES_REFUSED, decodeAgentBody, decodeAgentMessage, type BatchItem } from './decode-message.js';
import { BatchAnswer } from './batch-answer.js';
import { fail, type Failure } from './failure.js';
import { LegacySse } from './legacy-sse.js';
import { ModernHttp } from './modern-http.js';
import { readBody } from './read-body.js';
import { SEGMENT, type McpRoute } from './routes.js';
import { checkHostAndOrigin } from './host-validation.js';
import { HttpClientChannel } from './http-client-channel.js';

export interface McpHttpOptions {
  readonly store: SnapshotStore;
  readonly gateway: McpGateway;
  readonly sealer: SessionSealer;
  readonly keys: VirtualKeyIndex;
  readonly oauth: OAuthBearerVerifier;
  readonly authorizationServers: AuthorizationServerMetadataRelay;
  readonly allowedHosts: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  /** The proxy's public base URL (behind a load balancer); default: from the validated Host header. */
  readonly publicUrl?: string;
  readonly log: (line: Record<string, unknown>) => void;
  readonly onAuthFailure?: (reason: string) => void;
  /** Relays requests of sessions whose stdio children or SSE upstream streams live on another replica. */
  readonly relay?: HomeRelay;
  readonly tracer?: Tracer;
  /** Limits how fast one caller opens sessions (each one initializes every upstream). */
  readonly newSessions?: { readonly limiter: RateLimiter; readonly perSecond: number; readonly burst: number };
  readonly homeUrl: () => string;
  readonly sessionLifetimeSeconds: number;
}

const MCP_ROUTE = new RegExp(`^(?:/t/${SEGMENT})?/mcp(?:/${SEGMENT})?/?$`);
const PRM_ROUTE = new RegExp(`^/\\.well-known/oauth-protected-resource(/t/${SEGMENT}/mcp(?:/${SEGMENT})?)/?$`);
const AS_ROUTE = new RegExp(`^(?:/\\.well-known/oauth-authorization-server/t/${SEGMENT}(?:/mcp(?:/${SEGMENT})?)?|/t/${SEGMENT}/\\.well-known/oauth-authorization-server)/?$`);

export const parseMcpRoute = (path: string): McpRoute | undefined => {
  const match = MCP_ROUTE.exec(path);
  if (!match) return undefined;
  return { ...(match[1] ? { tenantSlug: match[1] } : {}), ...(match[2] ? { virtualServer: match[2] } : {}) };
};


const bearerOf = (req: IncomingMessage): string | undefined => {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
};

/**
 * The agent-facing HTTP surface of MCP Streamable HTTP: DNS-rebinding checks, authentication
 * (virtual keys, OAuth bearer tokens with RFC 9728 challenges, explicitly anonymous virtual
 * servers), transport rules (Accept, content type, body size, sessions) and then the gateway.
 */
export class McpHttp {
  readonly legacy: LegacySse;
  private readonly modern: ModernHttp;

  constructor(private readonly options: McpHttpOptions) {
    this.modern = new ModernHttp({ gateway: options.gateway, sealer: options.sealer, maxWarmSessions: 10_000, idleMs: 10 * 60_000 });
    this.legacy = new LegacySse({
      gateway: options.gateway,
      sealer: options.sealer,
      authenticate: (req, route) => this.authenticate(req, route),
      allowedHosts: options.allowedHosts,
      maxBodyBytes: options.maxBodyBytes,
      ...(options.relay ? { relay: options.relay } : {}),
      homeUrl: options.homeUrl,
      sessionLifetimeSeconds: options.sessionLifetimeSeconds,
    });
  }

  /** Handles the request when the path is an MCP, legacy SSE or OAuth metadata route; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: Pick<URL, 'pathname' | 'searchParams'>): boolean {
    const path = url.pathname;
    if (this.legacy.handle(req, res, url)) return true;
    const route = parseMcpRoute(path);
    if (route) {
      void this.serveMcp(req, res, route).catch((error: unknown) => this.crash(res, error));
      return true;
    }
    const prm = PRM_ROUTE.exec(path);
    if (prm && req.method === 'GET') {
      this.serveResourceMetadata(req, res, prm[1]!, prm[2]!, prm[3]);
      return true;
    }
    const as = AS_ROUTE.exec(path);
    if (as && req.method === 'GET') {
      void this.serveAuthorizationServerMetadata(res, (as[1] ?? as[3])!).catch((error: unknown) => this.crash(res, error));
      return true;
    }
    return false;
  }

  private crash(res: ServerResponse, error: unknown): void {
    this.options.log({ level: 'error', message: 'MCP request failed inside the proxy', error: String(error) });
    if (!res.headersSent) fail(res, { status: 500, code: RpcCode.InternalError, reason: 'proxy.internal', message: 'internal proxy error' });
    else res.destroy();
  }

  private baseUrl(req: IncomingMessage): string {
    return this.options.publicUrl?.replace(/\/$/, '') ?? `http://${req.headers.host ?? 'localhost'}`;
  }

  private async serveMcp(req: IncomingMessage, res: ServerResponse, route: McpRoute): Promise<void> {
    const hostProblem = checkHostAndOrigin(req.headers, this.options.allowedHosts);
    if (hostProblem) return fail(res, { status: 403, code: RpcCode.InvalidRequest, reason: 'http.host_not_allowed', message: hostProblem });
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      return fail(res, { status: 405, code: RpcCode.InvalidRequest, reason: 'http.method_not_allowed', message: `${req.method} is not an MCP method; use POST, GET or DELETE`, headers: { allow: 'POST, GET, DELETE' } });
    }
    const auth = await this.authenticate(req, route);
    if ('status' in auth) {
      this.options.onAuthFailure?.(auth.reason);
      return fail(res, auth);
    }
    if (ModernHttp.applies(req)) {
      if (req.method !== 'POST') return fail(res, { status: 405, code: RpcCode.InvalidRequest, reason: 'http.method_not_allowed', message: 'protocol 2026-07-28 has no GET stream or DELETE: POST each request', headers: { allow: 'POST' } });
      return this.postModern(req, res, auth);
    }
    const protocolHeader = req.headers['mcp-protocol-version'];
    if (typeof protocolHeader === 'string' && !isSupportedProtocolVersion(protocolHeader)) {
      return fail(res, { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.unsupported_protocol_version', message: `Bad Request: Unsupported protocol version: ${protocolHeader}` });
    }
    if (req.method === 'POST') return this.post(req, res, auth);
    const session = this.openSession(req, auth);
    if ('status' in session) return fail(res, session);
    if (await this.relayedHome(req, res, auth, session)) return;
    if (req.method === 'GET') {
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
        return fail(res, { status: 406, code: RpcCode.InvalidRequest, reason: 'http.not_acceptable', message: 'Not Acceptable: a GET stream needs Accept: text/event-stream' });
      }
      const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined;
      return this.options.gateway.listen({ ...auth, session }, lastEventId, new HttpClientChannel(res));
    }
    await this.options.gateway.terminate({ ...auth, session });
    res.writeHead(200).end();
  }

  private async post(req: IncomingMessage, res: ServerResponse, agent: RequestContext): Promise<void> {
    let ctx = agent;
    const accept = String(req.headers.accept ?? '');
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return fail(res, { status: 406, code: RpcCode.InvalidRequest, reason: 'http.not_acceptable', message: 'Not Acceptable: Client must accept both application/json and text/event-stream' });
    }
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
      return fail(res, { status: 415, code: RpcCode.InvalidRequest, reason: 'http.unsupported_media_type', message: 'Unsupported Media Type: Content-Type must be application/json' });
    }
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      return fail(res, { status: 413, code: RpcCode.InvalidRequest, reason: 'http.body_too_large', message: `Payload Too Large: the limit is ${this.options.maxBodyBytes} bytes` });
    }
    if (body === 'aborted') return;
    const decoded = decodeAgentBody(body);
    if (!decoded.ok) return fail(res, decoded.failure, decoded.id);
    if ('batch' in decoded) return this.postBatch(req, res, ctx, body, decoded.batch);
    const message = decoded.message;
    if (this.options.tracer) ctx = { ...ctx, trace: this.traceRequest(req, res, ctx, 'method' in message ? message.method : 'response') };
    if (isRequest(message) && message.method === 'initialize') {
      if (req.headers['mcp-session-id']) {
        return fail(res, { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.already_initialized', message: 'Invalid Request: initialize must not carry a session id' }, message.id);
      }
      const limited = this.newSessionLimited(ctx, req.socket.remoteAddress ?? 'unknown');
      if (limited) return fail(res, limited, message.id);
      return this.options.gateway.initialize(ctx, message, new HttpClientChannel(res));
    }
    const session = this.openSession(req, ctx);
    if ('status' in session) return fail(res, session, isRequest(message) ? message.id : null);
    if (await this.relayedHome(req, res, ctx, session, body)) return;
    return this.options.gateway.handle({ ...ctx, session }, message, new HttpClientChannel(res));
  }

  /** A JSON-RPC batch: revision 2025-03-26 only (it was removed in 2025-06-18), in a session. */
  private async postBatch(req: IncomingMessage, res: ServerResponse, agent: RequestContext, body: Buffer, batch: readonly BatchItem[]): Promise<void> {
    const session = this.openSession(req, agent);
    if ('status' in session) return fail(res, session);
    if (session.protocolVersion !== '2025-03-26') return fail(res, BATCHES_REFUSED);
    const ctx = this.options.tracer ? { ...agent, trace: this.traceRequest(req, res, agent, 'batch') } : agent;
    if (await this.relayedHome(req, res, ctx, session, body)) return;
    await new BatchAnswer(res).run(batch, (message, channel) => this.options.gateway.handle({ ...ctx, session }, message, channel));
  }

  /** A caller opening sessions faster than allowed gets 429 with Retry-After (HTTP: there is no session yet). */
  private newSessionLimited(ctx: RequestContext, remoteAddress: string): Failure | undefined {
    const limits = this.options.newSessions;
    if (!limits) return undefined;
    const p = ctx.principal;
    // anonymous callers are told apart by their address, so one cannot use up a tenant's whole budget
    const user = p.kind === 'oauth' ? `${p.issuer}#${p.subject}` : p.kind === 'anonymous' ? `address:${remoteAddress}` : undefined;
    const decision = limits.limiter.check(
      { tenantId: ctx.tenant.snapshot.tenantId, tool: 'initialize', ...(p.kind === 'virtual-key' ? { keyId: p.key.id } : {}), ...(user ? { user } : {}) },
      [{ id: 'new-sessions', scope: p.kind === 'virtual-key' ? 'key' : 'user', capacity: limits.burst, refillPerSecond: limits.perSecond }],
    );
    if (decision.allowed) return undefined;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    return { status: 429, code: RpcCode.LimitExceeded, reason: 'limit.new_sessions', message: `Too Many Requests: too many new sessions; retry in ${seconds} s`, headers: { 'retry-after': String(seconds) } };
  }

  /** Sends the request to the session's home replica when its stdio children live there; false to serve it here. */
  private async relayedHome(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, session: SessionState, body?: Buffer): Promise<boolean> {
    const relay = this.options.relay;
    if (!relay || !relay.shouldRelay(req, session.home)) return false;
    const upstreams = tenantIndexOf(ctx.tenant.snapshot).upstreams;
    if (!session.upstreams.some((u) => upstreams.get(u.s)?.connection.transport !== 'streamable-http')) return false;
    const relayed = await relay.relay(req, res, session.home, body);
    if (!relayed) this.options.log({ level: 'warn', message: 'session home unreachable; serving here and starting its stdio upstreams afresh', home: session.home, sessionId: session.id });
    return relayed;
  }

  /** A request of the stateless revision: headers checked before the body, then the body against them. */
  private async postModern(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    if (!this.modern.preflight(req, res, ctx)) return;
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'aborted') return;
    if (body === 'too-large') return fail(res, { status: 413, code: RpcCode.InvalidRequest, reason: 'http.body_too_large', message: `Payload Too Large: the limit is ${this.options.maxBodyBytes} bytes` });
    const decoded = decodeAgentMessage(body);
    if (!decoded.ok) return fail(res, decoded.failure, decoded.id);
    const context = this.options.tracer && 'method' in decoded.message ? { ...ctx, trace: this.traceRequest(req, res, ctx, decoded.message.method) } : ctx;
    return this.modern.handle(req, res, context, decoded.message);
  }

  /** The agent request's SERVER span (continuing its traceparent), ended when the answer is done. */
  private traceRequest(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, method: string) {
    const trace = agentRequestSpan(this.options.tracer!, {
      method: method.slice(0, 100),
      ...(typeof req.headers.traceparent === 'string' ? { traceparent: req.headers.traceparent } : {}),
      tenant: ctx.tenant.snapshot.tenantSlug,
      virtualServer: ctx.virtualServer.name,
    });
    res.once('close', () => trace.end({ status: String(res.statusCode) }));
    return trace;
  }

  /** Missing → 400; unknown, forged, expired, or another caller's → 404 (the agent re-initializes). */
  private openSession(req: IncomingMessage, ctx: RequestContext) {
    const header = req.headers['mcp-session-id'];
    if (typeof header !== 'string' || !header) {
      return { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.session_missing', message: 'Bad Request: Mcp-Session-Id header is required' } as const;
    }
    const opened = this.options.sealer.open(header);
    const notFound = { status: 404, code: -32_001, reason: 'mcp.session_not_found', message: 'Session not found' } as const;
    if (!opened.ok || this.options.gateway.isTerminated(opened.state.id)) return notFound;
    const { state } = opened;
    if (state.tenantId !== ctx.tenant.snapshot.tenantId || state.virtualServerId !== ctx.virtualServer.id || state.principal !== principalId(ctx.principal)) return notFound;
    return state;
  }

  // ---------------------------------------------------------------- authentication

  /** Who calls which virtual server of which tenant, or why not (shared with the legacy SSE transport). */
  async authenticate(req: IncomingMessage, route: McpRoute): Promise<RequestContext | Failure> {
    const token = bearerOf(req);
    const routeTenant = route.tenantSlug ? this.options.store.bySlug(route.tenantSlug) : undefined;
    if (route.tenantSlug && !routeTenant) return { status: 404, code: RpcCode.InvalidRequest, reason: 'route.tenant_unknown', message: `no tenant ${route.tenantSlug} is served in this region` };
    const challenge = (tenant: TenantSnapshot | undefined, vs: SnapshotVirtualServer | undefined, error?: OAuthError): Record<string, string> => {
      if (!tenant || !vs || !tenant.snapshot.identityProviders.length) return { 'www-authenticate': 'Bearer realm="mcpgate"' };
      return {
        'www-authenticate': wwwAuthenticateHeader({
          resourceMetadataUrl: protectedResourceMetadataUrl(new URL(this.resourceOf(req, tenant, vs))),
          ...(error ? { error: error.code, description: error.description } : {}),
          ...(error?.requiredScopes ? { scope: error.requiredScopes.join(' ') } : {}),
        }),
      };
    };

    if (token === undefined) {
      const vs = routeTenant ? this.pickVirtualServer(routeTenant, route.virtualServer) : undefined;
      if (routeTenant && vs && !('status' in vs) && vs.anonymousAccess) {
        if (routeTenant.snapshot.status !== 'active') return { status: 403, code: RpcCode.Forbidden, reason: 'auth.tenant_inactive', message: 'the tenant is not active' };
        return { tenant: routeTenant, virtualServer: vs, principal: { kind: 'anonymous' } };
      }
      return {
        status: 401,
        code: RpcCode.InvalidRequest,
        reason: 'auth.credentials_missing',
        message: 'Unauthorized: send a virtual key or an OAuth access token as Authorization: Bearer',
        headers: challenge(routeTenant, vs && !('status' in vs) ? vs : undefined),
      };
    }
    if (VirtualKeyIndex.looksLikeKey(token)) {
      const found = this.options.keys.lookup(token);
      if (!found.ok || (routeTenant && routeTenant.snapshot.tenantId !== found.tenant.snapshot.tenantId)) {
        const reason = found.ok ? 'auth.key_unknown' : found.reason;
        return { status: 401, code: RpcCode.InvalidRequest, reason, message: `Unauthorized: ${reason === 'auth.key_expired' ? 'the key has expired' : reason === 'auth.tenant_inactive' ? 'the tenant is not active' : 'unknown or revoked key'}`, headers: { 'www-authenticate': 'Bearer realm="mcpgate", error="invalid_token"' } };
      }
      const vs = this.pickVirtualServer(found.tenant, route.virtualServer, found.key.scopes.virtualServerIds);
      if ('status' in vs) return vs;
      if (!found.key.scopes.virtualServerIds.includes(vs.id)) {
        return { status: 403, code: RpcCode.Forbidden, reason: 'key.virtual_server_not_in_scope', message: `Forbidden: this key does not reach virtual server ${vs.name}` };
      }
      return { tenant: found.tenant, virtualServer: vs, principal: { kind: 'virtual-key', key: found.key } };
    }
    if (!routeTenant) {
      return { status: 401, code: RpcCode.InvalidRequest, reason: 'auth.tenant_route_required', message: 'Unauthorized: OAuth access tokens are accepted on /t/<tenant>/mcp/<virtual-server>', headers: { 'www-authenticate': 'Bearer realm="mcpgate", error="invalid_token"' } };
    }
    const vs = this.pickVirtualServer(routeTenant, route.virtualServer);
    if ('status' in vs) return vs;
    try {
      const verified = await this.options.oauth.verify(token, routeTenant.snapshot.identityProviders, this.resourceOf(req, routeTenant, vs));
      if (routeTenant.snapshot.status !== 'active') return { status: 403, code: RpcCode.Forbidden, reason: 'auth.tenant_inactive', message: 'the tenant is not active' };
      const principal: Principal = {
        kind: 'oauth',
        identityProviderId: verified.identityProviderId,
        issuer: verified.issuer,
        subject: verified.subject,
        ...(verified.clientId ? { clientId: verified.clientId } : {}),
        groups: verified.groups,
        scopes: verified.scopes,
      };
      return { tenant: routeTenant, virtualServer: vs, principal };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return { status: error.status, code: error.status === 403 ? RpcCode.Forbidden : RpcCode.InvalidRequest, reason: `auth.${error.code}`, message: `${error.status === 403 ? 'Forbidden' : 'Unauthorized'}: ${error.description}`, headers: challenge(routeTenant, vs, error) };
    }
  }

  /** The virtual server a request addresses: by name, or the only one the caller can reach. */
  private pickVirtualServer(tenant: TenantSnapshot, name: string | undefined, reachable?: readonly string[]): SnapshotVirtualServer | Failure {
    const index = tenantIndexOf(tenant.snapshot);
    if (name) {
      const vs = index.virtualServersByName.get(name);
      return vs ?? { status: 404, code: RpcCode.InvalidRequest, reason: 'route.virtual_server_unknown', message: `no virtual server ${name} in this tenant` };
    }
    const candidates = reachable ? reachable.map((id) => index.virtualServersById.get(id)).filter((v) => v !== undefined) : tenant.snapshot.virtualServers;
    if (candidates.length === 1) return candidates[0]!;
    return {
      status: 400,
      code: RpcCode.InvalidRequest,
      reason: 'route.virtual_server_ambiguous',
      message: candidates.length ? `several virtual servers are reachable (${candidates.map((v) => v.name).join(', ')}); call /mcp/<name>` : 'no virtual server is reachable',
    };
  }

  /** The resource indicator of a tenant's virtual server: the audience its tokens must carry. */
  private resourceOf(req: IncomingMessage, tenant: TenantSnapshot, vs: SnapshotVirtualServer): string {
    return `${this.baseUrl(req)}/t/${tenant.snapshot.tenantSlug}/mcp/${vs.name}`;
  }

  // ---------------------------------------------------------------- OAuth metadata

  private serveResourceMetadata(req: IncomingMessage, res: ServerResponse, resourcePath: string, slug: string, vsName: string | undefined): void {
    const tenant = this.options.store.bySlug(slug);
    const vs = tenant ? this.pickVirtualServer(tenant, vsName) : undefined;
    if (!tenant || !vs || 'status' in vs) return fail(res, { status: 404, code: RpcCode.InvalidRequest, reason: 'route.unknown', message: `no protected resource at ${resourcePath}` });
    const body = JSON.stringify(protectedResourceMetadata(`${this.baseUrl(req)}${resourcePath.replace(/\/$/, '')}`, tenant.snapshot.identityProviders));
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300', 'access-control-allow-origin': '*' }).end(body);
  }

  private async serveAuthorizationServerMetadata(res: ServerResponse, slug: string): Promise<void> {
    const idp = this.options.store.bySlug(slug)?.snapshot.identityProviders[0];
    if (!idp) return fail(res, { status: 404, code: RpcCode.InvalidRequest, reason: 'route.unknown', message: `tenant ${slug} has no identity provider` });
    try {
      const metadata = await this.options.authorizationServers.get(idp.issuer);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300', 'access-control-allow-origin': '*' }).end(JSON.stringify(metadata));
    } catch (error) {
      fail(res, { status: 502, code: RpcCode.UpstreamUnavailable, reason: 'auth.idp_unavailable', message: `the identity provider's metadata is unavailable: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
