import type { ProxyReport, ReportedEndpoint, ReportedTool } from '@mcpgate/contracts';
import type { SnapshotStore } from '../snapshots/snapshot-store.js';
import type { EndpointHealth } from '../upstream/endpoint-health.js';

export interface ReportInputs {
  readonly proxyId: string;
  readonly region: string;
  readonly startedAt: Date;
  readonly intervalSeconds: number;
  readonly store: SnapshotStore;
  readonly health: EndpointHealth;
  /** The last tools/list seen per tenant and upstream endpoint (the gateway's list cache). */
  readonly toolLists: readonly { tenantId: string; serverId: string; endpointId: string; tools: readonly Record<string, unknown>[]; listedAt: number }[];
  readonly now?: () => Date;
}

const MAX_TOOLS = 1_000;

const bounded = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value ? value.slice(0, max) : undefined);

/** A listed tool as reported: what a console shows (name, title, description, hints), never its schema. */
const reportedTool = (tool: Record<string, unknown>): ReportedTool | undefined => {
  const name = bounded(tool['name'], 256);
  if (!name) return undefined;
  const annotations = (typeof tool['annotations'] === 'object' && tool['annotations'] !== null ? tool['annotations'] : {}) as Record<string, unknown>;
  const title = bounded(tool['title'], 256) ?? bounded(annotations['title'], 256);
  const description = bounded(tool['description'], 2000);
  return {
    name,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(typeof annotations['readOnlyHint'] === 'boolean' ? { readOnly: annotations['readOnlyHint'] } : {}),
    ...(typeof annotations['idempotentHint'] === 'boolean' ? { idempotent: annotations['idempotentHint'] } : {}),
    ...(typeof annotations['destructiveHint'] === 'boolean' ? { destructive: annotations['destructiveHint'] } : {}),
  };
};

/**
 * This proxy's report: the snapshot version it enforces per tenant, and every upstream endpoint of
 * those snapshots with its health on this replica and the tools it listed last (when an agent
 * listed them here). Tenants and endpoints come from the snapshots, so nothing of a tenant that is
 * no longer served is reported.
 */
export const buildProxyReport = (inputs: ReportInputs): ProxyReport => {
  const now = inputs.now?.() ?? new Date();
  const lists = new Map(inputs.toolLists.map((l) => [`${l.tenantId}/${l.serverId}/${l.endpointId}`, l]));
  const snapshots: ProxyReport['snapshots'] = [];
  const endpoints: ReportedEndpoint[] = [];
  for (const tenantId of inputs.store.tenantIds()) {
    const tenant = inputs.store.current(tenantId);
    if (!tenant) continue;
    snapshots.push({ tenantId, version: tenant.snapshot.version, appliedAt: tenant.receivedAt.toISOString() });
    for (const upstream of tenant.snapshot.upstreams) {
      for (const endpoint of upstream.config.connection.endpoints) {
        const health = inputs.health.healthOf(upstream.id, endpoint.id);
        const listed = lists.get(`${tenantId}/${upstream.id}/${endpoint.id}`);
        const tools = listed?.tools.slice(0, MAX_TOOLS).map(reportedTool).filter((t) => t !== undefined);
        endpoints.push({
          tenantId,
          upstreamServerId: upstream.id,
          endpointId: endpoint.id,
          health: health.health,
          ...(health.lastError ? { lastError: health.lastError.slice(0, 500) } : {}),
          ...(tools && listed ? { tools, listedAt: new Date(listed.listedAt).toISOString() } : {}),
        });
      }
    }
  }
  return {
    schemaVersion: 1,
    proxyId: inputs.proxyId,
    region: inputs.region,
    startedAt: inputs.startedAt.toISOString(),
    reportedAt: now.toISOString(),
    intervalSeconds: inputs.intervalSeconds,
    snapshots,
    endpoints,
  };
};
