import { AGGREGATE_OF_EVENT, type ControlEvent } from '@mcpgate/contracts';
import { TenantModel, type TenantView } from '../domain/tenant-model.js';
import { redact } from './read-model.projection.js';

/** An aggregate's state before and after one event, as the activity history stores it (secrets redacted). */
export interface StateChange {
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
}

const stateOf = (model: TenantView, event: ControlEvent): unknown => {
  const aggregate = AGGREGATE_OF_EVENT[event.type];
  const id = event.metadata.streamId.slice(aggregate.length + 1);
  switch (aggregate) {
    case 'tenant':
      return model.tenant;
    case 'role':
      return model.roles.get(id);
    case 'role-binding':
      return model.bindings.get(id);
    case 'upstream-server':
      return model.servers.get(id);
    case 'virtual-server':
      return model.virtualServers.get(id);
    case 'virtual-key':
      return model.keys.get(id);
    case 'policy':
      return model.policies.get(id);
    case 'credential':
      return model.credentials.get(id);
    case 'service-account':
      return model.serviceAccounts.get(id);
    case 'identity-provider':
      return model.identityProviders.get(id);
    case 'audit-exporter':
      return model.auditExporters.get(id);
    default:
      throw new Error(`no state lookup for aggregate ${aggregate}`);
  }
};

/** Maps become objects (their values redacted like any other field), absent states become null. */
const plain = (value: unknown): unknown => {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
};

const snapshot = (state: unknown): Record<string, unknown> | null => {
  if (state === undefined || (state as { status?: string }).status === 'absent') return null;
  return redact(plain(state)) as Record<string, unknown>;
};

/**
 * Follows every applied event with the same `TenantModel` the deciders use, so the activity
 * history can show each aggregate as it was before and after a change. It must see every applied
 * event in log order, including those below a projector's checkpoint.
 */
export class StreamStates {
  private readonly tenants = new Map<string, TenantModel>();

  /** Applies `event` and answers the state of its stream on either side of it. */
  apply(event: ControlEvent): StateChange {
    const tenantId = event.metadata.tenantId;
    const model = this.tenants.get(tenantId) ?? new TenantModel(tenantId);
    this.tenants.set(tenantId, model);
    const before = snapshot(stateOf(model, event));
    model.apply(event);
    return { before, after: snapshot(stateOf(model, event)) };
  }
}
