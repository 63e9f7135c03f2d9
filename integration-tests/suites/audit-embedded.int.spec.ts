/**
 * The embedded default's audit trail: `npm start` (the single-process launcher, deploy/src/main.ts)
 * hands the in-process proxy's audit events to the control plane's audit sink on PGlite.
 * A tool call through the proxy with the demo key is then a record of the demo tenant over GraphQL,
 * beside the admin records of the demo's setup, and the trail verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@mcpgate/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

describe('audit trail of the single-process default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-audit-embedded-'));
  let child: ChildProcess | undefined;
  let graphql = '';
  let output = '';

  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      const launched = spawn('npm', ['start'], {
        cwd: root,
        detached: true,
        env: { ...process.env, MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', MCPGATE_PROXY_PORT: '0' },
      });
      child = launched;
      const timer = setTimeout(() => reject(new Error(`npm start did not come up in 200 s:\n${output}`)), 200_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /GraphQL API : (http:\/\/\S+)/.exec(output)?.[1];
        if (url && /audit trail : /.test(output)) {
          clearTimeout(timer);
          graphql = url;
          resolve();
        }
      };
      launched.stdout!.on('data', onData);
      launched.stderr!.on('data', onData);
      launched.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  });
  afterAll(async () => {
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      try {
        process.kill(-running.pid!, 'SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      } catch {
        // already gone
      }
      if (running.exitCode === null && running.signalCode === null) process.kill(-running.pid!, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a tool call through the in-process proxy, queryable over GraphQL beside the admin records, and verifies', async () => {
    expect(output).toContain('audit trail : every tool call and admin change');
    const quickstart = JSON.parse(readFileSync(join(dataDir, 'quickstart.json'), 'utf8')) as { mcpUrl: string; virtualKey: string };
    const message = `audited ${Date.now()}`;
    await waitUntil(
      'the demo answers through the proxy',
      async () => {
        const client = new Client({ name: 'audit-embedded-test', version: '1.0.0' });
        try {
          await client.connect(new StreamableHTTPClientTransport(new URL(quickstart.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${quickstart.virtualKey}` } } }));
          const echo = await client.callTool({ name: 'echo', arguments: { message } });
          return JSON.stringify(echo).includes(message) ? true : undefined;
        } catch {
          return undefined;
        } finally {
          await client.close().catch(() => {});
        }
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    const base = graphql.replace(/\/graphql$/, '');
    const login = await fetch(`${base}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const gql = async (query: string, variables: Record<string, unknown> = {}) =>
      (await (await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as Answer;
    const tenants = ((await gql('{ tenants { nodes { id slug } } }')).data!['tenants'] as { nodes: { id: string; slug: string }[] }).nodes;
    const demo = tenants.find((t) => t.slug === 'demo')!;
    expect(demo).toBeDefined();

    // the call's answer came after its event was committed: it is there at once
    const calls = await gql('query($t: ID!) { auditEvents(tenantId: $t, filter: { tool: "echo", kind: TOOL_CALL }) { totalCount edges { node { method tool region decision { outcome policyVersion { logPosition } } principal } } } }', { t: demo.id });
    expect(calls.errors).toBeUndefined();
    const page = calls.data!['auditEvents'] as { totalCount: number; edges: { node: { method: string; tool: string; region: string; decision: { outcome: string; policyVersion: { logPosition: string } }; principal: Record<string, unknown> } }[] };
    expect(page.totalCount).toBeGreaterThanOrEqual(1);
    expect(page.edges[0]!.node).toMatchObject({ method: 'tools/call', tool: 'echo', region: 'local', decision: { outcome: 'allowed', policyVersion: { logPosition: expect.stringMatching(/^\d+(:\d+)?$/) } }, principal: { kind: 'virtual-key' } });
    expect(JSON.stringify(page)).not.toContain(quickstart.virtualKey);

    const admin = await waitUntil('the demo’s admin records', async () => {
      const answer = await gql('query($t: ID!) { auditEvents(tenantId: $t, filter: { kind: ADMIN }, first: 100) { totalCount edges { node { method change } } } }', { t: demo.id });
      const found = answer.data?.['auditEvents'] as { totalCount: number; edges: { node: { method: string } }[] } | undefined;
      return found && found.edges.some((e) => e.node.method === 'admin/VirtualKeyIssued') ? found : undefined;
    });
    expect(admin.edges.map((e) => e.node.method)).toEqual(expect.arrayContaining(['admin/TenantCreated', 'admin/VirtualKeyIssued']));
    expect(JSON.stringify(admin)).not.toContain(quickstart.virtualKey);

    const verification = await gql('query($t: ID!) { auditVerification(tenantId: $t) { ok records problem { kind } } }', { t: demo.id });
    expect(verification.data!['auditVerification']).toMatchObject({ ok: true, problem: null });
  });
});
