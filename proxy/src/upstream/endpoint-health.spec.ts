import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../snapshots/snapshot-store.js';
import { pem, region, signed, signing, snapshot, TENANT } from '../test/snapshots.js';
import { EndpointHealth } from './endpoint-health.js';
import { HealthChecker } from './health-checker.js';

const policy = { unhealthyAfter: 2, healthyAfter: 2, openMs: 1_000 };

describe(EndpointHealth.name, () => {
  it('opens after consecutive failures, lets traffic through on trial after openMs, closes after enough successes', () => {
    let now = 0;
    const sut = new EndpointHealth(() => now);
    expect(sut.available('s', 'a', policy)).toBe(true);
    sut.failed('s', 'a', policy, 'refused');
    expect(sut.available('s', 'a', policy)).toBe(true);
    sut.failed('s', 'a', policy, 'refused');
    expect(sut.available('s', 'a', policy)).toBe(false);
    expect(sut.report()).toEqual([{ endpoint: 's/a', state: 'open', failures: 2, lastError: 'refused' }]);
    now = 1_000;
    expect(sut.available('s', 'a', policy)).toBe(true);
    sut.failed('s', 'a', policy, 'still down');
    expect(sut.available('s', 'a', policy)).toBe(false);
    now = 2_000;
    expect(sut.available('s', 'a', policy)).toBe(true);
    sut.succeeded('s', 'a', policy);
    sut.succeeded('s', 'a', policy);
    expect(sut.report()).toEqual([]);
  });

  it('resets the failure count on a success, so only consecutive failures open the circuit', () => {
    const sut = new EndpointHealth(() => 0);
    sut.failed('s', 'a', policy, 'x');
    sut.succeeded('s', 'a', policy);
    sut.failed('s', 'a', policy, 'x');
    expect(sut.available('s', 'a', policy)).toBe(true);
  });
});

describe(HealthChecker.name, () => {
  let up: Server;
  let upUrl: string;
  let deadUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'mcpgate-health-'));
  beforeAll(async () => {
    // an MCP server without a session answers 400: alive
    up = createServer((_, res) => res.writeHead(400).end('{"error":"no session"}'));
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve));
    upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}/mcp`;
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/mcp`;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
  });
  afterAll(() => {
    up.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes the HTTP endpoints of every snapshot at their interval and opens the circuit of a dead one', async () => {
    const store = SnapshotStore.open({ dir, region: 'eu-west-1', trustedSigningKeys: new Map([['cp-1', pem(signing.publicKey, 'spki')]]), regionKey: { keyId: 'eu-west-1/1', privateKeyPem: pem(region.privateKey, 'pkcs8') } });
    const config = (url: string, name: string) => ({
      name,
      description: '',
      connection: { transport: 'streamable-http' as const, endpoints: [{ id: 'main', url, regions: [] }] },
      timeouts: { connectMs: 1_000, callMs: 1_000 },
      healthCheck: { intervalMs: 1_000, timeoutMs: 500, unhealthyAfter: 2, healthyAfter: 1 },
      regions: ['eu-west-1'],
      tags: [],
    });
    expect(store.offer(TENANT, signed(snapshot(5, { upstreams: [{ id: 'srv_up0000000001', config: config(upUrl, 'up') }, { id: 'srv_dead00000001', config: config(deadUrl, 'dead') }] })), 'memory')).toEqual({ accepted: true });
    let now = 0;
    const health = new EndpointHealth(() => now);
    const sut = new HealthChecker(store, health, 'eu-west-1', () => now);
    try {
      for (let round = 0; round < 4; round += 1) {
        sut.tick();
        now += 1_000;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health.report()).toEqual([expect.objectContaining({ endpoint: 'srv_dead00000001/main', state: 'open', lastError: expect.stringContaining('ECONNREFUSED') })]);
      expect(health.isOpen('srv_up0000000001', 'main')).toBe(false);
    } finally {
      await sut.close();
    }
  });
});
