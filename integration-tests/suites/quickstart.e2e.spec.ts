/**
 * `npm start` as a user runs it: the real command, a fresh data directory, the embedded default.
 * Start, sign in with the development login, change something, stop, start again: it is all there.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@mcpgate/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
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

/** The demo key against the demo virtual server, as an MCP client would use it. */
const callDemo = async (mcpUrl: string, key: string) => {
  const client = new Client({ name: 'quickstart-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  const tools = (await client.listTools()).tools.map((t) => t.name);
  const echo = await client.callTool({ name: 'echo', arguments: { message: 'hello from the quickstart' } });
  await client.close();
  return { tools, echo: JSON.stringify(echo) };
};

/**
 * The MCP inspector's CLI exactly as the README and the start-up banner tell users to run it
 * (`npx @modelcontextprotocol/inspector@2 --cli <url> --method tools/list --header …`), from the
 * installed package; HOME is the test's, where the inspector keeps its state.
 */
const inspectorList = async (mcpUrl: string, key: string, home: string) => {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json')), 'clients', 'launcher', 'build', 'index.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, '--cli', mcpUrl, '--method', 'tools/list', '--header', `Authorization: Bearer ${key}`], {
    env: { ...process.env, HOME: home },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { tools: { name: string }[] };
};

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
    while (Date.now() < proxyDeadline && status.tenants.length < 2) {
      status = (await (await fetch(first.proxyStatus)).json()) as typeof status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.tenants).toEqual(expect.arrayContaining([expect.objectContaining({ tenantSlug: 'kept', source: 'memory' }), expect.objectContaining({ tenantSlug: 'demo' })]));

    // the demo: a key written once to quickstart.json (0600), usable at once by a real MCP client
    const quickstartFile = join(dataDir, 'quickstart.json');
    expect(statSync(quickstartFile).mode & 0o777).toBe(0o600);
    const quickstart = JSON.parse(readFileSync(quickstartFile, 'utf8')) as { mcpUrl: string; virtualKey: string; graphqlUrl: string; consoleUrl: string };
    expect(first.output()).toContain(quickstart.virtualKey);
    expect(first.output()).toContain('claude mcp add --transport http mcpgate-demo');
    expect(first.output()).toContain(`npx @modelcontextprotocol/inspector@2 --cli ${quickstart.mcpUrl} --method tools/list --header "Authorization: Bearer ${quickstart.virtualKey}"`);
    const demo = await waitUntil('the demo server answers through the proxy', async () => callDemo(quickstart.mcpUrl, quickstart.virtualKey).catch(() => undefined), { timeoutMs: 30_000, intervalMs: 250 });
    expect(demo.tools).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(demo.echo).toContain('hello from the quickstart');
    const inspector = await inspectorList(quickstart.mcpUrl, quickstart.virtualKey, dataDir);
    expect(inspector.tools.map((t) => t.name)).toContain('echo');
    // the call is in the audit trail (committed before its answer), read through GraphQL
    const demoTenant = ((await gql('{ tenants { nodes { id slug } } }')).data!['tenants'] as { nodes: { id: string; slug: string }[] }).nodes.find((t) => t.slug === 'demo')!;
    const echoCalls = `{ auditEvents(tenantId: "${demoTenant.id}", filter: { tool: "echo", kind: TOOL_CALL }) { totalCount } auditVerification(tenantId: "${demoTenant.id}") { ok } }`;
    const audited = await gql(echoCalls);
    expect(audited.errors).toBeUndefined();
    const callsBefore = (audited.data!['auditEvents'] as { totalCount: number }).totalCount;
    expect(callsBefore).toBeGreaterThanOrEqual(1);
    await stop(first.child);

    const second = await start(dataDir);
    running.push(second.child);
    const again = await session(second.graphql);
    const deadline = Date.now() + 10_000;
    let tenants: unknown;
    while (Date.now() < deadline) {
      tenants = ((await again('{ tenants { nodes { slug } } }')).data?.['tenants'] as { nodes?: unknown } | undefined)?.nodes;
      if (JSON.stringify(tenants).includes('kept')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(tenants).toEqual(expect.arrayContaining([{ slug: 'kept' }, { slug: 'demo' }]));
    // the demo is not created twice, and its key still works after the restart
    const kept = JSON.parse(readFileSync(join(dataDir, 'quickstart.json'), 'utf8')) as { mcpUrl: string; virtualKey: string };
    expect(second.output()).not.toContain('Demo tenant "demo" created');
    // the audit trail survived too, still verifies, and goes on
    const auditedAgain = await again(echoCalls);
    expect(auditedAgain.data).toEqual({ auditEvents: { totalCount: callsBefore }, auditVerification: { ok: true } });
    const afterRestart = await waitUntil('the demo answers after a restart', async () => callDemo(kept.mcpUrl, kept.virtualKey).catch(() => undefined), { timeoutMs: 30_000, intervalMs: 250 });
    expect(afterRestart.echo).toContain('hello from the quickstart');
    expect(((await again(echoCalls)).data!['auditEvents'] as { totalCount: number }).totalCount).toBeGreaterThan(callsBefore);
  });
});
