import { Counter, Gauge, Registry } from 'prom-client';
/** What is counted per exporter. */
export interface ExporterCounters {
  /** Events the receiver acknowledged (a redelivered event counts again). */
  delivered: number;
  /** Failed delivery attempts. */
  errors: number;
  /** Batches given up on, and the events in them. */
  deadLetters: number;
  deadLetteredEvents: number;
  /** Events of dead letters delivered again on request (redrives). */
  redrivenEvents: number;
  /** Newest seq of the tenant's trail minus the exporter's cursor, at the last look. */
  lag: number;
  cursorSeq: number;
}

interface Entry {
  readonly labels: { readonly tenant: string; readonly exporter: string; readonly kind: string };
  readonly counters: ExporterCounters;
}

const METRICS: readonly { name: string; type: 'counter' | 'gauge'; help: string; value: (c: ExporterCounters) => number }[] = [
  { name: 'mcpgate_audit_export_delivered_events_total', type: 'counter', help: 'Audit events acknowledged by the receiver', value: (c) => c.delivered },
  { name: 'mcpgate_audit_export_errors_total', type: 'counter', help: 'Failed delivery attempts', value: (c) => c.errors },
  { name: 'mcpgate_audit_export_dead_letters_total', type: 'counter', help: 'Batches written to the dead-letter table after their retries', value: (c) => c.deadLetters },
  { name: 'mcpgate_audit_export_dead_lettered_events_total', type: 'counter', help: 'Audit events in dead-lettered batches', value: (c) => c.deadLetteredEvents },
  { name: 'mcpgate_audit_export_redriven_events_total', type: 'counter', help: 'Events of dead letters delivered again on request', value: (c) => c.redrivenEvents },
  { name: 'mcpgate_audit_export_lag_events', type: 'gauge', help: "Events of the tenant's trail not yet delivered", value: (c) => c.lag },
  { name: 'mcpgate_audit_export_cursor_seq', type: 'gauge', help: 'Last seq acknowledged (or dead-lettered)', value: (c) => c.cursorSeq },
];

/**
 * Per-exporter metrics of this process on a registry of their own, which the control plane merges
 * into its /metrics scrape. Values are read from the counters at scrape time. Labels are ids and the
 * kind, never a URL or a secret.
 */
export class ExporterMetrics {
  readonly registry = new Registry();
  private readonly entries = new Map<string, Entry>();

  constructor() {
    const entries = this.entries;
    const labelNames = ['tenant', 'exporter', 'kind'] as const;
    for (const metric of METRICS) {
      if (metric.type === 'counter')
        new Counter({
          name: metric.name,
          help: metric.help,
          labelNames,
          registers: [this.registry],
          collect() {
            this.reset();
            for (const { labels, counters } of entries.values()) this.inc(labels, metric.value(counters));
          },
        });
      else
        new Gauge({
          name: metric.name,
          help: metric.help,
          labelNames,
          registers: [this.registry],
          collect() {
            this.reset();
            for (const { labels, counters } of entries.values()) this.set(labels, metric.value(counters));
          },
        });
    }
  }

  /** The counters of an exporter, created at zero; they survive a restart of its worker. */
  of(exporterId: string, tenantId: string, kind: string): ExporterCounters {
    let entry = this.entries.get(exporterId);
    if (!entry) {
      entry = { labels: { tenant: tenantId, exporter: exporterId, kind }, counters: { delivered: 0, errors: 0, deadLetters: 0, deadLetteredEvents: 0, redrivenEvents: 0, lag: 0, cursorSeq: 0 } };
      this.entries.set(exporterId, entry);
    }
    return entry.counters;
  }

  /** Forgets a deleted exporter. */
  remove(exporterId: string): void {
    this.entries.delete(exporterId);
  }

  snapshot(exporterId: string): ExporterCounters | undefined {
    const entry = this.entries.get(exporterId);
    return entry && { ...entry.counters };
  }

  /** The Prometheus text of these metrics alone (the control plane serves them with its own at /metrics). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
