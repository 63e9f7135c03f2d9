/**
 * Rollout status and live tool catalogues: a real proxy on Kafka reports what it enforces and
 * what its upstreams listed; the control plane (Kafka and PostgreSQL) answers, over GraphQL, where
 * a tenant's latest policy is enforced, and with which tools and health an upstream server runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, ProxyConfig } from '@mcpgate/contracts';
import { startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { startProxy, type RunningProxy } from '@mcpgate/proxy';
import { startConformanceFixture, startKafka, startPostgres, waitUntil, type StartedConformanceFixture, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent } from '../src/proxy-harness.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface Rollout {
  latest: { logPosition: string; contentHash: string } | null;
  enforcedEverywhere: boolean;
  regions: { region: string; enforced: boolean; proxies: { proxyId: string; current: boolean; stale: boolean; version: { contentHash: string } | null }[] }[];
}

const ROLLOUT = 'query($t: ID!) { rollout(tenantId: $t) { latest { logPosition contentHash } enforcedEverywhere regions { region enforced proxies { proxyId current stale version { contentHash } } } } }';

describe('rollout status and live catalogues from proxy reports', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let fixture: StartedConformanceFixture;
  let controlPlane: RunningControlPlane;
  let proxy: RunningProxy | undefined;
  let cookie = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-rollout-cp-'));
  const proxyDir = mkdtempSync(join(tmpdir(), 'mcpgate-rollout-proxy-'));

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
    (await (await fetch(`${controlPlane.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as Answer;
  const ok = (answer: Answer, field: string) => {
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data![field] as Record<string, unknown>;
  };

  beforeAll(async () => {
    [kafka, postgres, fixture] = await Promise.all([startKafka(), startPostgres(), startConformanceFixture()]);
    controlPlane = await startControlPlane(
      controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: await postgres.createDatabase('rollout') }),
    );
    const login = await fetch(`${controlPlane.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    await proxy?.close();
    await controlPlane?.close();
    await fixture?.close();
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(proxyDir, { recursive: true, force: true });
  });

  it('shows which proxy enforces the latest snapshot, before and after a policy change, and the tools and health the proxy saw upstream', async () => {
    const t = ok(await gql('mutation { createTenant(input: { slug: "umbrella", displayName: "Umbrella", regions: ["eu-west-1"] }) { id } }'), 'createTenant')['id'] as string;
    const server = ok(
      await gql('mutation($t: ID!, $c: JSONObject!) { registerUpstreamServer(tenantId: $t, config: $c) { id } }', {
        t,
        c: { name: 'fixture', regions: ['eu-west-1'], connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] } },
      }),
      'registerUpstreamServer',
    )['id'] as string;
    const vs = ok(await gql('mutation($t: ID!, $c: JSONObject!) { createVirtualServer(tenantId: $t, config: $c) { id } }', { t, c: { name: 'tools', upstreams: [{ serverId: server }] } }), 'createVirtualServer')['id'] as string;
    const key = ok(await gql('mutation($i: IssueVirtualKeyInput!) { issueVirtualKey(input: $i) { keyId secret } }', { i: { tenantId: t, name: 'agent', scopes: { virtualServerIds: [vs] } } }), 'issueVirtualKey');

    // nothing reports yet: published, enforced nowhere
    const before = ok(await gql(ROLLOUT, { t }), 'rollout') as unknown as Rollout;
    expect(before).toMatchObject({ enforcedEverywhere: false, regions: [] });

    proxy = await startProxy(
      ProxyConfig.parse({
        region: 'eu-west-1',
        proxyId: 'proxy-eu-1',
        listen: { host: '127.0.0.1', port: 0 },
        dataDir: proxyDir,
        kafkaBrokers: kafka.brokers,
        trustedSigningKeys: Object.fromEntries(controlPlane.trustedSigningKeys),
        regionKey: controlPlane.developmentRegionKey('eu-west-1'),
        reportIntervalSeconds: 1,
      }),
    );
    const enforced = await waitUntil('the proxy to report the latest snapshot', async () => {
      const rollout = ok(await gql(ROLLOUT, { t }), 'rollout') as unknown as Rollout;
      return rollout.enforcedEverywhere ? rollout : undefined;
    }, { timeoutMs: 60_000 });
    expect(enforced.regions).toEqual([{ region: 'eu-west-1', enforced: true, proxies: [{ proxyId: 'proxy-eu-1', current: true, stale: false, version: { contentHash: enforced.latest!.contentHash } }] }]);

    // an agent lists tools through the proxy: the catalogue the proxy saw becomes the server's live catalogue
    const agent = await connectAgent(`${proxy.url}/mcp`, key['secret'] as string);
    const listed = (await agent.listTools()).tools.map((tool) => tool.name);
    await agent.close();
    const status = await waitUntil('the live catalogue', async () => {
      const answer = ok(await gql('query($t: ID!, $s: ID!) { upstreamServerStatus(tenantId: $t, upstreamServerId: $s) { tools { name } endpoints { proxyId region endpointId health tools { name } } } }', { t, s: server }), 'upstreamServerStatus') as {
        tools: { name: string }[];
        endpoints: { proxyId: string; region: string; endpointId: string; health: string; tools: { name: string }[] | null }[];
      };
      return answer.tools.length ? answer : undefined;
    }, { timeoutMs: 30_000 });
    expect(status.tools.map((tool) => tool.name).sort()).toEqual([...listed].sort());
    expect(status.endpoints).toEqual([{ proxyId: 'proxy-eu-1', region: 'eu-west-1', endpointId: 'main', health: 'healthy', tools: expect.any(Array) }]);

    // a policy change publishes a new snapshot; the proxy reports it within seconds
    ok(await gql('mutation($t: ID!, $d: JSONObject!) { createPolicy(tenantId: $t, name: "no-deletes", document: $d) { id } }', { t, d: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'] }] } }), 'createPolicy');
    const changed = await waitUntil('the new snapshot enforced', async () => {
      const rollout = ok(await gql(ROLLOUT, { t }), 'rollout') as unknown as Rollout;
      return rollout.latest?.contentHash !== enforced.latest?.contentHash && rollout.enforcedEverywhere ? rollout : undefined;
    }, { timeoutMs: 30_000 });
    expect(changed.regions[0]!.proxies[0]!.version!.contentHash).toBe(changed.latest!.contentHash);

  });
});
