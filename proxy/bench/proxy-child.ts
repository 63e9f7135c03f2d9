/**
 * The proxy under test (a benchmark child): `startProxy` with the benchmark's static config, its
 * signed snapshot delivered through the in-process snapshot feed. Everything the production proxy
 * does per request is on: host checks, virtual-key auth, sealed sessions, tool resolution, policy
 * evaluation, limits, audit, metrics. Audit goes where a regional proxy's goes: every event appended
 * to the durable spool (fsync'd segment files) before the call is answered; only the Kafka shipper
 * is left out, so the spool just grows (it has 1 GB, the default; a run writes a few hundred MB at
 * most). `audit: 'memory'` in the input (`BENCH_AUDIT=memory`) uses the in-memory emitter of a
 * proxy without Kafka instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyConfig, type SignedSnapshot } from '@mcpgate/contracts';
import { AuditSpool } from '../src/audit/spool/audit-spool.js';
import { auditSpoolOptions, startProxy } from '../src/start.js';
import { announce, exitWithParent, readInput } from './child-io.js';

export interface ProxyChildInput {
  /** ProxyConfig input without `dataDir` (the child makes a temporary one). */
  readonly config: Record<string, unknown>;
  readonly tenantId: string;
  readonly signed: SignedSnapshot;
  /** Where audit events go: the durable spool, as in a regional proxy, or memory. */
  readonly audit: 'spool' | 'memory';
}

const input = await readInput<ProxyChildInput>();
const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-bench-proxy-'));
// the production variable, for comparing where the spool's writes run (`adaptive` or `off-thread`)
const spoolWrites = process.env['MCPGATE_AUDIT_SPOOL_WRITES'];
const config = ProxyConfig.parse({
  ...input.config,
  dataDir,
  ...(spoolWrites ? { audit: { ...(input.config['audit'] as Record<string, unknown> | undefined), spoolWrites } } : {}),
});
const spool =
  input.audit === 'memory'
    ? undefined
    : await AuditSpool.open({
        ...auditSpoolOptions(config),
        log: (line) => process.stderr.write(`${JSON.stringify(line)}\n`),
      });
const proxy = await startProxy(config, {
  ...(spool ? { audit: spool } : {}),
  snapshotFeed: (deliver) => {
    deliver(input.tenantId, input.signed);
    return () => {};
  },
});
if (!proxy.store.current(input.tenantId)) {
  await proxy.close();
  await spool?.close();
  throw new Error(`the proxy refused the benchmark snapshot: ${JSON.stringify(proxy.store.status().rejected)}`);
}
announce({ url: proxy.url });
exitWithParent(async () => {
  await proxy.close();
  await spool?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
