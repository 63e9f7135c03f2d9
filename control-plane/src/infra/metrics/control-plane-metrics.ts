import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the control plane's gauges read at scrape time (each role reports its own counters). */
export interface MetricSources {
  /** The applier every replica runs (commands and API reads). */
  readonly applier: { readonly appliedCount: number; readonly voidedCount: number; readonly quarantined: readonly unknown[] };
  /** The read-model projector. */
  readonly projector: { progress(): { readonly handled: number; readonly projected: number } };
  /** The audit sink's state and counters, or `disabled`. */
  readonly audit: { status(): AuditStatusLike };
  readonly rollout: { readonly rejectedReports: number };
  /** Registries of roles that keep their own (the SIEM exporters), merged into one scrape. */
  readonly more?: readonly Registry[];
}

type AuditStatusLike =
  | { readonly state: 'disabled' }
  | {
      readonly state: string;
      readonly appended: number;
      readonly duplicates: number;
      readonly quarantined: number;
      readonly checkpoints: number;
      readonly queuedEvents: number;
      readonly unsignedEvents: number;
      readonly kafka?: { readonly admission?: { readonly threads: number; readonly restarts: number; readonly recoveredRecords: number } };
    };

/** GraphQL operations by type, root field and outcome (`ok` or the error's stable code). */
export interface GraphqlObserver {
  observe(operationType: string, field: string, outcome: string, seconds: number): void;
}

export interface ControlPlaneMetrics {
  readonly graphql: GraphqlObserver;
  /** The Prometheus text of every metric of this control plane. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

const AUDIT_STATES = ['ok', 'retrying', 'halted', 'disabled'] as const;

/**
 * Prometheus metrics of one control plane, on a registry of its own (tests run several control
 * planes in one process): process metrics, the applier and projector counts, the audit sink's
 * counters and queue, rejected proxy reports, GraphQL operations, and whatever other registries
 * roles bring (the SIEM exporters' per-exporter lag, errors and dead letters). Values are read from
 * the roles at scrape time, so a role's hot path pays nothing for them. Labels are bounded: root
 * field names come from the schema, outcomes from the error code catalogue; never an id a client
 * chose, a URL or a secret.
 */
export const createControlPlaneMetrics = (sources: MetricSources): ControlPlaneMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counterFrom = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const gaugeFrom = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });

  counterFrom('mcpgate_control_log_applied_commits_total', 'Control-plane commits applied by this replica', () => sources.applier.appliedCount);
  counterFrom('mcpgate_control_log_voided_commits_total', 'Commits voided by the expected-version check (lost races)', () => sources.applier.voidedCount);
  counterFrom('mcpgate_control_log_quarantined_records_total', 'Log records that could not be decoded, kept aside', () => sources.applier.quarantined.length);
  counterFrom('mcpgate_control_projector_handled_commits_total', 'Commits the read-model projector has arbitrated', () => sources.projector.progress().handled);
  counterFrom('mcpgate_control_projector_projected_commits_total', 'Commits written to the read models', () => sources.projector.progress().projected);
  counterFrom('mcpgate_rollout_rejected_reports_total', 'Proxy reports refused as malformed', () => sources.rollout.rejectedReports);

  const audit = () => {
    const status = sources.audit.status();
    return 'appended' in status ? status : undefined;
  };
  new Gauge({
    name: 'mcpgate_audit_sink_state',
    help: 'The audit sink state: 1 for the current one (ok, retrying: a write failed and is retried, halted, disabled)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = sources.audit.status().state;
      for (const s of AUDIT_STATES) this.set({ state: s }, s === state ? 1 : 0);
    },
  });
  counterFrom('mcpgate_audit_sink_appended_events_total', 'Audit events appended to the hash chain by this sink', () => audit()?.appended ?? 0);
  counterFrom('mcpgate_audit_sink_duplicate_events_total', 'Audit events dropped as already stored (redelivery)', () => audit()?.duplicates ?? 0);
  counterFrom('mcpgate_audit_sink_quarantined_records_total', 'Records on the audit topics that are not audit events, quarantined', () => audit()?.quarantined ?? 0);
  counterFrom('mcpgate_audit_sink_checkpoints_total', 'Signed chain-head checkpoints written', () => audit()?.checkpoints ?? 0);
  gaugeFrom('mcpgate_audit_sink_queued_events', 'Audit events received and waiting to be written', () => audit()?.queuedEvents ?? 0);
  gaugeFrom('mcpgate_audit_sink_unsigned_events', 'Appended audit events not yet covered by a signed checkpoint', () => audit()?.unsignedEvents ?? 0);
  gaugeFrom('mcpgate_audit_sink_admission_threads', 'Threads admitting the records read from Kafka (0: the main thread does)', () => audit()?.kafka?.admission?.threads ?? 0);
  counterFrom('mcpgate_audit_sink_admission_thread_restarts_total', 'Admission threads that ended and were started again', () => audit()?.kafka?.admission?.restarts ?? 0);
  counterFrom('mcpgate_audit_sink_admission_recovered_records_total', 'Records admitted on the main thread because their admission thread ended', () => audit()?.kafka?.admission?.recoveredRecords ?? 0);

  const operations = new Histogram({
    name: 'mcpgate_graphql_operation_duration_seconds',
    help: 'GraphQL operations by type, root field and outcome (ok or the error code)',
    labelNames: ['type', 'field', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const merged = sources.more?.length ? Registry.merge([registry, ...sources.more]) : registry;
  return {
    graphql: { observe: (type, field, outcome, seconds) => operations.observe({ type, field, outcome }, seconds) },
    scrape: async () => ({ contentType: merged.contentType, body: await merged.metrics() }),
  };
};
