/** Live feeds over WebSocket (graphql-ws), authorised like every other operation. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { waitUntil } from '@mcpgate/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantIdForSlug } from '../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../start.js';

describe('GraphQL subscriptions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-live-'));
  let sut: RunningControlPlane;
  let cookie: string;
  const clients: Client[] = [];
  const tenantId = tenantIdForSlug('live');
  const actor = { kind: 'system', component: 'test' } as const;

  const connect = (headers: Record<string, string>) => {
    const client = createClient({
      url: `${sut.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  /** Subscribes and collects results until `count` arrived or an error ended it. */
  const collect = (client: Client, query: string, variables: Record<string, unknown>, count: number) => {
    const results: unknown[] = [];
    const done = new Promise<{ results: unknown[]; error?: unknown }>((resolve) => {
      const stop = client.subscribe({ query, variables }, {
        next: (value) => {
          results.push(value);
          if (results.length >= count) {
            stop();
            resolve({ results });
          }
        },
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      });
    });
    return done;
  };

  beforeAll(async () => {
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }));
    const res = await fetch(`${sut.url}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    await sut.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'live', displayName: 'Live', regions: ['eu-west-1'] } }, { actor });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await sut?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams admin activity of a tenant as it happens, with secrets redacted', async () => {
    const feed = collect(connect({ cookie }), 'subscription($t: ID!) { activityAdded(tenantId: $t) { type actor data } }', { t: tenantId }, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sut.commands.execute(tenantId, { type: 'RenameTenant', data: { tenantId, displayName: 'Live 2' } }, { actor });
    await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: 'mutation($t: ID!) { storeCredential(tenantId: $t, name: "gh", secret: "s3cr3t-value") { id } }', variables: { t: tenantId } }),
    });
    const { results, error } = await feed;
    expect(error).toBeUndefined();
    expect(results).toEqual([
      { data: { activityAdded: { type: 'TenantRenamed', actor, data: { displayName: 'Live 2' } } } },
      { data: { activityAdded: expect.objectContaining({ type: 'CredentialStored', data: expect.objectContaining({ secret: '[redacted]' }) }) } },
    ]);
  });

  it('streams snapshot publications of a tenant', async () => {
    const received: unknown[] = [];
    const stop = connect({ cookie }).subscribe(
      { query: 'subscription($t: ID!) { snapshotPublished(tenantId: $t) { tenantId logPosition contentHash } }', variables: { t: tenantId } },
      { next: (value) => void received.push(value), error: () => {}, complete: () => {} },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await sut.commands.execute(tenantId, { type: 'SuspendTenant', data: { tenantId, reason: 'test' } }, { actor });
    const expected = `0:${result.position!.offset}`;
    // a publication for the previous test's change may arrive first: wait for ours
    const ours = await waitUntil('the snapshot of the suspension', () =>
      received.find((r) => (r as { data: { snapshotPublished: { logPosition: string } } }).data.snapshotPublished.logPosition === expected),
    );
    stop();
    expect(ours).toEqual({ data: { snapshotPublished: { tenantId, logPosition: expected, contentHash: expect.stringMatching(/^[a-f0-9]{64}$/) } } });
  });

  it('refuses a subscription without a session', async () => {
    const { results, error } = await collect(connect({}), 'subscription($t: ID!) { activityAdded(tenantId: $t) { type } }', { t: tenantId }, 1);
    const errors = (error as { message?: string; extensions?: Record<string, unknown> }[] | undefined) ?? (results[0] as { errors?: unknown[] })?.errors;
    expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
  });
});
