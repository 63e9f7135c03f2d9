/** What is counted per exporter. */
export interface ExporterCounters {
  /** Events the receiver acknowledged (a redelivered event counts again). */
  delivered: number;
  /** Failed delivery attempts. */
  errors: number;
  /** Batches given up on, and the events in them. */
  deadLetters: number;
  deadLetteredEvents: number;
  /** Newest seq of the tenant's trail minus the exporter's cursor, at the last look. */
  lag: number;
  cursorSeq: number;
}

interface Entry {
  readonly labels: { readonly tenant: string; readonly exporter: string; readonly kind: string };
  readonly counters: ExporterCounters;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const METRICS: readonly { name: string; type: 'counter' | 'gauge'; help: string; value: (c: ExporterCounters) => number }[] = [
  { name: 'mcpgate_audit_export_delivered_events_total', type: 'counter', help: 'Audit events acknowledged by the receiver', value: (c) => c.delivered },
  { name: 'mcpgate_audit_export_errors_total', type: 'counter', help: 'Failed delivery attempts', value: (c) => c.errors },
  { name: 'mcpgate_audit_export_dead_letters_total', type: 'counter', help: 'Batches written to the dead-letter table after their retries', value: (c) => c.deadLetters },
  { name: 'mcpgate_audit_export_dead_lettered_events_total', type: 'counter', help: 'Audit events in dead-lettered batches', value: (c) => c.deadLetteredEvents },
  { name: 'mcpgate_audit_export_lag_events', type: 'gauge', help: "Events of the tenant's trail not yet delivered", value: (c) => c.lag },
  { name: 'mcpgate_audit_export_cursor_seq', type: 'gauge', help: 'Last seq acknowledged (or dead-lettered)', value: (c) => c.cursorSeq },
];

/**
 * Per-exporter metrics of this process, rendered in the Prometheus text format. The control plane
 * has no metrics registry yet (prom-client is a dependency of the proxy only), so this keeps the
 * names and labels a registry would get; `render()` is what a /metrics endpoint would serve. Labels
 * are ids and the kind, never a URL or a secret.
 */
export class ExporterMetrics {
  private readonly entries = new Map<string, Entry>();

  /** The counters of an exporter, created at zero; they survive a restart of its worker. */
  of(exporterId: string, tenantId: string, kind: string): ExporterCounters {
    let entry = this.entries.get(exporterId);
    if (!entry) {
      entry = { labels: { tenant: tenantId, exporter: exporterId, kind }, counters: { delivered: 0, errors: 0, deadLetters: 0, deadLetteredEvents: 0, lag: 0, cursorSeq: 0 } };
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

  render(): string {
    const lines: string[] = [];
    for (const metric of METRICS) {
      lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
      for (const { labels, counters } of this.entries.values()) {
        const l = `tenant="${escapeLabel(labels.tenant)}",exporter="${escapeLabel(labels.exporter)}",kind="${escapeLabel(labels.kind)}"`;
        lines.push(`${metric.name}{${l}} ${metric.value(counters)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
