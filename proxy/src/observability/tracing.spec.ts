import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentRequestSpan, formatTraceparent, parseTraceparent, startTracing, upstreamCallSpan, type Tracing } from './tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const AGENT_SPAN_ID = '00f067aa0ba902b7';
const INCOMING = `00-${TRACE_ID}-${AGENT_SPAN_ID}-01`;
const HEADER = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

/** InMemorySpanExporter forgets its spans on shutdown; this one keeps them so shutdown's flush can be seen. */
class KeepingExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return this.forceFlush();
  }
}

const started: Tracing[] = [];
const start = async (exporter: 'none' | InMemorySpanExporter = new KeepingExporter()) => {
  const tracing = await startTracing({ serviceName: 'mcpgate-proxy', proxyId: 'proxy-eu-1', region: 'eu-west', exporter });
  started.push(tracing);
  return tracing;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((tracing) => tracing.shutdown()));
});

const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan => {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};

describe(startTracing.name, () => {
  it('exports nothing until batched spans are flushed by shutdown, then exports them with the proxy resource', async () => {
    const exporter = new KeepingExporter();
    const sut = await start(exporter);
    agentRequestSpan(sut.tracer, { method: 'tools/list' }).end({ status: 'ok' });
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    await sut.shutdown();

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('tools/list');
    expect(span?.resource.attributes).toMatchObject({ 'service.name': 'mcpgate-proxy', 'service.instance.id': 'proxy-eu-1', 'cloud.region': 'eu-west' });
  });

  it("with 'none' still gives every request a valid trace id and a traceparent for the upstream", async () => {
    const { tracer } = await start('none');
    const agent = agentRequestSpan(tracer, { method: 'tools/call' });
    const upstream = upstreamCallSpan(tracer, agent, { serverId: 'github', endpointId: 'primary', method: 'tools/call', tool: 'create_issue' });
    expect(agent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(agent.traceId).not.toBe('0'.repeat(32));
    expect(upstream.traceId).toBe(agent.traceId);
    expect(upstream.traceparent()).toMatch(HEADER);
    expect(HEADER.exec(upstream.traceparent())?.[1]).toBe(agent.traceId);
    upstream.end();
    agent.end();
  });

  it("with 'none' records nothing the agent did not ask to sample, and keeps an agent's sampled trace sampled for the next hop", async () => {
    const { tracer } = await start('none');
    const unsampled = agentRequestSpan(tracer, { method: 'tools/call' });
    expect(unsampled.span.isRecording()).toBe(false);
    expect(unsampled.traceparent()).toMatch(/-00$/);
    const sampled = agentRequestSpan(tracer, { method: 'tools/call', traceparent: INCOMING });
    const upstream = upstreamCallSpan(tracer, sampled, { serverId: 'github', endpointId: 'primary', method: 'tools/call' });
    expect(upstream.traceparent()).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    upstream.end();
    sampled.end();
    unsampled.end();
  });

  it('keeps proxies in one process apart: each exports its own spans with its own resource', async () => {
    const one = new KeepingExporter();
    const two = new KeepingExporter();
    const first = await start(one);
    const second = await startTracing({ serviceName: 'mcpgate-proxy', proxyId: 'proxy-us-1', region: 'us-east', exporter: two });
    started.push(second);
    agentRequestSpan(first.tracer, { method: 'ping' }).end();
    agentRequestSpan(second.tracer, { method: 'initialize' }).end();
    await Promise.all([first.shutdown(), second.shutdown()]);
    expect(one.getFinishedSpans().map((s) => [s.name, s.resource.attributes['cloud.region']])).toEqual([['ping', 'eu-west']]);
    expect(two.getFinishedSpans().map((s) => [s.name, s.resource.attributes['cloud.region']])).toEqual([['initialize', 'us-east']]);
  });
});

/** A loopback OTLP/HTTP collector recording the path and JSON body of each export. */
const collector = async () => {
  const received: { path: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

describe(`${startTracing.name} with OTLP`, () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ['the otlpEndpoint option', (url: string) => ({ otlpEndpoint: url })],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', (url: string) => (vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', url), {})],
  ])('posts the batched spans to <endpoint>/v1/traces, from %s, on shutdown', async (_case, configure) => {
    const otlp = await collector();
    try {
      const sut = await startTracing({ serviceName: 'mcpgate-proxy', proxyId: 'proxy-eu-1', region: 'eu-west', exporter: 'otlp', ...configure(otlp.url) });
      const agent = agentRequestSpan(sut.tracer, { method: 'tools/call', traceparent: INCOMING });
      agent.end();
      await sut.shutdown();
      expect(otlp.received.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(otlp.received[0]?.body).toContain(TRACE_ID);
    } finally {
      await otlp.close();
    }
  });
});

describe(agentRequestSpan.name, () => {
  it("continues the agent's trace: same trace id, the agent's span as remote parent, kind SERVER, request attributes", async () => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const sut = agentRequestSpan(tracing.tracer, { method: 'tools/call', traceparent: INCOMING, tenant: 'acme', virtualServer: 'engineering' });
    expect(sut.traceId).toBe(TRACE_ID);
    sut.end({ status: 'ok' });
    await tracing.shutdown();

    const span = byName(exporter.getFinishedSpans(), 'tools/call');
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext).toMatchObject({ traceId: TRACE_ID, spanId: AGENT_SPAN_ID, isRemote: true });
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'mcpgate.tenant': 'acme', 'mcpgate.virtual_server': 'engineering', 'mcpgate.outcome': 'ok' });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${AGENT_SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${AGENT_SPAN_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${AGENT_SPAN_ID}-01`],
    ['extra fields on version 00', `${INCOMING}-extra`],
    ['an empty header', ''],
  ])('starts a new trace when the incoming traceparent has %s', async (_case, traceparent) => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const sut = agentRequestSpan(tracing.tracer, { method: 'ping', traceparent });
    expect(sut.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(sut.traceId).not.toBe(TRACE_ID);
    sut.end();
    await tracing.shutdown();
    expect(byName(exporter.getFinishedSpans(), 'ping').parentSpanContext).toBeUndefined();
  });

  it("follows the agent's decision not to sample: nothing exported, ids still valid, the upstream told not to sample", async () => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const sut = agentRequestSpan(tracing.tracer, { method: 'ping', traceparent: `00-${TRACE_ID}-${AGENT_SPAN_ID}-00` });
    const upstream = upstreamCallSpan(tracing.tracer, sut, { serverId: 's', endpointId: 'e', method: 'ping' });
    expect(sut.traceId).toBe(TRACE_ID);
    expect(upstream.traceparent()).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-00$`));
    upstream.end();
    sut.end();
    await tracing.shutdown();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('marks a failure with an error status whose message has secrets scrubbed, and ends only once', async () => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const sut = agentRequestSpan(tracing.tracer, { method: 'tools/call' });
    sut.end({ error: 'upstream rejected Bearer mcpg_Ab3dEf6hIj9kLm2nOp5qRs8t', status: 'upstream_error' });
    sut.end({ status: 'ok' });
    await tracing.shutdown();

    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream rejected Bearer [redacted]' });
    expect(spans[0]?.attributes).toMatchObject({ 'error.type': 'upstream_error', 'mcpgate.outcome': 'upstream_error' });
  });

  it('bounds a span name an agent made huge', async () => {
    const { tracer } = await start();
    const sut = agentRequestSpan(tracer, { method: 'x'.repeat(10_000) });
    expect((sut.span as unknown as ReadableSpan).name).toHaveLength(120);
    sut.end();
  });
});

describe(upstreamCallSpan.name, () => {
  it("is a CLIENT child of the agent span whose traceparent names the same trace and the child's own span id", async () => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const agent = agentRequestSpan(tracing.tracer, { method: 'tools/call', traceparent: INCOMING, tenant: 'acme' });
    const sut = upstreamCallSpan(tracing.tracer, agent, { serverId: 'github', endpointId: 'primary', method: 'tools/call', tool: 'create_issue' });
    const header = sut.traceparent();
    sut.end({ status: 'ok' });
    agent.end({ status: 'ok' });
    await tracing.shutdown();

    const spans = exporter.getFinishedSpans();
    const agentSpan = byName(spans, 'tools/call');
    const upstreamSpan = byName(spans, 'tools/call create_issue');
    expect(upstreamSpan.kind).toBe(SpanKind.CLIENT);
    expect(upstreamSpan.spanContext().traceId).toBe(TRACE_ID);
    expect(upstreamSpan.parentSpanContext?.spanId).toBe(agentSpan.spanContext().spanId);
    expect(upstreamSpan.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_issue',
      'mcpgate.upstream.server_id': 'github',
      'mcpgate.upstream.endpoint_id': 'primary',
    });
    expect(parseTraceparent(header)).toEqual({ traceId: TRACE_ID, spanId: upstreamSpan.spanContext().spanId, traceFlags: 1, isRemote: true });
    expect(header).toBe(`00-${TRACE_ID}-${upstreamSpan.spanContext().spanId}-01`);
    expect(agent.traceparent()).toBe(`00-${TRACE_ID}-${agentSpan.spanContext().spanId}-01`);
  });

  it('takes a bare span or a bare traceparent() as the parent just as well', async () => {
    const exporter = new KeepingExporter();
    const tracing = await start(exporter);
    const agent = agentRequestSpan(tracing.tracer, { method: 'tools/call', traceparent: INCOMING });
    const fromSpan = upstreamCallSpan(tracing.tracer, agent.span, { serverId: 'a', endpointId: 'e', method: 'tools/list' });
    const fromHeader = upstreamCallSpan(tracing.tracer, { traceparent: () => agent.traceparent() }, { serverId: 'b', endpointId: 'e', method: 'prompts/list' });
    fromSpan.end();
    fromHeader.end();
    agent.end();
    await tracing.shutdown();

    const spans = exporter.getFinishedSpans();
    const agentSpanId = byName(spans, 'tools/call').spanContext().spanId;
    expect(byName(spans, 'tools/list').parentSpanContext?.spanId).toBe(agentSpanId);
    expect(byName(spans, 'prompts/list').parentSpanContext?.spanId).toBe(agentSpanId);
    expect(byName(spans, 'prompts/list').spanContext().traceId).toBe(TRACE_ID);
  });
});

describe(parseTraceparent.name, () => {
  it('reads a version 00 header and accepts longer future versions, keeping only the sampled flag', () => {
    expect(parseTraceparent(INCOMING)).toEqual({ traceId: TRACE_ID, spanId: AGENT_SPAN_ID, traceFlags: 1, isRemote: true });
    expect(parseTraceparent(`01-${TRACE_ID}-${AGENT_SPAN_ID}-03-future`)).toEqual({ traceId: TRACE_ID, spanId: AGENT_SPAN_ID, traceFlags: 1, isRemote: true });
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it('round-trips through formatTraceparent', () => {
    const context = parseTraceparent(INCOMING);
    expect(context && formatTraceparent(context)).toBe(INCOMING);
  });
});
