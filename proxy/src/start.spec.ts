import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyConfig, type SignedSnapshot } from '@mcpgate/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { ProxyListenError, startProxy } from './start.js';
import { pem, region, signed, signing, snapshot, TENANT } from './test/snapshots.js';

describe(startProxy.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-proxy-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = (port = 0) =>
    ProxyConfig.parse({
      region: 'eu-west-1',
      proxyId: 'test-proxy',
      listen: { host: '127.0.0.1', port },
      dataDir,
      trustedSigningKeys: { 'cp-1': pem(signing.publicKey, 'spki') },
      regionKey: { keyId: 'eu-west-1/1', privateKeyPem: pem(region.privateKey, 'pkcs8') },
    });

  it('serves snapshots from the in-process channel and reports them on /status and /metrics', async () => {
    let deliver: (tenantId: string, s: SignedSnapshot) => void = () => {};
    const sut = await startProxy(config(), { snapshotFeed: (d) => ((deliver = d), () => {}) });
    try {
      deliver(TENANT, signed(snapshot(7)));
      const tampered = signed(snapshot(8));
      tampered.payload = tampered.payload.replace('"acme"', '"evil"');
      deliver(TENANT, tampered);
      const status = (await (await fetch(`${sut.url}/status`)).json()) as { tenants: unknown[]; rejected: Record<string, number> };
      expect(status.tenants).toEqual([expect.objectContaining({ tenantSlug: 'acme', version: expect.objectContaining({ logPosition: '0:7' }), source: 'memory' })]);
      expect(status.rejected).toEqual({ 'snapshot.bad_signature': 1 });
      const metrics = await (await fetch(`${sut.url}/metrics`)).text();
      expect(metrics).toMatch(/mcpgate_snapshot_log_offset\{tenant="acme",region="eu-west-1"\} 7/);
      expect(metrics).toMatch(/mcpgate_snapshot_rejected_total\{reason="snapshot.bad_signature",region="eu-west-1"\} 1/);
      expect((await fetch(`${sut.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${sut.url}/nope`)).status).toBe(404);
    } finally {
      await sut.close();
    }
  });

  it('is not ready without any policy or source, and reports a taken port plainly', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mcpgate-proxy-empty-'));
    const sut = await startProxy({ ...config(), dataDir: empty });
    try {
      expect((await fetch(`${sut.url}/readyz`)).status).toBe(503);
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      await expect(startProxy({ ...config(port), dataDir: empty })).rejects.toBeInstanceOf(ProxyListenError);
      blocker.close();
    } finally {
      await sut.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
