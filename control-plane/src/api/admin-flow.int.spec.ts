/**
 * The admin story on production infrastructure: Kafka (event log and snapshot topic), PostgreSQL
 * (read models), a real OIDC provider shaped like Okta and like Entra ID. Checks the events that
 * land on Kafka and the signed snapshots the proxies would receive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, SignedSnapshot } from '@mcpgate/contracts';
import { startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCommit } from '../core/commit-codec.js';
import type { LogRecord } from '../event-log/event-log.port.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';
import { verifySignedSnapshot } from '../infra/crypto/snapshot-signer.js';
import { DEFAULT_SNAPSHOT_TOPIC } from '../snapshot/kafka-snapshot-publisher.js';
import { startControlPlane, type RunningControlPlane } from '../start.js';
import { browser } from './test/browser.js';
import { TestIdp } from './test/test-idp.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('admin flow on Kafka and PostgreSQL with OIDC login', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  let okta: TestIdp;
  let entra: TestIdp;
  let sut: RunningControlPlane;
  const events: LogRecord[] = [];
  const snapshots: LogRecord[] = [];
  const readers: KafkaEventLog[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-admin-int-'));

  const gql = async (cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
    (await (await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as Answer;
  const ok = (answer: Answer, field: string) => {
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data![field] as Record<string, string>;
  };

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startKafka(), startPostgres()]);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    okta = await TestIdp.start('okta-client', 'okta-secret', () => `${base}/auth/oidc/okta/callback`, () => `${base}/`);
    entra = await TestIdp.start('entra-client', 'entra-secret', () => `${base}/auth/oidc/entra/callback`, () => `${base}/`);
    const providers = [
      { id: 'okta', preset: 'okta', issuer: okta.issuer, clientId: 'okta-client', clientSecret: 'okta-secret', scopes: ['openid', 'profile', 'groups'], platformAdminGroups: ['platform-admins'] },
      { id: 'entra', preset: 'entra', issuer: entra.issuer, clientId: 'entra-client', clientSecret: 'entra-secret', scopes: ['openid', 'profile', 'groups'] },
    ];
    sut = await startControlPlane(
      controlPlaneConfigFromEnv({
        MCPGATE_DATA_DIR: dataDir,
        MCPGATE_API_PORT: String(port),
        MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','),
        DATABASE_URL: await postgres.createDatabase('admin_flow'),
        MCPGATE_OIDC_PROVIDERS: JSON.stringify(providers),
      }),
    );
    for (const [topic, sink] of [['mcpgate.control.events', events], [DEFAULT_SNAPSHOT_TOPIC, snapshots]] as const) {
      const reader = await KafkaEventLog.open({ brokers: kafka.brokers, topic, clientId: 'test-reader' });
      readers.push(reader);
      await reader.subscribe(new Map(), async (record) => void sink.push(record));
    }
  });
  afterAll(async () => {
    await Promise.allSettled(readers.map((r) => r.close()));
    await sut?.close();
    await Promise.allSettled([okta?.stop(), entra?.stop(), kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets an Okta platform admin run the whole admin flow; the events land on Kafka and a signed snapshot follows', async () => {
    okta.nextUser = { sub: '00uadmin', claims: { name: 'Ada', groups: ['platform-admins'] } };
    const ada = browser();
    await ada.visit(`${sut.url}/auth/oidc/okta/login`);
    const admin = ada.cookie();

    const tenant = ok(await gql(admin, 'mutation { createTenant(input: { slug: "initech", displayName: "Initech", regions: ["eu-west-1"] }) { id } }'), 'createTenant');
    const t = tenant['id']!;
    const server = ok(
      await gql(admin, 'mutation($t: ID!, $c: JSONObject!) { registerUpstreamServer(tenantId: $t, config: $c) { id } }', {
        t,
        c: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: 'https://gh.example/mcp' }] } },
      }),
      'registerUpstreamServer',
    );
    const bundle = ok(await gql(admin, 'mutation($t: ID!, $c: JSONObject!) { createVirtualServer(tenantId: $t, config: $c) { id } }', { t, c: { name: 'dev', upstreams: [{ serverId: server['id'] }] } }), 'createVirtualServer');
    const key = ok(await gql(admin, 'mutation($i: IssueVirtualKeyInput!) { issueVirtualKey(input: $i) { keyId secret } }', { i: { tenantId: t, name: 'ci', scopes: { virtualServerIds: [bundle['id']] } } }), 'issueVirtualKey');
    ok(await gql(admin, 'mutation($t: ID!, $d: JSONObject!) { createPolicy(tenantId: $t, name: "default", document: $d) { id } }', { t, d: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'] }] } }), 'createPolicy');
    ok(await gql(admin, 'mutation($t: ID!, $k: ID!) { revokeVirtualKey(tenantId: $t, keyId: $k, reason: "test over") { version } }', { t, k: key['keyId'] }), 'revokeVirtualKey');

    const types = await waitUntil('six commits of the tenant on the Kafka event log', () => {
      const mine = events.map((r) => decodeCommit(r.value)).flatMap((d) => (d.ok && d.commit.tenantId === t ? d.commit.events : []));
      return mine.length >= 6 ? mine : undefined;
    });
    expect(types.map((e) => e.type)).toEqual(['TenantCreated', 'UpstreamServerRegistered', 'VirtualServerCreated', 'VirtualKeyIssued', 'PolicyCreated', 'VirtualKeyRevoked']);
    expect(types.every((e) => e.metadata.actor.kind === 'user' && e.metadata.actor.subject === '00uadmin')).toBe(true);
    expect(JSON.stringify(events.map((r) => r.value.toString()))).not.toContain(key['secret']);

    const latest = await waitUntil('a snapshot without the revoked key and with the policy', () => {
      const mine = snapshots.filter((r) => r.key === t).map((r) => SignedSnapshot.parse(JSON.parse(r.value.toString())));
      const last = mine.at(-1);
      const parsed = last && JSON.parse(last.payload);
      return parsed && parsed.keys.length === 0 && parsed.policies.length === 1 ? last : undefined;
    });
    expect(verifySignedSnapshot(latest, sut.trustedSigningKeys)).toMatchObject({ ok: true, snapshot: { tenantSlug: 'initech', upstreams: [{ config: { name: 'github' } }] } });
  });

  it('maps Entra ID groups to roles in a tenant and keeps that user out of every other tenant', async () => {
    okta.nextUser = { sub: '00uadmin', claims: { groups: ['platform-admins'] } };
    const ada = browser();
    await ada.visit(`${sut.url}/auth/oidc/okta/login`);
    const other = ok(await gql(ada.cookie(), 'mutation { createTenant(input: { slug: "umbrella", displayName: "Umbrella", regions: ["eu-west-1"] }) { id } }'), 'createTenant');
    const initech = ((await gql(ada.cookie(), '{ tenants { nodes { id slug } } }')).data!['tenants'] as { nodes: { id: string; slug: string }[] }).nodes.find((x) => x.slug === 'initech')!;
    ok(
      await gql(ada.cookie(), 'mutation($t: ID!, $s: JSONObject!) { createRoleBinding(tenantId: $t, subject: $s, role: "security-admin") { id } }', {
        t: initech.id,
        s: { kind: 'group', idpId: 'entra', group: '0f1e2d3c-0000-4000-8000-00000000beef' },
      }),
      'createRoleBinding',
    );
    entra.nextUser = { sub: 'AAAAeve', claims: { name: 'Eve', groups: ['0f1e2d3c-0000-4000-8000-00000000beef'] } };
    const eve = browser();
    await eve.visit(`${sut.url}/auth/oidc/entra/login`);
    expect((await gql(eve.cookie(), '{ tenants { nodes { slug } } }')).data).toEqual({ tenants: { nodes: [{ slug: 'initech' }] } });
    const policies = await gql(eve.cookie(), 'query($t: ID!) { policies(tenantId: $t) { nodes { name } } }', { t: initech.id });
    expect(policies.data).toEqual({ policies: { nodes: [{ name: 'default' }] } });
    const foreign = await gql(eve.cookie(), 'query($t: ID!) { policies(tenantId: $t) { nodes { name } } }', { t: other['id'] });
    expect(foreign.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const notHers = await gql(eve.cookie(), 'mutation($t: ID!) { createServiceAccount(tenantId: $t, name: "x", permissions: ["server:read"]) { id } }', { t: initech.id });
    expect(notHers.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('answers bad input with typed errors over the same stack', async () => {
    okta.nextUser = { sub: '00uadmin', claims: { groups: ['platform-admins'] } };
    const ada = browser();
    await ada.visit(`${sut.url}/auth/oidc/okta/login`);
    expect((await gql(ada.cookie(), '{ tenants { id ')).errors?.[0]?.extensions?.['code']).toBe('VALIDATION');
    const unknown = await gql(ada.cookie(), 'mutation { revokeVirtualKey(tenantId: "ten_000000000000000000000000", keyId: "vk_00000000000", reason: "x") { version } }');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
