/**
 * Control plane → Kafka → proxy: the snapshots the control plane signs and seals are the ones a
 * regional proxy verifies and opens, and a proxy keeps serving from disk when Kafka is gone.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { KafkaSnapshotSource, SnapshotStore } from '@mcpgate/proxy';
import { startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('policy snapshots from the control plane to a regional proxy', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let controlPlane: RunningControlPlane;
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-e2e-cp-'));
  const proxyDir = mkdtempSync(join(tmpdir(), 'mcpgate-e2e-proxy-'));
  const sources: KafkaSnapshotSource[] = [];
  let tenantId = '';

  const proxyStore = () => {
    const regionKey = JSON.parse(readFileSync(join(dataDir, 'keys', 'regions', 'eu-west-1.json'), 'utf8')) as { keyId: string; privateKeyPem: string };
    return SnapshotStore.open({ dir: proxyDir, region: 'eu-west-1', trustedSigningKeys: controlPlane.trustedSigningKeys, regionKey });
  };

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startKafka(), startPostgres()]);
    controlPlane = await startControlPlane(
      controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: await postgres.createDatabase('e2e') }),
    );
  });
  afterAll(async () => {
    await Promise.allSettled(sources.map((s) => s.stop()));
    await controlPlane?.close();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(proxyDir, { recursive: true, force: true });
  });

  it('delivers a signed snapshot whose vaulted credential the region opens in memory, while the record carries it only sealed', async () => {
    const login = await fetch(`${controlPlane.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const gql = async (query: string, variables: Record<string, unknown> = {}) =>
      ((await (await fetch(`${controlPlane.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as { data: Record<string, { id: string }> }).data;
    tenantId = (await gql('mutation { createTenant(input: { slug: "hooli", displayName: "Hooli", regions: ["eu-west-1"] }) { id } }'))['createTenant']!.id;
    await gql('mutation($t: ID!) { storeCredential(tenantId: $t, name: "github-token", secret: "ghp_e2e-secret-value") { id } }', { t: tenantId });

    // the development key store creates a region's key when it first seals for it
    await waitUntil('the region key', () => existsSync(join(dataDir, 'keys', 'regions', 'eu-west-1.json')));
    const store = proxyStore();
    const source = new KafkaSnapshotSource(store, { brokers: kafka.brokers, clientId: 'proxy-eu-1' });
    sources.push(source);
    source.start();
    const served = await waitUntil('the proxy to serve the tenant with its credential', () => {
      const current = store.current(tenantId);
      return current && current.secrets.size === 1 ? current : undefined;
    });
    expect([...served.secrets.values()]).toEqual(['ghp_e2e-secret-value']);
    expect(served.snapshot).toMatchObject({ tenantSlug: 'hooli', status: 'active' });
    expect(JSON.stringify(served.signed)).not.toContain('ghp_e2e-secret-value');
    expect(store.status().rejected).toEqual({});
  });

  it('keeps serving the last good snapshot from disk when Kafka is gone', async () => {
    await Promise.all(sources.map((s) => s.stop()));
    await kafka.stop();
    const restarted = proxyStore();
    const source = new KafkaSnapshotSource(restarted, { brokers: kafka.brokers, retryMs: 200, log: () => {} });
    sources.push(source);
    source.start();
    expect(restarted.current(tenantId)).toMatchObject({ source: 'disk', snapshot: { tenantSlug: 'hooli' } });
    expect(restarted.current(tenantId)?.secrets.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(source.connected).toBe(false);
  });
});
