import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, type SignedSnapshot } from '@mcpgate/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from './core/ids.js';
import { verifySignedSnapshot } from './infra/crypto/snapshot-signer.js';
import { InMemorySnapshotPublisher } from './snapshot/in-memory-snapshot-publisher.js';
import { ListenError, startControlPlane } from './start.js';

const actor = { kind: 'system', component: 'test' } as const;

describe(startControlPlane.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-start-'));
  const config = controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the event-sourced core embedded: commands land, read models and signed snapshots follow, and all of it survives a restart', async () => {
    const channel = new InMemorySnapshotPublisher();
    const received: SignedSnapshot[] = [];
    channel.subscribe((_, signed) => received.push(signed));
    const first = await startControlPlane(config, { snapshotPublisher: channel });
    const tenantId = tenantIdForSlug('acme');
    try {
      expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', eventLog: 'file', database: 'pglite' });
      await first.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } }, { actor });
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const verified = verifySignedSnapshot(received[0]!, first.trustedSigningKeys);
      expect(verified).toMatchObject({ ok: true, snapshot: { tenantId, tenantSlug: 'acme' } });
      expect(statSync(join(dataDir, 'keys', 'signing.json')).mode & 0o777).toBe(0o600);
    } finally {
      await first.close();
    }

    const second = await startControlPlane(config);
    try {
      const result = await second.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } }, { actor });
      expect(result).toMatchObject({ version: 1, createdId: tenantId });
      expect(result).not.toHaveProperty('position');
      const deadline = Date.now() + 10_000;
      while ((await second.database.prisma.tenant.count()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await second.database.prisma.tenant.findUnique({ where: { id: tenantId } })).toMatchObject({ slug: 'acme' });
      expect([...second.trustedSigningKeys.keys()]).toEqual([...(await Promise.resolve(first.trustedSigningKeys)).keys()]);
    } finally {
      await second.close();
    }
  });

  it('reports a taken port as a ListenError and leaves nothing open behind it', async () => {
    const running = await startControlPlane(config);
    try {
      const port = Number(new URL(running.url).port);
      await expect(startControlPlane({ ...config, api: { ...config.api, port } })).rejects.toBeInstanceOf(ListenError);
    } finally {
      await running.close();
    }
  });
});
