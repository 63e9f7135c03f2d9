import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_BUDGET_USAGE_TOPIC, type ProxyConfig, type ProxyReport, type SignedSnapshot } from '@mcpgate/contracts';
import { Gauge } from 'prom-client';
import type { AuditEmitter } from './audit/audit-emitter.js';
import { MemoryAuditEmitter } from './audit/audit-emitter.js';
import { AuditSpool, type AuditSpoolOptions } from './audit/spool/audit-spool.js';
import { OAuthBearerVerifier } from './auth/oauth/oauth-bearer.js';
import { AuthorizationServerMetadataRelay } from './auth/oauth/protected-resource.js';
import { VirtualKeyIndex } from './auth/virtual-keys.js';
import { Admission } from './http/admission.js';
import { HomeRelay } from './http/home-relay.js';
import { allowedHostSet } from './http/host-validation.js';
import { McpHttp } from './http/mcp-http.js';
import { BudgetCounter } from './limits/budget-counter.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { McpGateway } from './mcp/gateway.js';
import { createMetrics } from './metrics.js';
import { createLogger, logLine } from './observability/logger.js';
import { startTracing } from './observability/tracing.js';
import { SessionSealer } from './session/session-token.js';
import { StreamableHttpUpstream } from './upstream/http/streamable-http-upstream.js';
import { StdioProcessPool } from './upstream/stdio/stdio-process-pool.js';
import { ConnectionUpstream } from './upstream/connection/connection-upstream.js';
import { HealthChecker } from './upstream/health-checker.js';
import { SseConnector } from './upstream/sse/sse-connector.js';
import { StdioConnector } from './upstream/stdio/stdio-connector.js';
import { SnapshotStore } from './snapshots/snapshot-store.js';
import { trustedKeys } from './snapshots/verify-snapshot.js';
import { BudgetUsageReports } from './limits/budget-usage-reports.js';
import { buildProxyReport } from './reporting/proxy-report.js';
import { ProxyReporter } from './reporting/proxy-reporter.js';

/** An in-process snapshot channel (the single-process default): subscribe, get every snapshot, unsubscribe. */
export type SnapshotFeed = (deliver: (tenantId: string, signed: SignedSnapshot) => void) => () => void;

export interface ProxyOverrides {
  readonly snapshotFeed?: SnapshotFeed;
  /** An in-process channel of signed budget usage reports (the single-process default), like `snapshotFeed`. */
  readonly usageFeed?: SnapshotFeed;
  /** Where this proxy's reports go (the in-process control plane); default: Kafka `mcpgate.proxy.reports` when brokers are configured, else nowhere. */
  readonly reports?: (report: ProxyReport) => Promise<void>;
  /** Where audit events go; default: the durable spool shipped to Kafka when brokers are configured, else memory. */
  readonly audit?: AuditEmitter;
}

/** The spool settings of a proxy's configuration (the benchmark opens its spool with them too). */
export const auditSpoolOptions = (config: ProxyConfig): Pick<AuditSpoolOptions, 'dir' | 'maxBytes' | 'segmentBytes' | 'writeMode'> => ({
  dir: config.audit.spoolDir ?? join(config.dataDir, 'audit-spool'),
  maxBytes: config.audit.spoolMaxBytes,
  segmentBytes: config.audit.spoolSegmentBytes,
  writeMode: config.audit.spoolWrites,
});

export interface RunningProxy {
  readonly url: string;
  readonly store: SnapshotStore;
  /** The control plane's last budget usage report of each tenant. */
  readonly budgetUsage: BudgetUsageReports;
  readonly audit: AuditEmitter;
  close(): Promise<void>;
}

/** A port that is taken, reported plainly. */
export class ProxyListenError extends Error {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(cause.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use; stop what runs there or set MCPGATE_PROXY_PORT` : `cannot listen on ${host}:${port} (${cause.code ?? cause.message})`, { cause });
    this.name = 'ProxyListenError';
  }
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * The Kafka clients (snapshots, budget usage, audit shipping, reports), loaded only where brokers
 * are configured: a proxy without Kafka (the single-process default, tests) never loads kafkajs.
 */
const loadKafkaClients = async () => {
  const [{ KafkaSnapshotSource }, { KafkaAuditShipper }, { KafkaReportPublisher }] = await Promise.all([
    import('./snapshots/kafka-snapshot-source.js'),
    import('./audit/shipping/kafka-audit-shipper.js'),
    import('./reporting/kafka-report-publisher.js'),
  ]);
  return { KafkaSnapshotSource, KafkaAuditShipper, KafkaReportPublisher };
};

/**
 * Starts a regional proxy: loads the snapshots it kept, follows the snapshot source (Kafka, or the
 * in-process channel), and serves health, readiness, status and Prometheus metrics. The MCP
 * endpoints for agents join here (issue 6).
 */
export const startProxy = async (config: ProxyConfig, overrides: ProxyOverrides = {}): Promise<RunningProxy> => {
  const log = logLine(createLogger({ proxyId: config.proxyId, region: config.region, level: config.logLevel }));
  const tracing = await startTracing({ serviceName: 'mcpgate-proxy', proxyId: config.proxyId, region: config.region, exporter: config.tracesExporter });
  let countRejected: (reason: string) => void = () => {};
  const store = SnapshotStore.open({
    dir: join(config.dataDir, 'snapshots'),
    region: config.region,
    trustedSigningKeys: new Map(Object.entries(config.trustedSigningKeys)),
    regionKey: config.regionKey,
    onRejected: (tenantId, reason, message) => {
      countRejected(reason);
      log({ level: 'warn', message: 'refused a policy snapshot; serving the last good one', tenantId, reason, detail: message });
    },
  });
  const metrics = createMetrics(store, config.region);
  countRejected = metrics.snapshotRejected;

  const stops: (() => Promise<void> | void)[] = [() => tracing.shutdown()];
  const kafkaClients = config.kafkaBrokers.length ? await loadKafkaClients() : undefined;
  const kafka = kafkaClients ? new kafkaClients.KafkaSnapshotSource(store, { brokers: config.kafkaBrokers, clientId: `mcpgate-proxy-${config.proxyId}`, log }) : undefined;
  if (kafka) {
    kafka.start();
    stops.push(() => kafka.stop());
  }
  if (overrides.snapshotFeed) stops.push(overrides.snapshotFeed((tenantId, signed) => void store.offer(tenantId, signed, 'memory')));
  // budget usage across all proxies, counted by the control plane from the audit trail (src/limits/README.md)
  const usage = new BudgetUsageReports(trustedKeys(new Map(Object.entries(config.trustedSigningKeys))), (tenantId, reason, message) =>
    log({ level: 'warn', message: 'refused a budget usage report; budgets count from the last good one', tenantId, reason, detail: message }),
  );
  const usageSource = kafkaClients
    ? new kafkaClients.KafkaSnapshotSource({ offer: (key, raw) => usage.offer(key, raw) }, { brokers: config.kafkaBrokers, topic: DEFAULT_BUDGET_USAGE_TOPIC, clientId: `mcpgate-proxy-${config.proxyId}-usage`, log })
    : undefined;
  if (usageSource) {
    usageSource.start();
    stops.push(() => usageSource.stop());
  }
  if (overrides.usageFeed) stops.push(overrides.usageFeed((tenantId, signed) => void usage.offer(tenantId, signed)));

  // with Kafka: every audit event is fsync'd to the local spool before the call's answer, and shipped
  // to mcpgate.audit.<region> in the background; without (tests, the single-process default): memory
  let audit: AuditEmitter;
  let auditStatus: () => Record<string, unknown> = () => ({ kind: overrides.audit ? 'custom' : 'memory' });
  if (overrides.audit) {
    audit = overrides.audit;
    if (audit instanceof AuditSpool) metrics.observeSpool(audit);
  } else if (kafkaClients) {
    const spool = await AuditSpool.open({
      ...auditSpoolOptions(config),
      log,
      onRejected: metrics.auditSpoolRejected,
    }).catch(async (error: unknown) => {
      for (const stop of [...stops].reverse()) await stop();
      throw error;
    });
    const shipper = new kafkaClients.KafkaAuditShipper(spool, { brokers: config.kafkaBrokers, region: config.region, clientId: `mcpgate-proxy-${config.proxyId}-audit`, log });
    shipper.start();
    // stops run after the server closed, so emits in flight are flushed first
    stops.push(async () => {
      await shipper.stop();
      await spool.close();
    });
    metrics.observeAudit(spool, shipper);
    metrics.observeSpool(spool);
    auditStatus = () => ({ kind: 'spool', dir: spool.dir, depth: spool.depth(), usage: spool.usage(), shipping: { topic: shipper.topic, ...shipper.status(), lag: shipper.lag() } });
    audit = spool;
  } else audit = new MemoryAuditEmitter({ validate: false, maxEvents: 1_000 });
  // where the region's other replicas reach this one; the port is known once listening
  let selfUrl = config.advertiseUrl ?? `http://${config.listen.host === '0.0.0.0' ? '127.0.0.1' : config.listen.host}:${config.listen.port}`;
  const relay = new HomeRelay(() => selfUrl, config.proxyId);
  stops.push(() => relay.close());
  const http = new StreamableHttpUpstream();
  stops.push(() => http.close());
  const stdio = new ConnectionUpstream(new StdioConnector(new StdioProcessPool({ maxProcesses: config.limits.maxStdioProcesses, idleTimeoutMs: config.limits.stdioIdleSeconds * 1000, log })), 'stdio');
  stops.push(() => stdio.close());
  const sse = new ConnectionUpstream(new SseConnector({ maxStreams: config.limits.maxStdioProcesses * 4, idleTimeoutMs: config.limits.stdioIdleSeconds * 1000 }), 'sse');
  stops.push(() => sse.close());
  const sealer = new SessionSealer([{ keyId: config.regionKey.keyId, secret: config.regionKey.privateKeyPem }]);
  const gateway = new McpGateway({
    region: config.region,
    proxyId: config.proxyId,
    homeUrl: () => selfUrl,
    transports: { 'streamable-http': http, stdio, sse },
    sealer,
    audit,
    rateLimiter: new RateLimiter({ maxBuckets: 100_000 }),
    budgets: new BudgetCounter({ maxCounters: 100_000 }),
    budgetUsage: (tenantId) => usage.reportedUsage(tenantId),
    sessionLifetimeSeconds: config.limits.sessionLifetimeSeconds,
    log,
    metrics: metrics.gateway,
    tracer: tracing.tracer,
  });
  const checker = new HealthChecker(store, gateway.health, config.region);
  stops.push(() => checker.close());
  new Gauge({
    name: 'mcpgate_upstream_endpoint_unhealthy',
    help: 'Upstream endpoints whose circuit is open (1) or on trial (0.5) on this replica',
    labelNames: ['endpoint', 'state'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const e of gateway.health.report()) if (e.state !== 'closed') this.set({ endpoint: e.endpoint, state: e.state }, e.state === 'open' ? 1 : 0.5);
    },
  });
  const mcp = new McpHttp({
    store,
    gateway,
    sealer,
    keys: new VirtualKeyIndex(store),
    oauth: new OAuthBearerVerifier({ allowInsecureHttpIssuers: config.insecureHttpIdentityProviders }),
    authorizationServers: new AuthorizationServerMetadataRelay({ allowInsecureHttpIssuers: config.insecureHttpIdentityProviders }),
    allowedHosts: allowedHostSet(config.listen.host, [...config.allowedHosts, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])]),
    maxBodyBytes: config.limits.maxBodyBytes,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    log,
    onAuthFailure: metrics.authFailure,
    relay,
    tracer: tracing.tracer,
    newSessions: { limiter: new RateLimiter({ maxBuckets: 100_000 }), perSecond: config.limits.newSessionsPerSecond, burst: config.limits.newSessionsBurst },
    homeUrl: () => selfUrl,
    sessionLifetimeSeconds: config.limits.sessionLifetimeSeconds,
  });

  // what this proxy enforces and sees, reported to the control plane (rollout status, live tool catalogues)
  const startedAt = new Date();
  const reportPublisher = overrides.reports ? undefined : kafkaClients ? new kafkaClients.KafkaReportPublisher({ brokers: config.kafkaBrokers, clientId: `mcpgate-proxy-${config.proxyId}-reports` }) : undefined;
  const publishReport = overrides.reports ?? (reportPublisher ? (report: ProxyReport) => reportPublisher.publish(report) : undefined);
  if (publishReport) {
    const reporter = new ProxyReporter({
      build: () => buildProxyReport({ proxyId: config.proxyId, region: config.region, startedAt, intervalSeconds: config.reportIntervalSeconds, store, health: gateway.health, toolLists: gateway.reportedToolLists() }),
      publish: publishReport,
      intervalMs: config.reportIntervalSeconds * 1000,
      changes: () => store.version,
      log,
    });
    reporter.start();
    stops.push(async () => {
      await reporter.stop();
      await reportPublisher?.close();
    });
  }

  const admission = new Admission({ maxConcurrentRequests: config.limits.maxConcurrentRequests, onShed: metrics.requestShed, log });
  metrics.observeInFlight(() => admission.inFlight);

  const status = () => ({
    proxyId: config.proxyId,
    source: kafka ? { kind: 'kafka', connected: kafka.connected } : { kind: overrides.snapshotFeed ? 'in-process' : 'none' },
    ...store.status(),
    upstreamEndpoints: gateway.health.report(),
    audit: auditStatus(),
    budgetUsage: { source: usageSource ? { kind: 'kafka', connected: usageSource.connected } : { kind: overrides.usageFeed ? 'in-process' : 'none' }, ...usage.status() },
    stdioChildren: stdio.size,
    sseUpstreamStreams: sse.size,
    legacySseAgents: mcp.legacy.size,
    emptyCatalogues: gateway.emptyCatalogues.slice(-20),
    requests: { inFlight: admission.inFlight, maxConcurrent: config.limits.maxConcurrentRequests },
  });
  // Node checks header and request timeouts every connectionsCheckingInterval (30 s by default): check every second
  const server = createServer({ connectionsCheckingInterval: 1_000, headersTimeout: config.limits.headersTimeoutMs, requestTimeout: config.limits.requestTimeoutMs }, (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '/';
    const query = raw.indexOf('?');
    // the query matters to few routes (legacy /messages): parse a URL only when there is one
    const url = query < 0 && raw.startsWith('/') ? { pathname: raw, searchParams: new URLSearchParams() } : new URL(raw, 'http://localhost');
    const path = url.pathname;
    if (!admission.admit(req, res)) return;
    if (mcp.handle(req, res, url)) return;
    if (req.method !== 'GET') return json(res, 404, { code: 'NOT_FOUND', reason: 'http.not_found', message: `no route for ${req.method} ${path}` });
    switch (path) {
      case '/healthz':
        return json(res, 200, { status: 'ok' });
      case '/readyz': {
        // ready once there is a policy to serve: kept snapshots count, a connected source with none yet does too
        const ready = store.tenantIds().length > 0 || kafka?.connected === true || overrides.snapshotFeed !== undefined;
        return json(res, ready ? 200 : 503, { status: ready ? 'ok' : 'waiting for policy snapshots' });
      }
      case '/status':
        return json(res, 200, status());
      case '/metrics':
        void metrics.registry.metrics().then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        });
        return;
      default:
        return json(res, 404, { code: 'NOT_FOUND', reason: 'http.not_found', message: `no route for GET ${path}` });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new ProxyListenError(config.listen.host, config.listen.port, error)));
    server.keepAliveTimeout = 5_000;
    server.listen(config.listen.port, config.listen.host, () => resolve());
  }).catch(async (error: unknown) => {
    for (const stop of stops) await stop();
    throw error;
  });
  const address = server.address() as AddressInfo;
  if (!config.advertiseUrl) selfUrl = `http://${config.listen.host === '0.0.0.0' ? '127.0.0.1' : address.address}:${address.port}`;
  return {
    url: `http://${address.address}:${address.port}`,
    store,
    budgetUsage: usage,
    audit,
    close: async () => {
      // agents first: closing their connections aborts the upstream streams they hold open, so the
      // upstream connection pools can then close without waiting for agents to leave
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      for (const stop of stops.reverse()) await stop();
    },
  };
};
