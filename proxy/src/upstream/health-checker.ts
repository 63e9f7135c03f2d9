import { Agent, request } from 'undici';
import type { SnapshotStore } from '../snapshots/snapshot-store.js';
import type { EndpointHealth } from './endpoint-health.js';

interface Probe {
  readonly serverId: string;
  readonly endpointId: string;
  readonly url: string;
  readonly transport: 'sse' | 'streamable-http';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly policy: { unhealthyAfter: number; healthyAfter: number; openMs: number };
}

/**
 * Active health checks of HTTP upstream endpoints, at each server's configured interval: a
 * session-less `ping` POST (Streamable HTTP) or a GET of the stream (legacy SSE). Any answer below
 * 500 means the server is up (a 400 "no session" or a 401 proves it runs); refused connections,
 * timeouts and 5xx count as failures. Results feed the same circuit as real traffic, so a dead
 * endpoint is known before an agent hits it, and a recovered one is used again. No credentials are
 * sent: a probe never carries a tenant's secret. stdio children are checked by their supervisor.
 */
export class HealthChecker {
  private readonly agent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });
  private readonly due = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private inFlight = 0;

  constructor(
    private readonly store: SnapshotStore,
    private readonly health: EndpointHealth,
    private readonly region: string,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.tick(), 1_000);
    this.timer.unref();
  }

  /** The HTTP endpoints this region may use, once each, from every tenant's snapshot. */
  private probes(): Map<string, Probe> {
    const probes = new Map<string, Probe>();
    for (const tenantId of this.store.tenantIds()) {
      for (const { id, config } of this.store.current(tenantId)?.snapshot.upstreams ?? []) {
        if (config.connection.transport === 'stdio' || !config.regions.includes(this.region)) continue;
        for (const endpoint of config.connection.endpoints) {
          if (endpoint.regions.length && !endpoint.regions.includes(this.region)) continue;
          probes.set(`${id}/${endpoint.id}`, {
            serverId: id,
            endpointId: endpoint.id,
            url: endpoint.url,
            transport: config.connection.transport,
            intervalMs: config.healthCheck.intervalMs,
            timeoutMs: config.healthCheck.timeoutMs,
            policy: { unhealthyAfter: config.healthCheck.unhealthyAfter, healthyAfter: config.healthCheck.healthyAfter, openMs: config.healthCheck.intervalMs },
          });
        }
      }
    }
    return probes;
  }

  /** Runs the checks that are due (at most 16 at once); exposed for tests. */
  tick(): void {
    const now = this.now();
    const probes = this.probes();
    for (const key of this.due.keys()) if (!probes.has(key)) this.due.delete(key);
    for (const [key, probe] of probes) {
      if (this.inFlight >= 16) return;
      const due = this.due.get(key);
      if (due === undefined) {
        // first sight: spread the first checks over the interval instead of all at once
        this.due.set(key, now + Math.floor(Math.random() * probe.intervalMs));
        continue;
      }
      if (due > now) continue;
      this.due.set(key, now + probe.intervalMs);
      this.inFlight += 1;
      void this.check(probe).finally(() => (this.inFlight -= 1));
    }
  }

  private async check(probe: Probe): Promise<void> {
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), probe.timeoutMs);
    try {
      const response = await request(probe.url, {
        method: probe.transport === 'sse' ? 'GET' : 'POST',
        dispatcher: this.agent,
        headers:
          probe.transport === 'sse'
            ? { accept: 'text/event-stream' }
            : { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
        ...(probe.transport === 'sse' ? {} : { body: JSON.stringify({ jsonrpc: '2.0', id: 'mcpgate-health', method: 'ping' }) }),
        signal: abort.signal,
        headersTimeout: probe.timeoutMs,
      });
      // the headers are the answer; an SSE stream is not read on
      response.body.on('error', () => {});
      response.body.destroy();
      if (response.statusCode >= 500) this.health.failed(probe.serverId, probe.endpointId, probe.policy, `health check: HTTP ${response.statusCode}`);
      else this.health.succeeded(probe.serverId, probe.endpointId, probe.policy);
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      this.health.failed(probe.serverId, probe.endpointId, probe.policy, `health check: ${abort.signal.aborted ? `no answer within ${probe.timeoutMs} ms` : (code ?? 'unreachable')}`);
    } finally {
      clearTimeout(timeout);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.agent.destroy();
  }
}
