/** Health thresholds of one upstream server, from its configuration. */
export interface HealthPolicy {
  readonly unhealthyAfter: number;
  readonly healthyAfter: number;
  /** How long an open circuit refuses traffic before one trial request is let through. */
  readonly openMs: number;
}

interface EndpointState {
  failures: number;
  successes: number;
  state: 'closed' | 'open' | 'half-open';
  openedAt: number;
  lastError?: string;
}

/**
 * Passive health and circuit breaking per upstream endpoint, on this replica: consecutive failures
 * (connection refused, timeouts, 5xx) open the circuit; after `openMs` traffic is let through
 * again on trial (half-open): `healthyAfter` successes close it, one failure opens it again. Active checks feed the same
 * counters. Bounded: endpoints are few, but entries of endpoints gone from every snapshot age out.
 */
export class EndpointHealth {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(private readonly now: () => number = Date.now) {}

  private static key(serverId: string, endpointId: string): string {
    return `${serverId}/${endpointId}`;
  }

  private stateOf(serverId: string, endpointId: string): EndpointState {
    const key = EndpointHealth.key(serverId, endpointId);
    let state = this.endpoints.get(key);
    if (!state) {
      state = { failures: 0, successes: 0, state: 'closed', openedAt: 0 };
      this.endpoints.set(key, state);
      if (this.endpoints.size > 50_000) this.endpoints.delete(this.endpoints.keys().next().value!);
    }
    return state;
  }

  /** May traffic go to this endpoint now? An open circuit lets one trial through once `openMs` passed. */
  available(serverId: string, endpointId: string, policy: HealthPolicy): boolean {
    const state = this.endpoints.get(EndpointHealth.key(serverId, endpointId));
    if (!state || state.state === 'closed') return true;
    if (state.state === 'open' && this.now() - state.openedAt >= policy.openMs) {
      state.state = 'half-open';
      return true;
    }
    return state.state === 'half-open';
  }

  succeeded(serverId: string, endpointId: string, policy: HealthPolicy): void {
    const state = this.stateOf(serverId, endpointId);
    state.failures = 0;
    state.successes += 1;
    if (state.state !== 'closed' && state.successes >= policy.healthyAfter) {
      state.state = 'closed';
      delete state.lastError;
    }
  }

  failed(serverId: string, endpointId: string, policy: HealthPolicy, error: string): void {
    const state = this.stateOf(serverId, endpointId);
    state.successes = 0;
    state.failures += 1;
    state.lastError = error.slice(0, 300);
    if (state.state === 'half-open' || state.failures >= policy.unhealthyAfter) {
      state.state = 'open';
      state.openedAt = this.now();
    }
  }

  /** For /status and metrics: every endpoint that is not plainly healthy. */
  report(): { endpoint: string; state: string; failures: number; lastError?: string }[] {
    return [...this.endpoints.entries()]
      .filter(([, s]) => s.state !== 'closed' || s.failures > 0)
      .map(([endpoint, s]) => ({ endpoint, state: s.state, failures: s.failures, ...(s.lastError ? { lastError: s.lastError } : {}) }));
  }

  /** What this replica knows of one endpoint: unknown until a call or check touched it. */
  healthOf(serverId: string, endpointId: string): { health: 'healthy' | 'unhealthy' | 'unknown'; lastError?: string } {
    const state = this.endpoints.get(EndpointHealth.key(serverId, endpointId));
    if (!state) return { health: 'unknown' };
    if (state.state === 'closed') return { health: 'healthy' };
    return { health: 'unhealthy', ...(state.lastError ? { lastError: state.lastError } : {}) };
  }

  isOpen(serverId: string, endpointId: string): boolean {
    return this.endpoints.get(EndpointHealth.key(serverId, endpointId))?.state === 'open';
  }
}
