import { ProxyReport, type PolicyVersion, type ReportedTool } from '@mcpgate/contracts';

/** One proxy's view of one tenant: the snapshot it enforces, and whether that is the latest. */
export interface ProxyRollout {
  readonly proxyId: string;
  readonly region: string;
  readonly version: PolicyVersion | undefined;
  readonly appliedAt: string | undefined;
  readonly reportedAt: string;
  /** Enforces the latest published snapshot (same content hash). */
  readonly current: boolean;
  /** Silent for more than three of its report intervals: probably gone. */
  readonly stale: boolean;
}

export interface RegionRollout {
  readonly region: string;
  readonly proxies: readonly ProxyRollout[];
  /** Every live proxy of the region enforces the latest snapshot. */
  readonly enforced: boolean;
}

export interface TenantRollout {
  readonly tenantId: string;
  readonly latest: { readonly version: PolicyVersion; readonly publishedAt: Date } | undefined;
  readonly regions: readonly RegionRollout[];
  /** The latest snapshot is enforced by every live proxy that reports this tenant, and there is at least one. */
  readonly enforcedEverywhere: boolean;
}

export interface EndpointCatalogue {
  readonly proxyId: string;
  readonly region: string;
  readonly upstreamServerId: string;
  readonly endpointId: string;
  readonly health: 'healthy' | 'unhealthy' | 'unknown';
  readonly lastError: string | undefined;
  readonly tools: readonly ReportedTool[] | undefined;
  readonly listedAt: string | undefined;
  readonly reportedAt: string;
  readonly stale: boolean;
}

/** Reports older than this are forgotten (a proxy that has not reported for an hour is gone). */
const FORGET_AFTER_MS = 60 * 60_000;

/**
 * What the proxies enforce and see, from their reports (Kafka `mcpgate.proxy.reports`, or the
 * in-process proxy), next to what the control plane published: per tenant, which proxies in which
 * region run the latest snapshot, and each upstream endpoint's health and tool catalogue as the
 * proxies last saw them. In memory: reports are current state that every proxy repeats every few
 * seconds, so a restarted control plane knows it all again within one interval (and the compacted
 * topic replays the last report of every proxy at once).
 */
export class RolloutTracker {
  private readonly reports = new Map<string, { report: ProxyReport; receivedAt: number }>();
  private readonly published = new Map<string, { version: PolicyVersion; publishedAt: Date }>();
  private readonly listeners = new Set<(tenantIds: readonly string[]) => void>();
  private rejected = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A proxy's report as received; anything that is not a valid report is counted and ignored. */
  accept(raw: unknown): { ok: true } | { ok: false; error: string } {
    const parsed = ProxyReport.safeParse(raw);
    if (!parsed.success) {
      this.rejected += 1;
      return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) };
    }
    const report = parsed.data;
    const previous = this.reports.get(report.proxyId)?.report;
    this.reports.set(report.proxyId, { report, receivedAt: this.now() });
    this.forgetOld();
    const tenants = new Set([...report.snapshots.map((s) => s.tenantId), ...(previous?.snapshots.map((s) => s.tenantId) ?? [])]);
    this.notify([...tenants]);
    return { ok: true };
  }

  /** The control plane published a tenant's snapshot. */
  publishedSnapshot(tenantId: string, version: PolicyVersion, publishedAt: Date): void {
    this.published.set(tenantId, { version, publishedAt });
    this.notify([tenantId]);
  }

  /** Calls `listener` with the tenants whose rollout may have changed; returns an unsubscribe function. */
  watch(listener: (tenantIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get rejectedReports(): number {
    return this.rejected;
  }

  rollout(tenantId: string): TenantRollout {
    const latest = this.published.get(tenantId);
    const byRegion = new Map<string, ProxyRollout[]>();
    for (const { report, receivedAt } of this.reports.values()) {
      const snapshot = report.snapshots.find((s) => s.tenantId === tenantId);
      if (!snapshot) continue;
      const proxy: ProxyRollout = {
        proxyId: report.proxyId,
        region: report.region,
        version: snapshot.version,
        appliedAt: snapshot.appliedAt,
        reportedAt: report.reportedAt,
        current: latest !== undefined && snapshot.version.contentHash === latest.version.contentHash,
        stale: this.isStale(report, receivedAt),
      };
      byRegion.set(report.region, [...(byRegion.get(report.region) ?? []), proxy]);
    }
    const regions = [...byRegion.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, proxies]) => {
        const live = proxies.filter((p) => !p.stale);
        return { region, proxies: proxies.sort((a, b) => a.proxyId.localeCompare(b.proxyId)), enforced: live.length > 0 && live.every((p) => p.current) };
      });
    return { tenantId, latest, regions, enforcedEverywhere: regions.length > 0 && regions.every((r) => r.enforced) };
  }

  /** Every endpoint of one upstream server of a tenant, as each proxy last reported it. */
  catalogue(tenantId: string, upstreamServerId: string): EndpointCatalogue[] {
    const rows: EndpointCatalogue[] = [];
    for (const { report, receivedAt } of this.reports.values()) {
      for (const endpoint of report.endpoints) {
        if (endpoint.tenantId !== tenantId || endpoint.upstreamServerId !== upstreamServerId) continue;
        rows.push({
          proxyId: report.proxyId,
          region: report.region,
          upstreamServerId,
          endpointId: endpoint.endpointId,
          health: endpoint.health,
          lastError: endpoint.lastError,
          tools: endpoint.tools,
          listedAt: endpoint.listedAt,
          reportedAt: report.reportedAt,
          stale: this.isStale(report, receivedAt),
        });
      }
    }
    return rows.sort((a, b) => a.region.localeCompare(b.region) || a.proxyId.localeCompare(b.proxyId) || a.endpointId.localeCompare(b.endpointId));
  }

  /** The newest tool list any live proxy reported for the server (what "the live catalogue" shows). */
  latestTools(tenantId: string, upstreamServerId: string): { tools: readonly ReportedTool[]; listedAt: string; proxyId: string } | undefined {
    let best: { tools: readonly ReportedTool[]; listedAt: string; proxyId: string } | undefined;
    for (const row of this.catalogue(tenantId, upstreamServerId)) {
      if (!row.tools || !row.listedAt || row.stale) continue;
      if (!best || Date.parse(row.listedAt) > Date.parse(best.listedAt)) best = { tools: row.tools, listedAt: row.listedAt, proxyId: row.proxyId };
    }
    return best;
  }

  private isStale(report: ProxyReport, receivedAt: number): boolean {
    return this.now() - receivedAt > 3 * report.intervalSeconds * 1000;
  }

  private forgetOld(): void {
    const cutoff = this.now() - FORGET_AFTER_MS;
    for (const [proxyId, entry] of this.reports) if (entry.receivedAt < cutoff) this.reports.delete(proxyId);
  }

  private notify(tenantIds: readonly string[]): void {
    for (const listener of this.listeners) listener(tenantIds);
  }
}
