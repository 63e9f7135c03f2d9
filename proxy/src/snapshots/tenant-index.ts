import { toolCallCost, type AuditSettings, type PolicySnapshot, type SnapshotVirtualServer, type UpstreamServerConfig } from '@mcpgate/contracts';

/** Lookups over one immutable snapshot, built once per snapshot object (the hot path never scans lists). */
export interface TenantIndex {
  readonly upstreams: ReadonlyMap<string, UpstreamServerConfig>;
  readonly virtualServersByName: ReadonlyMap<string, SnapshotVirtualServer>;
  readonly virtualServersById: ReadonlyMap<string, SnapshotVirtualServer>;
  readonly policies: readonly { readonly name: string; readonly document: PolicySnapshot['policies'][number]['document'] }[];
  /** The strictest audit settings over all policies: the most capture any asks for, fail-closed if any is. */
  readonly audit: AuditSettings;
  /** What one call to a tool (the name the agent calls) costs under the policies' `toolCosts`; 0 when unpriced. */
  costOf(tool: string): number;
}

const indexes = new WeakMap<PolicySnapshot, TenantIndex>();
const CAPTURE_ORDER = ['none', 'hash', 'full'] as const;

export const tenantIndexOf = (snapshot: PolicySnapshot): TenantIndex => {
  let index = indexes.get(snapshot);
  if (!index) {
    const policies = snapshot.policies.map((p) => ({ name: p.name, document: p.document }));
    let capture = 0;
    let failure: AuditSettings['onAuditFailure'] = policies.length ? 'open' : 'closed';
    for (const { document } of policies) {
      capture = Math.max(capture, CAPTURE_ORDER.indexOf(document.audit.argumentCapture));
      if (document.audit.onAuditFailure === 'closed') failure = 'closed';
    }
    const costs = new Map<string, number>();
    const priced = policies.some((p) => p.document.toolCosts.length > 0);
    index = {
      costOf: (tool) => {
        if (!priced) return 0;
        let cost = costs.get(tool);
        if (cost === undefined) {
          cost = toolCallCost(policies, tool);
          // bounded: tool names come from agents; beyond this many, compute each time
          if (costs.size < 10_000) costs.set(tool, cost);
        }
        return cost;
      },
      upstreams: new Map(snapshot.upstreams.map((u) => [u.id, u.config])),
      virtualServersByName: new Map(snapshot.virtualServers.map((v) => [v.name, v])),
      virtualServersById: new Map(snapshot.virtualServers.map((v) => [v.id, v])),
      policies,
      audit: { argumentCapture: policies.length ? CAPTURE_ORDER[capture]! : 'hash', onAuditFailure: failure },
    };
    indexes.set(snapshot, index);
  }
  return index;
};
