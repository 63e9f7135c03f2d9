import { Counter, Gauge, Registry } from 'prom-client';
import type { SnapshotStore } from './snapshots/snapshot-store.js';

/** Prometheus metrics of the proxy; snapshot gauges are read from the store at scrape time. */
export const createMetrics = (store: SnapshotStore, region: string) => {
  const registry = new Registry();
  registry.setDefaultLabels({ region });
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
  return { registry, snapshotRejected: (reason: string) => rejected.inc({ reason }) };
};
