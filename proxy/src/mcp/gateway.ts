import { randomUUID, randomUUIDv7 } from 'node:crypto';
import { evaluateToolCall, matchesGlob, type AuditDecision, type HttpEndpoint, type StdioEndpoint, type AuditEvent, type SnapshotVirtualServer, type UpstreamServerConfig } from '@mcpgate/contracts';
import { auditPrincipalOf, callSubjectOf, principalId, type Principal } from '../auth/principal.js';
import { argumentsHash, redactArguments } from '../audit/audit-arguments.js';
import type { AuditEmitter } from '../audit/audit-emitter.js';
import type { BudgetCounter, ReportedUsage } from '../limits/budget-counter.js';
import { limitsForCall } from '../limits/limits-for-call.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { SessionSealer, SessionState, UpstreamSession } from '../session/session-token.js';
import type { TenantSnapshot } from '../snapshots/snapshot-store.js';
import { tenantIndexOf } from '../snapshots/tenant-index.js';
import type { Tracer } from '@opentelemetry/api';
import { upstreamCallSpan, type SpanHandle } from '../observability/tracing.js';
import { EndpointHealth, type HealthPolicy } from '../upstream/endpoint-health.js';
import type { PostOutcome, UpstreamTarget, UpstreamTransport } from '../upstream/upstream.js';
import { buildCatalogue, presentTool, PREFIX_SEPARATOR, type Catalogue, type UpstreamListing, type UpstreamTool } from './catalogue.js';
import type { ClientChannel } from './client-channel.js';
import {
  isNotification,
  isRequest,
  isResponse,
  rpcError,
  rpcResult,
  RpcCode,
  unwrapServerRequestId,
  wrapServerRequestId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
} from './jsonrpc.js';
import { ListCache } from './list-cache.js';
import { decodeEventId, encodeEventId } from './event-ids.js';
import { negotiateProtocolVersion } from './protocol-versions.js';

/** Everything known about one agent request once the HTTP layer has routed and authenticated it. */
export interface RequestContext {
  readonly tenant: TenantSnapshot;
  readonly virtualServer: SnapshotVirtualServer;
  readonly principal: Principal;
  /** The agent request's span: its trace continues upstream and names the audit event. */
  readonly trace?: SpanHandle;
}

/** A context with its session opened (every request but initialize). */
export interface SessionContext extends RequestContext {
  readonly session: SessionState;
}

export interface GatewayOptions {
  readonly region: string;
  readonly proxyId: string;
  /** This replica's address for other replicas (the session's home); known once it listens. */
  readonly homeUrl: () => string;
  readonly transports: Readonly<Partial<Record<UpstreamServerConfig['connection']['transport'], UpstreamTransport>>>;
  readonly sealer: SessionSealer;
  readonly audit: AuditEmitter;
  readonly rateLimiter: RateLimiter;
  readonly budgets: BudgetCounter;
  /** What the control plane last reported of each tenant's budget usage across all proxies. */
  readonly budgetUsage?: (tenantId: string) => ReportedUsage | undefined;
  readonly sessionLifetimeSeconds: number;
  readonly log: (line: Record<string, unknown>) => void;
  readonly metrics?: GatewayMetrics;
  readonly tracer?: Tracer;
}

/** What the gateway counts; the Prometheus adapter lives in metrics.ts. */
export interface GatewayMetrics {
  request(method: string, outcome: string, seconds: number): void;
  denied(reason: string): void;
  upstreamCall(serverId: string, outcome: PostOutcome['kind'], seconds: number): void;
  auditFailed(policy: 'closed' | 'open', reason: string): void;
}

/** Why an agent sees no tools: kept per tenant and virtual server for the status endpoint. */
export interface EmptyCatalogueReport {
  readonly at: string;
  readonly virtualServer: string;
  readonly principal: string;
  readonly reason: string;
  readonly detail: string;
}

type Listed = readonly Record<string, unknown>[];

interface Route {
  readonly target: UpstreamTarget;
  readonly transport: UpstreamTransport;
  readonly policy: HealthPolicy;
}

const healthPolicyOf = (config: UpstreamServerConfig): HealthPolicy => ({
  unhealthyAfter: config.healthCheck.unhealthyAfter,
  healthyAfter: config.healthCheck.healthyAfter,
  openMs: config.healthCheck.intervalMs,
});

/** Methods that change nothing upstream: retried on another endpoint when the first fails. */
const SAFE_TO_RETRY = new Set(['tools/list', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'resources/templates/list', 'completion/complete', 'ping']);

/** Methods counted under their own name in metrics; anything else an agent sends is `other` (bounded labels). */
const METRIC_METHODS = new Set([
  'ping', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'resources/templates/list',
  'resources/subscribe', 'resources/unsubscribe', 'completion/complete', 'logging/setLevel',
]);

const capabilityFlags = (capabilities: Record<string, unknown> | undefined): string => {
  if (!capabilities) return '';
  const resources = capabilities['resources'] as Record<string, unknown> | undefined;
  return [
    capabilities['tools'] ? 't' : '',
    capabilities['prompts'] ? 'p' : '',
    resources ? 'r' : '',
    resources?.['subscribe'] ? 's' : '',
    capabilities['logging'] ? 'l' : '',
    capabilities['completions'] ? 'c' : '',
  ].join('');
};

/**
 * The MCP gateway: one agent session in front of a virtual server's upstreams. It initializes
 * every upstream when the agent initializes, seals what it needs to continue into the session id,
 * and from then on handles each message on whichever replica receives it: aggregated and filtered
 * lists, routed and policed tool calls, pass-through of everything else in both directions.
 */
export class McpGateway {
  private readonly lists = new ListCache<Listed>({ ttlMs: 60_000, maxEntries: 10_000 });
  readonly health = new EndpointHealth();
  /** Upstream sessions this replica re-opened on another endpoint after a failure: `<agent session>/<server>`. */
  private readonly moved = new Map<string, UpstreamSession>();
  /** Catalogues built from cached lists, per virtual server (a snapshot object: a new snapshot starts afresh). */
  private readonly catalogues = new WeakMap<SnapshotVirtualServer, Map<string, { inputs: readonly (readonly UpstreamTool[])[]; catalogue: Catalogue }>>();
  /** Sessions ended with DELETE here, until they would have expired anyway (bounded). */
  private readonly terminated = new Map<string, number>();
  private internalIds = 0;
  readonly emptyCatalogues: EmptyCatalogueReport[] = [];

  constructor(private readonly options: GatewayOptions) {}

  // ---------------------------------------------------------------- initialize

  async initialize(ctx: RequestContext, request: JsonRpcRequest, reply: ClientChannel): Promise<void> {
    const params = request.params ?? {};
    const requested = typeof params['protocolVersion'] === 'string' ? params['protocolVersion'] : undefined;
    const protocolVersion = negotiateProtocolVersion(requested);
    const clientCapabilities = (params['capabilities'] as Record<string, unknown> | undefined) ?? {};
    const clientInfoRaw = params['clientInfo'] as { name?: unknown; version?: unknown } | undefined;
    const clientInfo = typeof clientInfoRaw?.name === 'string' ? { name: clientInfoRaw.name.slice(0, 200), version: typeof clientInfoRaw.version === 'string' ? clientInfoRaw.version.slice(0, 100) : '' } : undefined;
    const index = tenantIndexOf(ctx.tenant.snapshot);
    const sessionId = randomUUID();

    const attempts = await Promise.all(
      ctx.virtualServer.upstreams.map(async ({ serverId }) => {
        const config = index.upstreams.get(serverId);
        if (!config) return { serverId, error: 'the upstream server is not in this region' } as const;
        return this.initializeUpstream(ctx, sessionId, serverId, config, { protocolVersion: requested ?? protocolVersion, capabilities: clientCapabilities, clientInfo: clientInfoRaw ?? { name: 'unknown', version: '0' } });
      }),
    );
    const upstreams: UpstreamSession[] = [];
    const failures: string[] = [];
    const instructions: string[] = [];
    const merged = { tools: false, prompts: false, resources: false, subscribe: false, logging: false, completions: false };
    for (const attempt of attempts) {
      if ('error' in attempt) {
        failures.push(`${attempt.serverId}: ${attempt.error}`);
        continue;
      }
      upstreams.push(attempt.session);
      if (attempt.instructions) instructions.push(attempt.instructions);
      const flags = attempt.session.cap;
      merged.tools ||= flags.includes('t');
      merged.prompts ||= flags.includes('p');
      merged.resources ||= flags.includes('r');
      merged.subscribe ||= flags.includes('s');
      merged.logging ||= flags.includes('l');
      merged.completions ||= flags.includes('c');
    }
    if (failures.length) this.options.log({ level: 'warn', message: 'upstreams failed to initialize', tenantId: ctx.tenant.snapshot.tenantId, virtualServer: ctx.virtualServer.name, failures });
    if (!upstreams.length) {
      reply.json(200, rpcError(request.id, RpcCode.UpstreamUnavailable, `no upstream of virtual server ${ctx.virtualServer.name} could be reached`, { reason: 'upstream.unavailable', failures }));
      return;
    }
    const { token } = this.options.sealer.seal(
      {
        id: sessionId,
        tenantId: ctx.tenant.snapshot.tenantId,
        virtualServerId: ctx.virtualServer.id,
        principal: principalId(ctx.principal),
        protocolVersion,
        clientCapabilities,
        ...(clientInfo ? { clientInfo } : {}),
        upstreams,
        home: this.options.homeUrl(),
      },
      this.options.sessionLifetimeSeconds,
    );
    const capabilities: Record<string, unknown> = { tools: { listChanged: true } };
    if (merged.prompts) capabilities['prompts'] = { listChanged: true };
    if (merged.resources) capabilities['resources'] = { listChanged: true, ...(merged.subscribe ? { subscribe: true } : {}) };
    if (merged.logging) capabilities['logging'] = {};
    if (merged.completions) capabilities['completions'] = {};
    reply.json(
      200,
      rpcResult(request.id, {
        protocolVersion,
        capabilities,
        serverInfo: { name: `mcpgate/${ctx.virtualServer.name}`, title: ctx.virtualServer.name, version: '0.1.0' },
        ...(instructions.length ? { instructions: instructions.join('\n\n') } : {}),
      }),
      { 'mcp-session-id': token },
    );
  }

  private async initializeUpstream(
    ctx: RequestContext,
    agentSessionId: string,
    serverId: string,
    config: UpstreamServerConfig,
    params: Record<string, unknown>,
    exclude?: string,
  ): Promise<{ session: UpstreamSession; instructions?: string } | { serverId: string; error: string }> {
    const transport = this.options.transports[config.connection.transport];
    if (!transport) return { serverId, error: `the ${config.connection.transport} transport is not available on this proxy` };
    const policy = healthPolicyOf(config);
    const inRegion = config.connection.endpoints.filter((e) => (!e.regions.length || e.regions.includes(this.options.region)) && e.id !== exclude);
    if (!inRegion.length) return { serverId, error: `no ${exclude ? 'other ' : ''}endpoint in region ${this.options.region}` };
    // healthy endpoints first, in configured order; open circuits last (they may have recovered)
    const endpoints = [...inRegion.filter((e) => this.health.available(serverId, e.id, policy)), ...inRegion.filter((e) => !this.health.available(serverId, e.id, policy))];
    const errors: string[] = [];
    for (const endpoint of endpoints) {
      const base = this.targetFor(ctx, agentSessionId, serverId, config, endpoint.id, undefined, undefined, config.timeouts.connectMs);
      if ('error' in base) return { serverId, error: base.error };
      let response: JsonRpcResponse | undefined;
      const id = this.internalId();
      const outcome = await transport.post(base, { jsonrpc: '2.0', id, method: 'initialize', params }, (message) => {
        if (isResponse(message) && message.id === id) response = message;
      });
      if (outcome.kind === 'unavailable') this.health.failed(serverId, endpoint.id, policy, outcome.message);
      else this.health.succeeded(serverId, endpoint.id, policy);
      if (outcome.kind !== 'ok' || !response || 'error' in response) {
        errors.push(`${endpoint.id}: ${outcome.kind !== 'ok' ? outcome.kind === 'session-gone' ? 'session refused' : outcome.message : response && 'error' in response ? response.error.message : 'no answer'}`);
        continue;
      }
      const result = response.result;
      const upstreamVersion = typeof result['protocolVersion'] === 'string' ? result['protocolVersion'] : String(params['protocolVersion']);
      const session: UpstreamSession = {
        s: serverId,
        e: endpoint.id,
        ...(outcome.sessionId ? { sid: outcome.sessionId } : {}),
        pv: upstreamVersion,
        cap: capabilityFlags(result['capabilities'] as Record<string, unknown> | undefined),
      };
      // the proxy is the upstream's client: it completes the handshake itself, the agent's own
      // notifications/initialized is not forwarded again
      const follow = this.targetFor(ctx, agentSessionId, serverId, config, endpoint.id, session.sid, upstreamVersion, config.timeouts.connectMs);
      if (!('error' in follow)) await transport.post(follow, { jsonrpc: '2.0', method: 'notifications/initialized' }, () => {});
      return { session, ...(typeof result['instructions'] === 'string' ? { instructions: result['instructions'] } : {}) };
    }
    return { serverId, error: errors.join('; ') };
  }

  // ---------------------------------------------------------------- the session's messages

  /** Handles one message of an open session: a request, a notification or an answer to a server→client request. */
  async handle(ctx: SessionContext, message: JsonRpcMessage, reply: ClientChannel): Promise<void> {
    if (isResponse(message)) return this.answerServerRequest(ctx, message, reply);
    if (isNotification(message)) return this.notify(ctx, message, reply);
    const request = message as JsonRpcRequest;
    const started = performance.now();
    const method = METRIC_METHODS.has(request.method) ? request.method : 'other';
    try {
      await this.request(ctx, request, reply);
      this.options.metrics?.request(method, 'ok', (performance.now() - started) / 1000);
    } catch (error) {
      this.options.metrics?.request(method, 'error', (performance.now() - started) / 1000);
      this.options.log({ level: 'error', message: 'request failed inside the proxy', method, error: String(error) });
      const failure = rpcError(request.id, RpcCode.InternalError, 'internal proxy error');
      if (reply.started) reply.event(failure);
      else reply.json(200, failure);
      reply.end();
    }
  }

  private async request(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel): Promise<void> {
    switch (request.method) {
      case 'ping':
        return reply.json(200, rpcResult(request.id, {}));
      case 'initialize':
        return reply.json(200, rpcError(request.id, RpcCode.InvalidRequest, 'the session is already initialized'));
      case 'tools/list':
        return this.listTools(ctx, request, reply);
      case 'tools/call':
        return this.callTool(ctx, request, reply);
      case 'prompts/list':
        return this.listMerged(ctx, request, reply, 'prompts', 'p', true);
      case 'resources/list':
        return this.listMerged(ctx, request, reply, 'resources', 'r', false);
      case 'resources/templates/list':
        return this.listMerged(ctx, request, reply, 'resourceTemplates', 'r', false);
      case 'prompts/get':
        return this.routeByName(ctx, request, reply, 'prompts', 'p');
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return this.routeByUri(ctx, request, reply, typeof request.params?.['uri'] === 'string' ? request.params['uri'] : undefined);
      case 'completion/complete': {
        const ref = request.params?.['ref'] as { type?: string; name?: string; uri?: string } | undefined;
        if (ref?.type === 'ref/prompt') return this.routeByName(ctx, request, reply, 'prompts', 'c', ['ref', 'name']);
        return this.routeByUri(ctx, request, reply, ref?.uri, 'c');
      }
      case 'logging/setLevel':
        return this.broadcast(ctx, request, reply, 'l');
      default:
        if (ctx.session.upstreams.length === 1) return this.forward(ctx, 0, request, reply);
        return reply.json(200, rpcError(request.id, RpcCode.MethodNotFound, `method ${request.method} is not supported on a virtual server with several upstreams`));
    }
  }

  // ---------------------------------------------------------------- tools

  private async catalogue(ctx: SessionContext): Promise<{ catalogue: Catalogue; failures: string[]; gone: boolean }> {
    const failures: string[] = [];
    let gone = false;
    const listings = await Promise.all(
      ctx.session.upstreams.map(async (upstream, upstreamIndex) => {
        const member = ctx.virtualServer.upstreams.find((u) => u.serverId === upstream.s);
        const config = tenantIndexOf(ctx.tenant.snapshot).upstreams.get(upstream.s);
        if (!member || !config || !upstream.cap.includes('t')) return { upstreamIndex, prefix: config?.name ?? upstream.s, include: [], tools: NO_TOOLS };
        const listed = await this.listAll(ctx, upstreamIndex, 'tools/list', 'tools');
        if ('error' in listed) failures.push(`${config.name}: ${listed.error}`);
        if ('gone' in listed) gone = true;
        return { upstreamIndex, prefix: config.name, include: member.tools, tools: 'error' in listed ? NO_TOOLS : (listed.items as UpstreamTool[]) };
      }),
    );
    return { catalogue: this.builtCatalogue(ctx, listings), failures, gone };
  }

  /**
   * The catalogue of these listings, built once: while the cached lists stay the same arrays, every
   * call of a session (and of every session on the same upstream endpoints) reuses it.
   */
  private builtCatalogue(ctx: SessionContext, listings: readonly UpstreamListing[]): Catalogue {
    let byShape = this.catalogues.get(ctx.virtualServer);
    if (!byShape) this.catalogues.set(ctx.virtualServer, (byShape = new Map()));
    const shape = listings.map((l) => `${l.upstreamIndex}:${l.prefix}`).join('\u0000');
    const memo = byShape.get(shape);
    if (memo && memo.inputs.length === listings.length && memo.inputs.every((tools, i) => tools === listings[i]!.tools)) return memo.catalogue;
    const catalogue = buildCatalogue(ctx.virtualServer.prefixMode, listings);
    if (byShape.size >= 1_000) byShape.clear();
    byShape.set(shape, { inputs: listings.map((l) => l.tools), catalogue });
    return catalogue;
  }

  private async listTools(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel): Promise<void> {
    const { catalogue, failures, gone } = await this.catalogue(ctx);
    if (gone) return reply.json(404, rpcError(request.id, -32_001, 'Session not found: the upstream session has ended; initialize a new session'));
    const index = tenantIndexOf(ctx.tenant.snapshot);
    const subject = callSubjectOf(ctx.principal, ctx.tenant.snapshot);
    const visible = catalogue.entries.filter((entry) => evaluateToolCall(index.policies, subject, entry.visibleName).allowed);
    if (!visible.length) {
      const reason = failures.length ? 'catalogue.upstream_failed' : catalogue.entries.length ? 'catalogue.all_filtered' : 'catalogue.no_upstream_tools';
      const detail = failures.length
        ? failures.join('; ')
        : catalogue.entries.length
          ? `all ${catalogue.entries.length} tools are filtered out by the caller's key scope or policies`
          : 'the upstreams list no tools matching the virtual server';
      this.reportEmptyCatalogue(ctx, reason, detail);
    }
    reply.json(200, rpcResult(request.id, { tools: visible.map(presentTool) }));
  }

  private reportEmptyCatalogue(ctx: SessionContext, reason: string, detail: string): void {
    this.emptyCatalogues.push({ at: new Date().toISOString(), virtualServer: ctx.virtualServer.name, principal: ctx.session.principal, reason, detail });
    if (this.emptyCatalogues.length > 100) this.emptyCatalogues.shift();
    void this.emitAudit(ctx, { method: 'tools/list', decision: { outcome: 'allowed', reason, message: detail.slice(0, 2000) }, latencyMs: 0 }).catch((error: unknown) => this.auditLost(ctx, error));
  }

  private async callTool(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel): Promise<void> {
    const started = performance.now();
    const name = request.params?.['name'];
    const args = request.params?.['arguments'];
    if (typeof name !== 'string' || !name) return reply.json(200, rpcError(request.id, RpcCode.InvalidParams, 'tools/call needs params.name'));
    const index = tenantIndexOf(ctx.tenant.snapshot);
    const audit = { method: 'tools/call', tool: name.slice(0, 256), args };
    const deny = async (code: number, message: string, decision: AuditDecision, data: Record<string, unknown>) => {
      this.options.metrics?.denied(decision.reason);
      await this.emitAudit(ctx, { ...audit, decision, latencyMs: performance.now() - started }).catch((error: unknown) => this.auditLost(ctx, error));
      reply.json(200, rpcError(request.id, code, message, { ...data, policyVersion: ctx.tenant.snapshot.version }));
    };

    const resolved = await this.resolveTool(ctx, name);
    if (!resolved) return deny(RpcCode.InvalidParams, `Unknown tool: ${name}`, { outcome: 'denied', reason: 'tool.unknown' }, { reason: 'tool.unknown' });
    const decision = evaluateToolCall(index.policies, callSubjectOf(ctx.principal, ctx.tenant.snapshot), name);
    if (!decision.allowed) {
      return deny(
        RpcCode.Forbidden,
        `tool ${name} is not allowed for this caller (${decision.reason}${decision.ruleId ? `, rule ${decision.ruleId}` : ''})`,
        { outcome: 'denied', reason: decision.reason, ...(decision.ruleId ? { ruleId: decision.ruleId } : {}) },
        { reason: decision.reason, ...(decision.ruleId ? { ruleId: decision.ruleId } : {}), ...(decision.policy ? { policy: decision.policy } : {}) },
      );
    }
    const key = ctx.principal.kind === 'virtual-key' ? ctx.principal.key : undefined;
    const limits = limitsForCall(ctx.tenant.snapshot, key);
    const identity = {
      tenantId: ctx.tenant.snapshot.tenantId,
      tool: name,
      ...(key ? { keyId: key.id } : {}),
      ...(ctx.principal.kind === 'oauth' ? { user: ctx.principal.subject } : {}),
    };
    // a rate limit first (it takes a token), then the budgets: this replica's calls since the
    // control plane's last report of usage across all proxies, added to that report
    const rate = this.options.rateLimiter.check(identity, limits.rateLimits);
    const limit = rate.allowed ? this.options.budgets.check(identity, limits.budgets, this.options.budgetUsage?.(identity.tenantId)) : rate;
    if (!limit.allowed) {
      const reason = limit === rate ? 'limit.rate_exceeded' : 'limit.budget_exhausted';
      return deny(
        RpcCode.LimitExceeded,
        `${reason === 'limit.budget_exhausted' ? 'budget' : 'rate limit'} ${limit.limitId} exhausted; retry in ${Math.ceil(limit.retryAfterMs / 1000)} s`,
        { outcome: 'denied', reason, ruleId: limit.limitId.slice(0, 100) },
        { reason, limitId: limit.limitId, retryAfterMs: limit.retryAfterMs },
      );
    }
    const cost = tenantIndexOf(ctx.tenant.snapshot).costOf(name);
    this.options.budgets.record(identity, limits.budgets, cost);
    const forwarded: JsonRpcRequest = { ...request, params: { ...request.params, name: resolved.originalName } };
    let outcome: AuditDecision = { outcome: 'allowed', reason: 'policy.allowed' };
    await this.forward(ctx, resolved.upstreamIndex, forwarded, reply, {
      retrySafe: resolved.tool ? isRetrySafe(resolved.tool) : this.isRetrySafeTool(ctx, resolved.upstreamIndex, resolved.originalName),
      beforeAnswer: async (response) => {
        if ('error' in response) outcome = { outcome: 'failed', reason: 'upstream.error', message: response.error.message.slice(0, 2000) };
        else if (response.result['isError'] === true) outcome = { outcome: 'failed', reason: 'tool.is_error' };
        else outcome = { outcome: 'allowed', reason: decision.reason, ...(decision.ruleId ? { ruleId: decision.ruleId } : {}) };
        try {
          await this.emitAudit(ctx, { ...audit, upstreamServerId: ctx.session.upstreams[resolved.upstreamIndex]!.s, decision: outcome, latencyMs: performance.now() - started, cost });
        } catch (error) {
          this.options.metrics?.auditFailed(index.audit.onAuditFailure, (error as { reason?: string }).reason ?? 'audit.unknown');
          this.options.log({ level: 'error', message: 'AUDIT WRITE FAILED', tenantId: ctx.tenant.snapshot.tenantId, failClosed: index.audit.onAuditFailure === 'closed', error: String(error) });
          if (index.audit.onAuditFailure === 'closed') return rpcError(request.id, RpcCode.AuditUnavailable, 'the call ran but its audit record could not be written; the tenant requires audit, so the result is withheld', { reason: 'audit.unavailable' });
        }
        return response;
      },
    });
  }

  /** A tool the upstream marks read-only or idempotent (from the cached listing; no extra request) may be retried. */
  private isRetrySafeTool(ctx: SessionContext, upstreamIndex: number, name: string): boolean {
    const upstream = ctx.session.upstreams[upstreamIndex]!;
    const listed = this.lists.get(ListCache.key(ctx.tenant.snapshot.tenantId, upstream.s, upstream.e, 'tools/list', capabilitiesVariant(ctx.session.clientCapabilities)));
    const tool = listed?.find((t) => t['name'] === name);
    return tool !== undefined && isRetrySafe(tool);
  }

  /**
   * Finds which upstream tool a visible name stands for, without listing when the name says it.
   * Resolved through the catalogue, it also gives the listed tool (so its annotations need no
   * second lookup).
   */
  private async resolveTool(ctx: SessionContext, name: string): Promise<{ upstreamIndex: number; originalName: string; tool?: UpstreamTool } | undefined> {
    const vs = ctx.virtualServer;
    if (vs.prefixMode === 'never' && ctx.session.upstreams.length === 1) {
      const member = vs.upstreams.find((u) => u.serverId === ctx.session.upstreams[0]!.s);
      return member && member.tools.some((glob) => matchesGlob(glob, name)) ? { upstreamIndex: 0, originalName: name } : undefined;
    }
    if (vs.prefixMode === 'always') {
      const split = name.indexOf(PREFIX_SEPARATOR);
      if (split > 0 && name.length < 128) {
        const prefix = name.slice(0, split);
        const original = name.slice(split + PREFIX_SEPARATOR.length);
        const upstreamIndex = ctx.session.upstreams.findIndex((u) => tenantIndexOf(ctx.tenant.snapshot).upstreams.get(u.s)?.name === prefix);
        const member = upstreamIndex >= 0 ? vs.upstreams.find((u) => u.serverId === ctx.session.upstreams[upstreamIndex]!.s) : undefined;
        if (member) return member.tools.some((glob) => matchesGlob(glob, original)) ? { upstreamIndex, originalName: original } : undefined;
      }
    }
    const { catalogue } = await this.catalogue(ctx);
    const entry = catalogue.byVisibleName.get(name);
    return entry ? { upstreamIndex: entry.upstreamIndex, originalName: entry.originalName, tool: entry.tool } : undefined;
  }

  // ---------------------------------------------------------------- prompts, resources, completions, logging

  /** Lists of one kind across upstreams: passed through for one upstream (cursors work), merged for several. */
  private async listMerged(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel, field: string, flag: string, prefixNames: boolean): Promise<void> {
    const holders = ctx.session.upstreams.map((u, i) => ({ u, i })).filter(({ u }) => u.cap.includes(flag));
    if (!holders.length) return reply.json(200, rpcResult(request.id, { [field]: [] }));
    if (holders.length === 1 && ctx.session.upstreams.length === 1) return this.forward(ctx, holders[0]!.i, request, reply);
    const lists = await Promise.all(holders.map(async ({ i }) => ({ i, listed: await this.listAll(ctx, i, request.method, field) })));
    const items: Record<string, unknown>[] = [];
    const seen = new Map<string, number>();
    for (const { listed } of lists) if (!('error' in listed)) for (const item of listed.items) seen.set(String(item['name']), (seen.get(String(item['name'])) ?? 0) + 1);
    for (const { i, listed } of lists) {
      if ('error' in listed) continue;
      const prefix = tenantIndexOf(ctx.tenant.snapshot).upstreams.get(ctx.session.upstreams[i]!.s)?.name ?? '';
      for (const item of listed.items) {
        const clash = (seen.get(String(item['name'])) ?? 0) > 1;
        const prefixed = prefixNames && (ctx.virtualServer.prefixMode === 'always' || (ctx.virtualServer.prefixMode === 'on-collision' && clash));
        items.push(prefixed ? { ...item, name: `${prefix}${PREFIX_SEPARATOR}${String(item['name'])}` } : item);
      }
    }
    reply.json(200, rpcResult(request.id, { [field]: items }));
  }

  /** prompts/get and prompt completions: the (possibly prefixed) name picks the upstream. */
  private async routeByName(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel, field: string, flag: string, path: readonly string[] = ['name']): Promise<void> {
    const holders = ctx.session.upstreams.map((u, i) => ({ u, i })).filter(({ u }) => u.cap.includes(flag) || (flag === 'c' && u.cap.includes('p')));
    if (!holders.length) return reply.json(200, rpcError(request.id, RpcCode.MethodNotFound, `no upstream of this virtual server offers ${field}`));
    if (holders.length === 1 && ctx.session.upstreams.length === 1) return this.forward(ctx, holders[0]!.i, request, reply);
    const container = path.length === 2 ? (request.params?.[path[0]!] as Record<string, unknown> | undefined) : request.params;
    const name = typeof container?.[path.at(-1)!] === 'string' ? (container[path.at(-1)!] as string) : '';
    const split = name.indexOf(PREFIX_SEPARATOR);
    if (split > 0) {
      const prefix = name.slice(0, split);
      const target = holders.find(({ u }) => tenantIndexOf(ctx.tenant.snapshot).upstreams.get(u.s)?.name === prefix);
      if (target) {
        const renamed = { ...container, [path.at(-1)!]: name.slice(split + PREFIX_SEPARATOR.length) };
        const params = path.length === 2 ? { ...request.params, [path[0]!]: renamed } : renamed;
        return this.forward(ctx, target.i, { ...request, params }, reply);
      }
    }
    for (const { i } of holders) {
      const listed = await this.listAll(ctx, i, 'prompts/list', 'prompts');
      if (!('error' in listed) && listed.items.some((item) => item['name'] === name)) return this.forward(ctx, i, request, reply);
    }
    return reply.json(200, rpcError(request.id, RpcCode.InvalidParams, `unknown prompt: ${name}`));
  }

  /** Resource requests: the upstream that lists the URI (or a template matching it), else the first offering resources. */
  private async routeByUri(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel, uri: string | undefined, flag = 'r'): Promise<void> {
    const holders = ctx.session.upstreams.map((u, i) => ({ u, i })).filter(({ u }) => u.cap.includes(flag) || u.cap.includes('r'));
    if (!holders.length) return reply.json(200, rpcError(request.id, RpcCode.MethodNotFound, 'no upstream of this virtual server offers resources'));
    if (holders.length === 1 || !uri) return this.forward(ctx, holders[0]!.i, request, reply);
    for (const { i } of holders) {
      const listed = await this.listAll(ctx, i, 'resources/list', 'resources');
      if (!('error' in listed) && listed.items.some((item) => item['uri'] === uri)) return this.forward(ctx, i, request, reply);
    }
    for (const { i } of holders) {
      const listed = await this.listAll(ctx, i, 'resources/templates/list', 'resourceTemplates');
      if (!('error' in listed) && listed.items.some((item) => typeof item['uriTemplate'] === 'string' && templateMatches(item['uriTemplate'], uri))) return this.forward(ctx, i, request, reply);
    }
    return this.forward(ctx, holders[0]!.i, request, reply);
  }

  /** logging/setLevel goes to every upstream that logs. */
  private async broadcast(ctx: SessionContext, request: JsonRpcRequest, reply: ClientChannel, flag: string): Promise<void> {
    const holders = ctx.session.upstreams.map((u, i) => ({ u, i })).filter(({ u }) => u.cap.includes(flag));
    if (holders.length === 1 && ctx.session.upstreams.length === 1) return this.forward(ctx, holders[0]!.i, request, reply);
    await Promise.all(holders.map(({ i }) => this.exchange(ctx, i, request.method, request.params ?? {})));
    reply.json(200, rpcResult(request.id, {}));
  }

  /** Every page of one upstream list, cached per tenant, endpoint and client capabilities. */
  private async listAll(ctx: SessionContext, upstreamIndex: number, method: string, field: string): Promise<{ items: Listed } | { error: string; gone?: true }> {
    const upstream = ctx.session.upstreams[upstreamIndex]!;
    const variant = capabilitiesVariant(ctx.session.clientCapabilities);
    const cacheKey = ListCache.key(ctx.tenant.snapshot.tenantId, upstream.s, upstream.e, method, variant);
    const cached = this.lists.get(cacheKey);
    if (cached) return { items: cached };
    const items: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const answer = await this.exchange(ctx, upstreamIndex, method, cursor ? { cursor } : {});
      if ('error' in answer) return answer;
      const list = answer.result[field];
      if (Array.isArray(list)) items.push(...(list as Record<string, unknown>[]).filter((i) => typeof i === 'object' && i !== null));
      cursor = typeof answer.result['nextCursor'] === 'string' ? answer.result['nextCursor'] : undefined;
      if (!cursor) break;
    }
    this.lists.set(cacheKey, items);
    return { items };
  }

  /** One request of the proxy's own to an upstream of the session, answered in full. */
  private async exchange(ctx: SessionContext, upstreamIndex: number, method: string, params: Record<string, unknown>): Promise<{ result: Record<string, unknown> } | { error: string; gone?: true }> {
    let route = await this.route(ctx, upstreamIndex);
    if ('error' in route) return route;
    const id = this.internalId();
    let response: JsonRpcResponse | undefined;
    const send = (to: Route) =>
      to.transport.post(to.target, { jsonrpc: '2.0', id, method, params }, (message) => {
        if (isResponse(message) && message.id === id) response = message;
        else this.observe(ctx, upstreamIndex, message);
      });
    let outcome = await send(route);
    this.record(route, outcome);
    if (outcome.kind === 'unavailable' && SAFE_TO_RETRY.has(method)) {
      // lists change nothing: try once more on another endpoint
      route = await this.route(ctx, upstreamIndex, true);
      if ('error' in route) return { error: outcome.message };
      outcome = await send(route);
      this.record(route, outcome);
    }
    if (outcome.kind === 'session-gone') return { error: 'the upstream session has ended', gone: true };
    if (outcome.kind !== 'ok') return { error: outcome.message };
    if (!response) return { error: `${method}: the upstream closed without answering` };
    if ('error' in response) return { error: `${method}: ${response.error.message}` };
    return { result: response.result };
  }

  // ---------------------------------------------------------------- forwarding

  /**
   * Sends one agent request to one upstream and relays everything the upstream sends about it:
   * a single JSON answer when that is all there is, an SSE stream when progress, logging or
   * server→client requests come first. Server→client request ids are rewritten to name the upstream.
   */
  private async forward(
    ctx: SessionContext,
    upstreamIndex: number,
    request: JsonRpcRequest,
    reply: ClientChannel,
    hooks: { beforeAnswer?: (response: JsonRpcResponse) => Promise<JsonRpcResponse>; retrySafe?: boolean } = {},
  ): Promise<void> {
    let route = await this.route(ctx, upstreamIndex);
    if ('error' in route) return reply.json(200, rpcError(request.id, RpcCode.UpstreamUnavailable, route.error, { reason: 'upstream.unavailable' }));
    let answer: { message: JsonRpcResponse; eventId?: string } | undefined;
    const send = async (to: Route) => {
      const started = performance.now();
      const span = this.upstreamSpan(ctx, to, request);
      const result = await to.transport.post(
        span ? { ...to.target, traceparent: span.traceparent() } : to.target,
        request,
        (message, eventId) => {
          const clientEventId = eventId ? encodeEventId({ kind: 'post', upstreamIndex, eventId }) : undefined;
          if (isResponse(message) && message.id === request.id) {
            answer = { message, ...(clientEventId ? { eventId: clientEventId } : {}) };
            return;
          }
          this.observe(ctx, upstreamIndex, message);
          reply.event(this.toClient(upstreamIndex, message), clientEventId);
        },
        reply.signal,
      );
      this.options.metrics?.upstreamCall(to.target.serverId, result.kind, (performance.now() - started) / 1000);
      span?.end(result.kind === 'ok' ? { status: 'ok' } : { status: result.kind, error: result.kind === 'session-gone' ? 'upstream session ended' : result.message });
      this.record(to, result);
      return result;
    };
    let outcome = await send(route);
    if (outcome.kind === 'unavailable' && !answer && !reply.started && (hooks.retrySafe ?? SAFE_TO_RETRY.has(request.method))) {
      // nothing reached the agent and the request changes nothing: once more on another endpoint
      const next = await this.route(ctx, upstreamIndex, true);
      if (!('error' in next)) {
        route = next;
        outcome = await send(route);
      }
    }
    let final: JsonRpcResponse;
    if (outcome.kind === 'session-gone' && !reply.started) {
      // the upstream forgot the session: tell the agent to start a new one
      return reply.json(404, rpcError(request.id, -32_001, 'Session not found: the upstream session has ended; initialize a new session'));
    }
    if (answer) final = answer.message;
    else if (outcome.kind === 'ok') final = rpcError(request.id, RpcCode.UpstreamUnavailable, 'the upstream closed the stream without answering', { reason: 'upstream.no_answer' });
    else if (outcome.kind === 'session-gone') final = rpcError(request.id, RpcCode.UpstreamUnavailable, 'the upstream session has ended', { reason: 'upstream.session_gone' });
    else final = rpcError(request.id, RpcCode.UpstreamUnavailable, outcome.message, { reason: outcome.kind === 'rejected' ? 'upstream.rejected' : 'upstream.unavailable' });
    if (hooks.beforeAnswer) final = await hooks.beforeAnswer(final);
    if (reply.started) {
      reply.event(final, answer?.eventId);
      reply.end();
    } else reply.json(200, final);
  }

  /** A message from an upstream as the agent must see it: server→client request ids name the upstream. */
  private toClient(upstreamIndex: number, message: JsonRpcMessage): JsonRpcMessage {
    if (isRequest(message)) return { ...message, id: wrapServerRequestId(upstreamIndex, message.id) };
    return message;
  }

  /** Side effects of upstream notifications on the proxy's caches. */
  private observe(ctx: SessionContext, upstreamIndex: number, message: JsonRpcMessage): void {
    if (!isNotification(message)) return;
    const serverId = ctx.session.upstreams[upstreamIndex]?.s;
    if (!serverId) return;
    if (message.method === 'notifications/tools/list_changed') this.lists.invalidate(ctx.tenant.snapshot.tenantId, serverId, 'tools/list');
    else if (message.method === 'notifications/prompts/list_changed') this.lists.invalidate(ctx.tenant.snapshot.tenantId, serverId, 'prompts/list');
    else if (message.method === 'notifications/resources/list_changed') {
      this.lists.invalidate(ctx.tenant.snapshot.tenantId, serverId, 'resources/list');
      this.lists.invalidate(ctx.tenant.snapshot.tenantId, serverId, 'resources/templates/list');
    }
  }

  /** The agent answers a server→client request: restore the id and send it to the upstream that asked. */
  private async answerServerRequest(ctx: SessionContext, response: JsonRpcResponse, reply: ClientChannel): Promise<void> {
    const original = unwrapServerRequestId(response.id);
    if (!original || original.upstreamIndex >= ctx.session.upstreams.length) {
      return reply.json(400, rpcError(null, RpcCode.InvalidRequest, 'this response answers no request the proxy sent'));
    }
    const route = await this.route(ctx, original.upstreamIndex);
    if ('error' in route) return reply.json(502, rpcError(null, RpcCode.UpstreamUnavailable, route.error));
    const outcome = await route.transport.post(route.target, { ...response, id: original.id } as JsonRpcResponse, () => {});
    if (outcome.kind === 'session-gone') return reply.json(404, rpcError(null, -32_001, 'Session not found'));
    // the upstream refused the agent's answer itself: the agent's fault, not the upstream's
    if (outcome.kind === 'rejected') return reply.json(400, rpcError(null, RpcCode.InvalidRequest, `the upstream refused this answer: ${outcome.message}`));
    if (outcome.kind !== 'ok') return reply.json(502, rpcError(null, RpcCode.UpstreamUnavailable, outcome.message));
    reply.json(202, undefined);
  }

  /** Agent notifications go to every upstream (cancellation ids are the agent's own, which upstreams saw unchanged). */
  private async notify(ctx: SessionContext, message: JsonRpcMessage, reply: ClientChannel): Promise<void> {
    if ('method' in message && message.method === 'notifications/initialized') return reply.json(202, undefined);
    await Promise.all(
      ctx.session.upstreams.map(async (_, i) => {
        const route = await this.route(ctx, i);
        if (!('error' in route)) await route.transport.post(route.target, message, () => {});
      }),
    );
    reply.json(202, undefined);
  }

  // ---------------------------------------------------------------- the standalone stream and the end

  /**
   * The agent's GET stream: the upstreams' standalone streams fanned in. Each event id carries the
   * last event id of every upstream stream, so a reconnect to any replica resumes all of them.
   */
  async listen(ctx: SessionContext, lastEventId: string | undefined, reply: ClientChannel): Promise<void> {
    const resume = lastEventId ? decodeEventId(lastEventId) : undefined;
    if (resume?.kind === 'post') {
      // resuming an interrupted POST stream: replay it from that upstream
      const route = await this.route(ctx, resume.upstreamIndex);
      if ('error' in route) return reply.json(404, rpcError(null, -32_001, 'that stream cannot be resumed'));
      reply.comment('resumed');
      await route.transport.listen(route.target, resume.eventId, (message, eventId) => {
        reply.event(this.toClient(resume.upstreamIndex, message), eventId ? encodeEventId({ kind: 'post', upstreamIndex: resume.upstreamIndex, eventId }) : undefined);
      }, reply.signal);
      return reply.end();
    }
    const positions: (string | undefined)[] = ctx.session.upstreams.map((_, i) => (resume?.kind === 'get' ? resume.positions[i] : undefined));
    reply.comment('stream open');
    const keepAlive = setInterval(() => reply.comment('keep-alive'), 15_000);
    keepAlive.unref();
    try {
      await Promise.all(
        ctx.session.upstreams.map(async (_, i) => {
          const route = await this.route(ctx, i);
          if ('error' in route) return;
          const outcome = await route.transport.listen(route.target, positions[i], (message, eventId) => {
            if (eventId) positions[i] = eventId;
            this.observe(ctx, i, message);
            reply.event(this.toClient(i, message), eventId ? encodeEventId({ kind: 'get', positions }) : undefined);
          }, reply.signal);
          if (outcome.kind !== 'ok' && !reply.signal.aborted) this.options.log({ level: 'warn', message: 'upstream standalone stream unavailable', serverId: route.target.serverId, outcome: outcome.kind });
        }),
      );
    } finally {
      clearInterval(keepAlive);
    }
    reply.end();
  }

  /** DELETE: ends every upstream session. */
  /** The last tools/list this replica saw from each upstream endpoint, per tenant (for proxy reports). */
  reportedToolLists(): { tenantId: string; serverId: string; endpointId: string; tools: readonly Record<string, unknown>[]; listedAt: number }[] {
    const latest = new Map<string, { tenantId: string; serverId: string; endpointId: string; tools: readonly Record<string, unknown>[]; listedAt: number }>();
    for (const entry of this.lists.entriesOf('tools/list')) {
      const key = `${entry.tenantId}/${entry.serverId}/${entry.endpointId}`;
      const seen = latest.get(key);
      if (!seen || seen.listedAt < entry.storedAt) latest.set(key, { tenantId: entry.tenantId, serverId: entry.serverId, endpointId: entry.endpointId, tools: entry.value, listedAt: entry.storedAt });
    }
    return [...latest.values()];
  }

  /** Was this session ended with DELETE on this replica? (Other replicas learn it from the upstream's 404.) */
  isTerminated(sessionId: string): boolean {
    return this.terminated.has(sessionId);
  }

  async terminate(ctx: SessionContext): Promise<void> {
    this.terminated.set(ctx.session.id, ctx.session.exp);
    if (this.terminated.size > 100_000) this.terminated.delete(this.terminated.keys().next().value!);
    await Promise.all(
      ctx.session.upstreams.map(async (_, i) => {
        const route = await this.route(ctx, i);
        if (!('error' in route)) await route.transport.terminate(route.target);
      }),
    );
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Where a session's upstream is reached now: where the session opened it, unless that endpoint's
   * circuit is open and another endpoint is healthy, in which case this replica opens the upstream
   * session there (initialized as the agent did) and keeps using it for this agent session.
   */
  private async route(ctx: SessionContext, upstreamIndex: number, forceMove = false): Promise<Route | { error: string }> {
    const original = ctx.session.upstreams[upstreamIndex];
    if (!original) return { error: 'no such upstream in this session' };
    const config = tenantIndexOf(ctx.tenant.snapshot).upstreams.get(original.s);
    if (!config) return { error: `upstream ${original.s} was removed from this tenant` };
    const transport = this.options.transports[config.connection.transport];
    if (!transport) return { error: `the ${config.connection.transport} transport is not available on this proxy` };
    const movedKey = `${ctx.session.id}/${original.s}`;
    let upstream = this.moved.get(movedKey) ?? original;
    if (forceMove || !this.health.available(upstream.s, upstream.e, healthPolicyOf(config))) {
      const moved = await this.initializeUpstream(ctx, ctx.session.id, original.s, config, { protocolVersion: ctx.session.protocolVersion, capabilities: ctx.session.clientCapabilities, clientInfo: ctx.session.clientInfo ?? { name: 'unknown', version: '0' } }, upstream.e);
      if ('session' in moved) {
        this.options.log({ level: 'warn', message: 'upstream endpoint unhealthy: session moved to another endpoint', serverId: original.s, from: upstream.e, to: moved.session.e });
        upstream = moved.session;
        this.moved.set(movedKey, upstream);
        if (this.moved.size > 100_000) this.moved.delete(this.moved.keys().next().value!);
      } else if (forceMove) return { error: moved.error };
    }
    const target = this.targetFor(ctx, ctx.session.id, upstream.s, config, upstream.e, upstream.sid, upstream.pv, config.timeouts.callMs);
    return 'error' in target ? target : { target, transport, policy: healthPolicyOf(config) };
  }

  /** The CLIENT span of one call to an upstream, child of the agent request's span. */
  private upstreamSpan(ctx: SessionContext, route: Route, request: JsonRpcRequest): SpanHandle | undefined {
    // an agent span that is not recorded (nothing exported, not sampled) has no child worth making:
    // the upstream gets the agent span's traceparent (targetFor), and the audit event its trace id
    if (!this.options.tracer || !ctx.trace || !ctx.trace.span.isRecording()) return undefined;
    const tool = request.method === 'tools/call' && typeof request.params?.['name'] === 'string' ? request.params['name'] : undefined;
    return upstreamCallSpan(this.options.tracer, ctx.trace, { serverId: route.target.serverId, endpointId: route.target.endpointId, method: request.method, ...(tool ? { tool } : {}) });
  }

  /** Feeds an exchange's outcome into the endpoint's health. */
  private record(route: Route, outcome: PostOutcome): void {
    if (outcome.kind === 'unavailable') this.health.failed(route.target.serverId, route.target.endpointId, route.policy, outcome.message);
    else this.health.succeeded(route.target.serverId, route.target.endpointId, route.policy);
  }

  private targetFor(
    ctx: RequestContext,
    agentSessionId: string,
    serverId: string,
    config: UpstreamServerConfig,
    endpointId: string,
    sessionId: string | undefined,
    protocolVersion: string | undefined,
    timeoutMs: number,
  ): UpstreamTarget | { error: string } {
    const headers: Record<string, string> = {};
    const env: Record<string, string> = {};
    if (config.credential) {
      const secret = ctx.tenant.secrets.get(config.credential.credentialId);
      if (secret === undefined) return { error: `credential ${config.credential.credentialId} of ${config.name} is not available in region ${this.options.region}` };
      if (config.credential.inject.as === 'header') headers[config.credential.inject.name.toLowerCase()] = `${config.credential.inject.prefix}${secret}`;
      else env[config.credential.inject.name] = secret;
    }
    const endpoint = (config.connection.endpoints as readonly (HttpEndpoint | StdioEndpoint)[]).find((e) => e.id === endpointId);
    if (!endpoint) return { error: `endpoint ${endpointId} of ${config.name} no longer exists` };
    const session = 'session' in ctx ? (ctx as SessionContext).session : undefined;
    return {
      serverId,
      endpointId,
      endpoint,
      agentSessionId,
      timeoutMs,
      headers,
      env,
      ...(session
        ? { initialize: { protocolVersion: session.protocolVersion, capabilities: session.clientCapabilities, clientInfo: session.clientInfo ?? { name: 'unknown', version: '0' } } }
        : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(ctx.trace ? { traceparent: ctx.trace.traceparent() } : {}),
    };
  }

  private internalId(): string {
    this.internalIds = (this.internalIds + 1) % Number.MAX_SAFE_INTEGER;
    return `mcpg-i-${this.internalIds}`;
  }

  /** An audit record of a refusal could not be written: the refusal stands; say so loudly. */
  private auditLost(ctx: SessionContext, error: unknown): void {
    const policy = tenantIndexOf(ctx.tenant.snapshot).audit.onAuditFailure;
    this.options.metrics?.auditFailed(policy, (error as { reason?: string }).reason ?? 'audit.unknown');
    this.options.log({ level: 'error', message: 'AUDIT WRITE FAILED', tenantId: ctx.tenant.snapshot.tenantId, error: String(error) });
  }

  private async emitAudit(
    ctx: SessionContext,
    entry: { method: string; tool?: string; args?: unknown; upstreamServerId?: string; decision: AuditDecision; latencyMs: number; cost?: number },
  ): Promise<void> {
    const settings = tenantIndexOf(ctx.tenant.snapshot).audit;
    const args = entry.args && typeof entry.args === 'object' && !Array.isArray(entry.args) ? (entry.args as Record<string, unknown>) : undefined;
    // optional fields assigned one by one: conditional spreads would build a throwaway object each
    const event: Mutable<AuditEvent> = {
      schemaVersion: 1,
      // time-ordered (RFC 9562 version 7): the audit store's unique index on event ids then grows
      // at its right edge instead of taking each insert at a random page (control-plane/src/audit/README.md)
      eventId: randomUUIDv7(),
      time: new Date().toISOString(),
      tenantId: ctx.tenant.snapshot.tenantId,
      region: this.options.region,
      proxyId: this.options.proxyId,
      principal: auditPrincipalOf(ctx.principal),
      virtualServerId: ctx.virtualServer.id,
      method: entry.method,
      decision: entry.decision,
      latencyMs: Math.max(0, Math.round(entry.latencyMs * 1000) / 1000),
      policyVersion: ctx.tenant.snapshot.version,
      sessionId: ctx.session.id.length > 64 ? ctx.session.id.slice(0, 64) : ctx.session.id,
    };
    if (entry.upstreamServerId) event.upstreamServerId = entry.upstreamServerId;
    if (entry.tool) event.tool = entry.tool;
    if (entry.cost) event.cost = entry.cost;
    if (settings.argumentCapture !== 'none' && entry.method === 'tools/call') event.argumentsHash = argumentsHash(entry.args ?? {});
    if (settings.argumentCapture === 'full' && args) event.arguments = redactArguments(args);
    if (ctx.trace) event.traceId = ctx.trace.traceId;
    await this.options.audit.emit(event);
  }
}


type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One shared empty listing, so a catalogue memo recognises "no tools" as the same input. */
const NO_TOOLS: UpstreamTool[] = [];

/** The upstream marks the tool read-only or idempotent: a call that reached no endpoint may be sent again. */
const isRetrySafe = (tool: Record<string, unknown>): boolean => {
  const annotations = tool['annotations'] as { readOnlyHint?: boolean; idempotentHint?: boolean } | undefined;
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
};

/** The list-cache variant of a session's client capabilities, computed once per capabilities object. */
const variants = new WeakMap<object, string>();
const capabilitiesVariant = (capabilities: Record<string, unknown>): string => {
  let variant = variants.get(capabilities);
  if (variant === undefined) variants.set(capabilities, (variant = JSON.stringify(capabilities)));
  return variant;
};

/** RFC 6570 level-1 templates are enough to route: each `{var}` matches one or more characters. */
const templateMatches = (template: string, uri: string): boolean =>
  new RegExp(`^${template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.+')}$`).test(uri);
