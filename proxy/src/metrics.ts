import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KafkaAuditShipper } from './audit/shipping/kafka-audit-shipper.js';
import type { AuditSpool } from './audit/spool/audit-spool.js';
import type { GatewayMetrics } from './mcp/gateway.js';
import type { SnapshotStore } from './snapshots/snapshot-store.js';

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, heap spaces, handles, event-loop delay since the
 * previous scrape, GC pauses by kind in buckets fine enough for pauses of a millisecond), collected
 * once per process however many proxies it runs: each collection adds a GC observer and an
 * event-loop monitor that last as long as the process.
 */
const processMetrics = () => {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, gcDurationBuckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
  }
  const registry = processRegistry;
  return registry.getMetricsAsArray().flatMap(({ name }) => registry.getSingleMetric(name) ?? []);
};

/** Prometheus metrics of the proxy; snapshot gauges are read from the store at scrape time. */
export const createMetrics = (store: SnapshotStore, region: string) => {
  const registry = new Registry();
  registry.setDefaultLabels({ region });
  for (const metric of processMetrics()) registry.registerMetric(metric);
  new Gauge({
    name: 'mcpgate_snapshot_age_seconds',
    help: 'Seconds since the control plane built the snapshot this proxy serves, per tenant',
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of store.status().tenants) this.set({ tenant: t.tenantSlug }, t.ageSeconds);
    },
  });
  new Gauge({
    name: 'mcpgate_snapshot_log_offset',
    help: 'Log offset of the snapshot this proxy serves, per tenant (compare with the control plane)',
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of store.status().tenants) this.set({ tenant: t.tenantSlug }, Number(t.version.logPosition.split(':').pop()));
    },
  });
  const rejected = new Counter({ name: 'mcpgate_snapshot_rejected_total', help: 'Snapshots refused, by reason', labelNames: ['reason'], registers: [registry] });
  const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  const requests = new Histogram({ name: 'mcpgate_mcp_request_duration_seconds', help: 'Agent MCP requests by method and outcome', labelNames: ['method', 'outcome'], buckets, registers: [registry] });
  const denials = new Counter({ name: 'mcpgate_mcp_denied_total', help: 'Tool calls denied, by reason (key scope, policy, limits, unknown tool)', labelNames: ['reason'], registers: [registry] });
  const upstreamCalls = new Histogram({ name: 'mcpgate_upstream_call_duration_seconds', help: 'Calls to upstream servers by server and outcome', labelNames: ['server', 'outcome'], buckets, registers: [registry] });
  const authFailures = new Counter({ name: 'mcpgate_auth_failures_total', help: 'Agent requests refused before MCP handling, by reason', labelNames: ['reason'], registers: [registry] });
  const spoolRejected = new Counter({ name: 'mcpgate_audit_spool_rejected_total', help: 'Audit events the spool refused (full, write failed), by reason', labelNames: ['reason'], registers: [registry] });
  const auditFailures = new Counter({ name: 'mcpgate_audit_failures_total', help: 'Tool calls whose audit record could not be written, by the tenant policy applied (closed: denied; open: served, alarm)', labelNames: ['policy', 'reason'], registers: [registry] });
  const spoolAppends = new Histogram({
    name: 'mcpgate_audit_spool_append_seconds',
    help: 'From a tool call handing its audit event to the spool until the event is on disk (queueing, write, sync); every call waits for it',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const shed = new Counter({ name: 'mcpgate_http_requests_shed_total', help: 'Agent requests refused with 503 before they were read: the replica had limits.maxConcurrentRequests in progress', registers: [registry] });
  const spoolWrites = new Counter({ name: 'mcpgate_audit_spool_writes_total', help: 'Synchronous writes to the audit spool; events appended ÷ writes is how many calls share each sync', registers: [registry] });
  /** The spool's append latency and writes, observed as they happen (a spool handed in by tests or the benchmark too). */
  const observeSpool = (spool: AuditSpool) =>
    spool.observe({ appended: (seconds) => spoolAppends.observe(seconds), wrote: () => spoolWrites.inc() });
  /** A gauge read at scrape time. */
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  /** Spool depth and shipping lag, read at scrape time. */
  const observeAudit = (spool: AuditSpool, shipper: KafkaAuditShipper) => {
    gauge('mcpgate_audit_spool_records', 'Audit events in the spool not yet acknowledged by Kafka', () => spool.depth().records);
    gauge('mcpgate_audit_spool_bytes', 'Bytes of audit events in the spool not yet acknowledged by Kafka', () => spool.depth().bytes);
    gauge('mcpgate_audit_spool_used_ratio', 'Share of the spool in use; at 1 new events are refused', () => spool.usage().usedBytes / spool.usage().maxBytes);
    gauge('mcpgate_audit_shipping_lag_seconds', 'Age of the oldest audit event not yet in Kafka', () => shipper.lag().oldestAgeMs / 1000);
    gauge('mcpgate_audit_shipping_connected', 'Whether the audit shipper reaches Kafka (1) or not (0)', () => (shipper.status().connected ? 1 : 0));
    gauge('mcpgate_audit_shipped', 'Audit events shipped to Kafka since start', () => shipper.status().shippedRecords);
  };
  // hot path: one bound child per label pair, so an observation does not hash its labels again
  const requestSeries = boundSeries((method: string, outcome: string) => requests.labels(method, outcome));
  const upstreamSeries = boundSeries((server: string, outcome: string) => upstreamCalls.labels(server, outcome));
  const gateway: GatewayMetrics = {
    request: (method, outcome, seconds) => requestSeries(method, outcome).observe(seconds),
    denied: (reason) => denials.inc({ reason }),
    upstreamCall: (server, outcome, seconds) => upstreamSeries(server, outcome).observe(seconds),
    auditFailed: (policy, reason) => auditFailures.inc({ policy, reason }),
  };
  return {
    registry,
    gateway,
    observeAudit,
    observeSpool,
    requestShed: () => shed.inc(),
    /** Agent requests in progress, read at scrape time. */
    observeInFlight: (read: () => number) => gauge('mcpgate_http_requests_in_flight', 'Agent POSTs in progress on this replica (beyond limits.maxConcurrentRequests new ones are refused)', read),
    auditSpoolRejected: (reason: string) => spoolRejected.inc({ reason }),
    snapshotRejected: (reason: string) => rejected.inc({ reason }),
    authFailure: (reason: string) => authFailures.inc({ reason }),
  };
};

/** Memoizes `bind(a, b)` per label pair (bounded: the map starts afresh past 10,000 pairs). */
const boundSeries = <T>(bind: (a: string, b: string) => T): ((a: string, b: string) => T) => {
  const bound = new Map<string, T>();
  return (a, b) => {
    const key = `${a}\u0000${b}`;
    let series = bound.get(key);
    if (series === undefined) {
      if (bound.size >= 10_000) bound.clear();
      series = bind(a, b);
      bound.set(key, series);
    }
    return series;
  };
};
