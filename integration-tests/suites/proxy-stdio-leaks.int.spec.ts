/**
 * Many short agent sessions against a stdio upstream leave nothing behind: no child process, no
 * file descriptor, no pool entry, bounded memory. The upstream is a dash script answering fixed
 * JSON lines (src/fixtures/stdio-responder.sh), the cheapest stdio MCP server to spawn; the proxy
 * runs in this process, so /proc/self tells its descriptors and memory.
 *
 * The rate is bound by the proxy's spawn(): Node forks the whole proxy process to start a child,
 * which blocks the event loop for about 10 ms at this process's ~200 MiB RSS (the page tables are
 * copied), so one replica starts 55 to 125 stdio sessions a second on a 2-core box. 10,000
 * sessions (the number) took 117 s on a quiet box and 188 s on a loaded one:
 * MCPGATE_LEAK_SESSIONS=10000 runs them (nightly). The default, 4,000, fits in 90 s even on a
 * loaded box (about 55 sessions a second there). MCPGATE_LEAK_CONCURRENCY sets the sessions in
 * flight (default 32).
 */
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';
import { descendantsOf, fdKinds, isOwnChild, openFds, runBounded } from '../src/process-probes.js';

const responder = fileURLToPath(new URL('../src/fixtures/stdio-responder.sh', import.meta.url));
const SESSIONS = Number(process.env['MCPGATE_LEAK_SESSIONS'] ?? 4_000);
const CONCURRENCY = Number(process.env['MCPGATE_LEAK_CONCURRENCY'] ?? 32);
/** The proxy limits how fast one caller opens sessions; this suite is that one caller on purpose. */
const UNLIMITED_NEW_SESSIONS = { newSessionsPerSecond: 100_000, newSessionsBurst: 1_000_000 };

/** A full GC when the run has --expose-gc (NODE_OPTIONS=--expose-gc), so heap figures are what is retained. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

interface Answer {
  readonly status: number;
  readonly session: string | undefined;
  readonly text: string;
}

describe('stdio upstream sessions leave no leaks', () => {
  let gw: TestProxy;
  // keep-alive connections: a new TCP connection per request would exhaust the ephemeral ports
  // (tens of thousands of requests in TIME_WAIT) long before the proxy showed a leak
  const keepAlive = () => new Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
  let agent = keepAlive();
  let url: string;

  const send = (method: 'POST' | 'DELETE', headers: Record<string, string>, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const req = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname, method, agent, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const headers = (session?: string) => ({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}),
  });

  /** initialize → tools/call → DELETE, checking each answer and that DELETE stopped the child. */
  const oneSession = async (i: number) => {
    const init = await send('POST', headers(), JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'leak-agent', version: '1.0.0' } } }));
    if (init.status !== 200 || !init.session) throw new Error(`session ${i}: initialize answered ${init.status} ${init.text.slice(0, 300)}`);
    const call = await send('POST', headers(init.session), JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ping', arguments: { i } } }));
    const pid = /pong (\d+)/.exec(call.text)?.[1];
    if (call.status !== 200 || !pid) throw new Error(`session ${i}: tools/call answered ${call.status} ${call.text.slice(0, 300)}`);
    const end = await send('DELETE', headers(init.session));
    if (end.status !== 200) throw new Error(`session ${i}: DELETE answered ${end.status} ${end.text.slice(0, 300)}`);
    if (isOwnChild(Number(pid))) throw new Error(`session ${i}: its child ${pid} still runs after DELETE answered`);
  };

  const stdioChildren = async () => ((await (await fetch(`${gw.url}/status`)).json()) as { stdioChildren: number }).stdioChildren;

  beforeAll(async () => {
    gw = await startTestProxy({
      proxyId: 'leaks',
      extra: { logLevel: 'warn', limits: { maxBodyBytes: 4_194_304, sessionLifetimeSeconds: 3600, maxStdioProcesses: 64, stdioIdleSeconds: 5, ...UNLIMITED_NEW_SESSIONS } },
    });
    gw.publish(
      tenantSnapshot({
        upstreams: [{ id: 'srv_responder001', config: { name: 'responder', connection: { transport: 'stdio', endpoints: [{ id: 'local', command: '/bin/sh', args: [responder] }] }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_responder001', name: 'responder', prefixMode: 'never', upstreams: [{ serverId: 'srv_responder001', tools: ['*'] }], anonymousAccess: true }],
      }),
    );
    url = `${gw.url}/t/acme/mcp/responder`;
  });
  afterAll(async () => {
    agent.destroy();
    await gw?.close();
  });

  it(`runs ${SESSIONS} sessions (initialize → tools/call → DELETE, ${CONCURRENCY} at a time) and ends with no children, descriptors or pool entries left`, async () => {
    // warm up (JIT, the keep-alive pool, the snapshot's indexes), then take the baseline
    expect(await runBounded(CONCURRENCY * 2, CONCURRENCY, oneSession)).toEqual([]);
    await waitUntil('the warm-up children to be gone', async () => (await stdioChildren()) === 0, { timeoutMs: 10_000 });
    // the baseline is taken with no client connection open, as the end state is
    agent.destroy();
    await sleep(200);
    collectGarbage();
    const baseline = { children: descendantsOf().map((p) => p.pid), fds: openFds(), kinds: fdKinds(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };

    agent = keepAlive();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // memory every tenth of the run: a leak climbs steadily, the allocator's high-water mark levels off
    const mib = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
    const samples: { sessions: number; rssMiB: number; heapMiB: number; externalMiB: number }[] = [];
    let done = 0;
    const failures = await runBounded(SESSIONS, CONCURRENCY, async (i) => {
      await oneSession(i);
      done += 1;
      if (done % Math.ceil(SESSIONS / 10) === 0) {
        const memory = process.memoryUsage();
        samples.push({ sessions: done, rssMiB: mib(memory.rss), heapMiB: mib(memory.heapUsed), externalMiB: mib(memory.external) });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);

    // the client's keep-alive sockets are the test's, not the proxy's: close them, let the proxy see it
    agent.destroy();
    await sleep(200);
    collectGarbage();
    const after = { stdioChildren: await stdioChildren(), children: descendantsOf(), fds: openFds(), kinds: fdKinds(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
    console.info(
      JSON.stringify({
        leakTest: {
          sessions: SESSIONS,
          concurrency: CONCURRENCY,
          seconds: Math.round(seconds * 10) / 10,
          sessionsPerSecond: Math.round(SESSIONS / seconds),
          processCpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
          failures: failures.length,
          stdioChildren: after.stdioChildren,
          descendants: { before: baseline.children.length, after: after.children.length },
          fds: { before: baseline.fds, after: after.fds, kindsBefore: baseline.kinds, kindsAfter: after.kinds },
          rssMiB: { before: mib(baseline.rss), after: mib(after.rss), growth: mib(after.rss - baseline.rss) },
          heapMiB: { before: mib(baseline.heap), after: mib(after.heap) },
          samples,
        },
      }),
    );

    expect(failures.slice(0, 5).map((f) => String(f.error))).toEqual([]);
    expect(after.stdioChildren).toBe(0);
    expect(after.children.filter((p) => !baseline.children.includes(p.pid))).toEqual([]);
    // the proxy's listening socket and the test's own handles are in both counts; a leak of one
    // descriptor per session would show as thousands
    expect(after.fds).toBeLessThanOrEqual(baseline.fds + 8);
    // the audit trail (10,000 events kept in memory by the test proxy) and the DELETEd-session set
    // grow by design; a leak of a child's pipes and buffers per session would be far more
    expect(after.rss - baseline.rss).toBeLessThan(256 * 1_048_576);
  }, Math.max(120_000, SESSIONS * 25));
});
