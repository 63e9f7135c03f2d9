import { randomUUID, randomUUIDv7 } from 'node:crypto';
import { ControlEvent, type CommitRecord } from '@mcpgate/contracts';
import type { EventLog } from '../src/event-log/event-log.port.js';
import { encodeCommit } from '../src/core/commit-codec.js';

const actor = { kind: 'system', component: 'bench' } as const;
const pad = (n: number) => String(n).padStart(12, '0');

/**
 * Yields a realistic control-plane history, one commit per event, spread over `tenants` tenants:
 * each tenant gets servers, virtual servers and policies, then keys are issued, rotated and revoked
 * and policies updated until `total` events exist. Versions are consistent, so every commit applies.
 */
export function* generateCommits(total: number, tenants = 100): Generator<{ tenantId: string; commit: CommitRecord }> {
  const versions = new Map<string, number>();
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  let produced = 0;
  const commit = (tenantId: string, streamId: string, type: string, data: Record<string, unknown>) => {
    const expectedVersion = versions.get(streamId) ?? 0;
    versions.set(streamId, expectedVersion + 1);
    produced += 1;
    // a change a second, with time-ordered event ids, as the command path writes them
    const time = new Date(start + produced * 1000).toISOString();
    return {
      tenantId,
      commit: {
        commitId: randomUUID(),
        tenantId,
        streamId,
        expectedVersion,
        // as the command path writes it: commands are parsed by their schemas, so every default is
        // filled in (command-bus.spec.ts checks that written events are what their schema returns)
        events: [
          ControlEvent.parse({
            type,
            data,
            metadata: { eventId: randomUUIDv7(), tenantId, streamId, streamVersion: expectedVersion + 1, expectedVersion, actor, correlationId: 'bench', time },
          }),
        ],
      },
    };
  };
  const tenantIds = Array.from({ length: tenants }, (_, t) => `ten_bench${pad(t)}`);
  for (const [t, tenantId] of tenantIds.entries()) {
    yield commit(tenantId, `tenant-${tenantId}`, 'TenantCreated', { tenantId, slug: `bench-${t}`, displayName: `Bench ${t}`, regions: ['eu-west-1'] });
    for (let s = 0; s < 5; s++) {
      const serverId = `srv_b${t}x${pad(s)}`;
      yield commit(tenantId, `upstream-server-${serverId}`, 'UpstreamServerRegistered', {
        serverId,
        config: { name: `server-${s}`, regions: ['eu-west-1'], connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: `https://s${s}.example/mcp` }] } },
      });
    }
    const virtualServerId = `vsr_b${t}x${pad(0)}`;
    yield commit(tenantId, `virtual-server-${virtualServerId}`, 'VirtualServerCreated', {
      virtualServerId,
      config: { name: 'all', upstreams: Array.from({ length: 5 }, (_, s) => ({ serverId: `srv_b${t}x${pad(s)}` })) },
    });
    yield commit(tenantId, `policy-pol_b${t}x${pad(0)}`, 'PolicyCreated', { policyId: `pol_b${t}x${pad(0)}`, name: 'default', document: {} });
  }
  for (let k = 0; produced < total; k++) {
    const t = k % tenants;
    const tenantId = tenantIds[t]!;
    const keyId = `vk_b${t}x${pad(k)}`;
    const stream = `virtual-key-${keyId}`;
    const hash = (n: number) => (n % 16).toString(16).repeat(64);
    yield commit(tenantId, stream, 'VirtualKeyIssued', {
      keyId,
      name: `key ${k}`,
      keyPrefix: 'mcpg_Benchkey',
      secretHash: hash(k),
      scopes: { virtualServerIds: [`vsr_b${t}x${pad(0)}`] },
      issuedBy: actor,
    });
    if (produced < total) yield commit(tenantId, stream, 'VirtualKeyRotated', { keyPrefix: 'mcpg_Benchkez', secretHash: hash(k + 1) });
    if (produced < total && k % 3 === 0) yield commit(tenantId, stream, 'VirtualKeyRevoked', { reason: 'rotation policy' });
    if (produced < total && k % 10 === 0) {
      yield commit(tenantId, `policy-pol_b${t}x${pad(0)}`, 'PolicyUpdated', {
        document: { toolRules: [{ id: `r${k}`, effect: 'deny', subjects: { roles: ['developer'] }, tools: [`*delete*${k}`] }] },
      });
    }
  }
}

/** Writes the generated history with bounded concurrency (group commit batches the fsyncs). */
export const fillLog = async (log: EventLog, total: number, onProgress?: (written: number) => void): Promise<number> => {
  let written = 0;
  let batch: Promise<unknown>[] = [];
  for (const { tenantId, commit } of generateCommits(total)) {
    batch.push(log.append(tenantId, encodeCommit(commit)));
    if (batch.length === 2_000) {
      await Promise.all(batch);
      written += batch.length;
      batch = [];
      onProgress?.(written);
    }
  }
  await Promise.all(batch);
  written += batch.length;
  onProgress?.(written);
  return written;
};
