/**
 * The proxy under test (a benchmark child): `startProxy` with the benchmark's static config, its
 * signed snapshot delivered through the in-process snapshot feed, audit on the default in-memory
 * emitter. Everything the production proxy does per request is on: host checks, virtual-key auth,
 * sealed sessions, tool resolution, policy evaluation, limits, audit, metrics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProxyConfig, type SignedSnapshot } from '@mcpgate/contracts';
import { startProxy } from '../src/start.js';
import { announce, exitWithParent, readInput } from './child-io.js';

export interface ProxyChildInput {
  /** ProxyConfig input without `dataDir` (the child makes a temporary one). */
  readonly config: Record<string, unknown>;
  readonly tenantId: string;
  readonly signed: SignedSnapshot;
}

const input = await readInput<ProxyChildInput>();
const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-bench-proxy-'));
const proxy = await startProxy(ProxyConfig.parse({ ...input.config, dataDir }), {
  snapshotFeed: (deliver) => {
    deliver(input.tenantId, input.signed);
    return () => {};
  },
});
if (!proxy.store.current(input.tenantId)) {
  await proxy.close();
  throw new Error(`the proxy refused the benchmark snapshot: ${JSON.stringify(proxy.store.status().rejected)}`);
}
announce({ url: proxy.url });
exitWithParent(async () => {
  await proxy.close();
  rmSync(dataDir, { recursive: true, force: true });
});
