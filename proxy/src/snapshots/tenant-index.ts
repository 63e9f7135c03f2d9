import type { AuditSettings, PolicySnapshot, SnapshotVirtualServer, UpstreamServerConfig } from '@mcpgate/contracts';

/** Lookups over one immutable snapshot, built once per snapshot object (the hot path never scans lists). */
export interface TenantIndex {
  readonly upstreams: ReadonlyMap<string, UpstreamServerConfig>;
  readonly virtualServersByName: ReadonlyMap<string, SnapshotVirtualServer>;
  readonly virtualServersById: ReadonlyMap<string, SnapshotVirtualServer>;
  readonly policies: readonly { readonly name: string; readonly document: PolicySnapshot['policies'][number]['document'] }[];
  /** The strictest audit settings over all policies: the most capture any asks for, fail-closed if any is. */
  readonly audit: AuditSettings;
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
    index = {
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
