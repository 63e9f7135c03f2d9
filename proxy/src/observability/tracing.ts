import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, isValidSpanId, isValidTraceId, trace, type Attributes, type Context, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BatchSpanProcessor, ParentBasedSampler, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_ERROR_TYPE, ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { scrubSecrets } from './scrub-secrets.js';

/**
 * Span attributes the proxy writes. `cloud.region`, `mcp.method.name` and `gen_ai.tool.name` are
 * incubating semantic conventions, copied here as @opentelemetry/semantic-conventions advises
 * (its `incubating` entry point may change in any minor release).
 */
export const TraceAttributes = {
  cloudRegion: 'cloud.region',
  mcpMethod: 'mcp.method.name',
  tool: 'gen_ai.tool.name',
  tenant: 'mcpgate.tenant',
  virtualServer: 'mcpgate.virtual_server',
  upstreamServer: 'mcpgate.upstream.server_id',
  upstreamEndpoint: 'mcpgate.upstream.endpoint_id',
  outcome: 'mcpgate.outcome',
  errorType: ATTR_ERROR_TYPE,
} as const;

export interface TracingOptions {
  readonly serviceName: string;
  readonly proxyId: string;
  readonly region: string;
  /**
   * Where finished spans go: `otlp` (OTLP/HTTP; endpoint from `otlpEndpoint`, else the standard
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` variables, else
   * http://localhost:4318), `none` (default: spans and trace ids still exist for audit events and
   * the upstream hop, nothing leaves the process), or any SpanExporter (tests). Spans are batched.
   */
  readonly exporter?: 'otlp' | 'none' | SpanExporter;
  /** OTLP base URL, as OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` is appended). */
  readonly otlpEndpoint?: string;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports the spans still batched, then stops the exporter. */
  shutdown(): Promise<void>;
}

/**
 * Starts this proxy's tracer provider. Deliberately not NodeSDK and nothing registered globally:
 * the tracer is handed to the hot path explicitly, so several proxies in one process (the
 * single-process launcher, e2e suites) each keep their own resource, and no auto-instrumentation,
 * context manager or default OTLP log/metric exporters come along (see README.md).
 */
export const startTracing = async (options: TracingOptions): Promise<Tracing> => {
  const exporter = options.exporter ?? 'none';
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        [ATTR_SERVICE_INSTANCE_ID]: options.proxyId,
        [TraceAttributes.cloudRegion]: options.region,
      }),
    ),
    spanProcessors: exporter === 'none' ? [] : [new BatchSpanProcessor({ exporter: exporter === 'otlp' ? await otlpExporter(options.otlpEndpoint) : exporter })],
    // nothing exported: spans the agent did not ask to sample are not recorded (no attributes,
    // no span objects kept), yet still have trace and span ids for audit events and the upstream
    // hop; a sampled incoming traceparent stays sampled for the next hop
    ...(exporter === 'none' ? { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) } : {}),
    // agents choose method names and tool names: keep what they can put in a span bounded
    spanLimits: { attributeValueLengthLimit: 1024 },
  });
  return { tracer: provider.getTracer('@mcpgate/proxy'), shutdown: () => provider.shutdown() };
};

/** Loaded only when spans are exported: a proxy that exports none does not load the OTLP client (about 1 MB resident). */
const otlpExporter = async (endpoint: string | undefined): Promise<SpanExporter> => {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter(endpoint ? { url: new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).toString() } : {});
};

// ------------------------------------------------------------------------------ W3C trace context

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The remote parent a W3C `traceparent` header names, or undefined when it is missing or invalid
 * (version `ff`, upper-case hex, all-zero ids, extra fields on version 00).
 */
export const parseTraceparent = (header: string | undefined): SpanContext | undefined => {
  if (!header) return undefined;
  const match = TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (!version || !traceId || !spanId || !flags || version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (!isValidTraceId(traceId) || !isValidSpanId(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
};

/** The `traceparent` header (version 00) naming a span as the parent of the next hop. */
export const formatTraceparent = (context: SpanContext): string =>
  `00-${context.traceId}-${context.spanId}-${context.traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`;

// ------------------------------------------------------------------------------ hot-path spans

export interface SpanOutcome {
  /** What went wrong, for people; marks the span as failed (secret-shaped text is scrubbed). */
  readonly error?: string;
  /**
   * A short outcome code with few distinct values (`ok`, `denied`, `upstream_timeout`, `-32603` …):
   * recorded as `mcpgate.outcome`, and as `error.type` when there is an error.
   */
  readonly status?: string;
}

/** A started span with what the next hop and the audit event need. */
export interface SpanHandle {
  readonly span: Span;
  /** 32 lower-case hex digits, also when nothing is exported. */
  readonly traceId: string;
  /** `traceparent` for the next hop: the same trace, this span as the parent. */
  traceparent(): string;
  /** Ends the span once; later calls do nothing. */
  end(outcome?: SpanOutcome): void;
}

/** What {@link upstreamCallSpan} accepts as the parent: a handle, a span, or anything with a `traceparent()`. */
export type SpanParent = Span | { traceparent(): string; readonly span?: Span };

export interface AgentRequest {
  /** The JSON-RPC method (`tools/call` …). */
  readonly method: string;
  /** The agent's incoming `traceparent` header, continued when valid. */
  readonly traceparent?: string;
  readonly tenant?: string;
  readonly virtualServer?: string;
}

export interface UpstreamCall {
  readonly serverId: string;
  readonly endpointId: string;
  readonly method: string;
  /** The tool's name at the upstream, for `tools/call`. */
  readonly tool?: string;
}

/** Span names come partly from agents: bounded, so one odd request cannot make a huge one. */
const MAX_SPAN_NAME = 120;
const spanName = (name: string): string => (name.length > MAX_SPAN_NAME ? name.slice(0, MAX_SPAN_NAME) : name);

class StartedSpan implements SpanHandle {
  readonly traceId: string;
  private header: string | undefined;
  private ended = false;

  constructor(readonly span: Span) {
    this.traceId = span.spanContext().traceId;
  }

  traceparent(): string {
    return (this.header ??= formatTraceparent(this.span.spanContext()));
  }

  end(outcome?: SpanOutcome): void {
    if (this.ended) return;
    this.ended = true;
    if (outcome?.status !== undefined) this.span.setAttribute(TraceAttributes.outcome, outcome.status);
    if (outcome?.error !== undefined) {
      this.span.setAttribute(TraceAttributes.errorType, outcome.status ?? '_OTHER');
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: scrubSecrets(outcome.error) });
    }
    this.span.end();
  }
}

/**
 * The SERVER span for one agent request. It continues the agent's trace when `traceparent` is
 * valid (and follows its sampled flag), and starts a new trace otherwise. No context manager is
 * involved: pass the returned handle to {@link upstreamCallSpan}.
 */
export const agentRequestSpan = (tracer: Tracer, request: AgentRequest): SpanHandle => {
  const parent = parseTraceparent(request.traceparent);
  const context: Context = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const attributes: Attributes = { [TraceAttributes.mcpMethod]: request.method };
  if (request.tenant !== undefined) attributes[TraceAttributes.tenant] = request.tenant;
  if (request.virtualServer !== undefined) attributes[TraceAttributes.virtualServer] = request.virtualServer;
  return new StartedSpan(tracer.startSpan(spanName(request.method), { kind: SpanKind.SERVER, attributes }, context));
};

/**
 * The CLIENT span for one call to an upstream, a child of `parent` (normally the agent request's
 * handle). Its `traceparent()` is what the upstream transport sends.
 */
export const upstreamCallSpan = (tracer: Tracer, parent: SpanParent, call: UpstreamCall): SpanHandle => {
  const context = parentContext(parent);
  const attributes: Attributes = {
    [TraceAttributes.mcpMethod]: call.method,
    [TraceAttributes.upstreamServer]: call.serverId,
    [TraceAttributes.upstreamEndpoint]: call.endpointId,
  };
  if (call.tool !== undefined) attributes[TraceAttributes.tool] = call.tool;
  const name = call.tool === undefined ? call.method : `${call.method} ${call.tool}`;
  return new StartedSpan(tracer.startSpan(spanName(name), { kind: SpanKind.CLIENT, attributes }, context));
};

const parentContext = (parent: SpanParent): Context => {
  if ('spanContext' in parent) return trace.setSpan(ROOT_CONTEXT, parent);
  if (parent.span) return trace.setSpan(ROOT_CONTEXT, parent.span);
  const remote = parseTraceparent(parent.traceparent());
  return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
};
