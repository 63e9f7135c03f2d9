import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyConfig, type SignedSnapshot } from '@mcpgate/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditSpool } from './audit/spool/audit-spool.js';
import { testEvent } from './audit/spool/test/audit-events.js';
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

  it('shows the audit spool it is handed on /metrics: how long appends wait, and how many writes carried them', async () => {
    const spool = await AuditSpool.open({ dir: mkdtempSync(join(tmpdir(), 'mcpgate-proxy-spool-')), maxBytes: 4 * 1024 * 1024, segmentBytes: 1024 * 1024, log: () => {} });
    const sut = await startProxy(config(), { audit: spool, snapshotFeed: () => () => {} });
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => sut.audit.emit(testEvent(i))));
      await sut.audit.emit(testEvent(20));

      const metrics = await (await fetch(`${sut.url}/metrics`)).text();
      expect(metrics).toMatch(/mcpgate_audit_spool_append_seconds_count\{region="eu-west-1"\} 21\n/);
      expect(metrics).toMatch(/mcpgate_audit_spool_append_seconds_bucket\{le="1",region="eu-west-1"\} 21\n/);
      // group commit: the 20 concurrent emits shared one write (two if the first went out alone), the last had its own
      const writes = Number(/mcpgate_audit_spool_writes_total\{region="eu-west-1"\} (\d+)/.exec(metrics)?.[1]);
      expect(writes).toBeGreaterThanOrEqual(2);
      expect(writes).toBeLessThanOrEqual(3);
    } finally {
      await sut.close();
      await spool.close();
      rmSync(spool.dir, { recursive: true, force: true });
    }
  });

  it("shows the process's own metrics (memory, GC pauses, event-loop delay) on every proxy of the process", async () => {
    const first = await startProxy(config(), { snapshotFeed: () => () => {} });
    const second = await startProxy(config(), { snapshotFeed: () => () => {} });
    try {
      // garbage enough for a scavenge or two, which the GC histogram then shows by kind
      let kept = 0;
      for (let i = 0; i < 200_000; i++) kept += [{ i }].length;
      expect(kept).toBe(200_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const sut of [first, second]) {
        const metrics = await (await fetch(`${sut.url}/metrics`)).text();
        expect(metrics).toMatch(/^process_resident_memory_bytes\{region="eu-west-1"\} \d+/m);
        expect(metrics).toMatch(/^nodejs_eventloop_lag_p99_seconds\{region="eu-west-1"\} [\d.e+-]+$/m);
        expect(metrics).toMatch(/^nodejs_gc_duration_seconds_bucket\{le="0\.0005",(?=[^}]*kind="\w+")(?=[^}]*region="eu-west-1")[^}]*\} \d+$/m);
      }
    } finally {
      await first.close();
      await second.close();
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
