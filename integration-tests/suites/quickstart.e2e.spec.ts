/**
 * `npm start` as a user runs it: the real command, a fresh data directory, the embedded default.
 * Start, sign in with the development login, change something, stop, start again: it is all there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const start = (dataDir: string) =>
  new Promise<{ child: ChildProcess; graphql: string; proxyStatus: string; output: () => string }>((resolve, reject) => {
    const child = spawn('npm', ['start'], { cwd: root, detached: true, env: { ...process.env, MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', MCPGATE_PROXY_PORT: '0' } });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /GraphQL API : (http:\/\/\S+)/.exec(output)?.[1];
      const proxyStatus = /status at (http:\/\/\S+\/status)/.exec(output)?.[1];
      if (url && proxyStatus) {
        clearTimeout(timer);
        resolve({ child, graphql: url, proxyStatus, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve(); // already gone
    }
  });

describe('npm start (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-quickstart-'));
  const running: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const session = async (graphql: string) => {
    const base = graphql.replace(/\/graphql$/, '');
    const res = await fetch(`${base}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return async (query: string) =>
      (await (await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query }) })).json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };

  it('starts, says development mode loudly, serves the API, and keeps its data across a restart', async () => {
    const first = await start(dataDir);
    running.push(first.child);
    expect(first.output()).toMatch(/mcpgate is up in \d+ ms/);
    expect(first.output()).toContain('DEVELOPMENT MODE');
    const gql = await session(first.graphql);
    expect((await gql('mutation { createTenant(input: { slug: "kept", displayName: "Kept", regions: ["local"] }) { id } }')).errors).toBeUndefined();
    // the in-process proxy receives the tenant's signed snapshot and serves it
    const proxyDeadline = Date.now() + 10_000;
    let status: { tenants: { tenantSlug: string; source: string }[] } = { tenants: [] };
    while (Date.now() < proxyDeadline && status.tenants.length === 0) {
      status = (await (await fetch(first.proxyStatus)).json()) as typeof status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.tenants).toEqual([expect.objectContaining({ tenantSlug: 'kept', source: 'memory' })]);
    await stop(first.child);

    const second = await start(dataDir);
    running.push(second.child);
    const again = await session(second.graphql);
    const deadline = Date.now() + 10_000;
    let tenants: unknown;
    while (Date.now() < deadline) {
      tenants = (await again('{ tenants { slug } }')).data?.['tenants'];
      if (JSON.stringify(tenants).includes('kept')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(tenants).toEqual([{ slug: 'kept' }]);
  });
});
