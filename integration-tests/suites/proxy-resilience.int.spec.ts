/**
 * The proxy under things going wrong: a replica killed in the middle of a session (the session
 * lives in its id, so another replica continues it), slow clients (headers trickled in, a body
 * that stalls) cut off by the HTTP server's timeouts while others are served, and 2,000 random or
 * malformed bodies that must each get a 4xx or a JSON-RPC answer, never a 5xx or a dropped
 * connection. The upstream is the conformance fixture (Streamable HTTP, in-process).
 *
 * The fuzz seed is fixed and printed; MCPGATE_FUZZ_SEED sets another, MCPGATE_FUZZ_CASES the count.
 */
import { connect as netConnect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startConformanceFixture, startRoundRobinBalancer, type StartedConformanceFixture } from '@mcpgate/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpUpstream, mcpHeaders, rawInitialize, type RawRpc } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, type TestProxy } from '../src/proxy-harness.js';

/** Short header and request timeouts for this suite's proxies (limits.headersTimeoutMs / requestTimeoutMs). */
const HEADERS_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 6_000;
/** How late after its timeout the proxy may close a slow client. */
const CLOSE_MARGIN_MS = 3_000;
const FUZZ_SEED = Number(process.env['MCPGATE_FUZZ_SEED'] ?? 20_261_125);
const FUZZ_CASES = Number(process.env['MCPGATE_FUZZ_CASES'] ?? 2_000);
const UNLIMITED_NEW_SESSIONS = { newSessionsPerSecond: 100_000, newSessionsBurst: 1_000_000, headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS };

const sessionOf = (client: Client): string => {
  const id = (client.transport as StreamableHTTPClientTransport | undefined)?.sessionId;
  if (!id) throw new Error('the client has no session id');
  return id;
};

/** An SDK client that continues an existing session (no initialize) at `url`. */
const resumeAgent = async (url: string, sessionId: string): Promise<Client> => {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { sessionId }));
  return client;
};

describe('proxy resilience: replica loss, slow clients, malformed input', () => {
  let fixture: StartedConformanceFixture;
  /** The replica that survives every test. */
  let survivor: TestProxy;
  const temporary: TestProxy[] = [];
  const snapshot = () =>
    tenantSnapshot({
      upstreams: [httpUpstream('srv_fixture00001', 'fixture', fixture.url)],
      virtualServers: [{ id: 'vsr_conf00000001', name: 'conf', prefixMode: 'never', upstreams: [{ serverId: 'srv_fixture00001', tools: ['*'] }], anonymousAccess: true }],
    });
  /** Stops a replica for good (it is then no longer closed in afterAll). */
  const kill = async (proxy: TestProxy) => {
    temporary.splice(temporary.indexOf(proxy), 1);
    await proxy.close();
  };
  const replica = async (proxyId: string, limits: Record<string, number> = {}) => {
    const proxy = await startTestProxy({ proxyId, extra: { limits: { maxBodyBytes: 4_194_304, sessionLifetimeSeconds: 3600, maxStdioProcesses: 8, stdioIdleSeconds: 60, ...UNLIMITED_NEW_SESSIONS, ...limits } } });
    proxy.publish(snapshot());
    return proxy;
  };

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    survivor = await replica('survivor');
  });
  afterAll(async () => {
    for (const proxy of [...temporary, survivor]) await proxy?.close();
    await fixture?.close();
  });

  describe('a replica killed in the middle of a session', () => {
    it('continues the session on another replica with the same Mcp-Session-Id, on the same upstream session', async () => {
      const doomed = await replica('doomed-a');
      temporary.push(doomed);
      const client = await connectAgent(`${doomed.url}/t/acme/mcp/conf`);
      expect(await client.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
      const session = sessionOf(client);
      const upstreamSessions = fixture.sessions();
      await kill(doomed);
      await client.close().catch(() => {});

      const headers = { ...mcpHeaders({ session }), 'mcp-protocol-version': '2025-11-25' };
      const call = await fetch(`${survivor.url}/t/acme/mcp/conf`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'prompts/get', params: { name: 'test_prompt_with_arguments', arguments: { arg1: 'after', arg2: 'the kill' } } }) });
      expect(call.status).toBe(200);
      expect(await call.text()).toContain("arg1='after', arg2='the kill'");
      const tool = await fetch(`${survivor.url}/t/acme/mcp/conf`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'test_simple_text', arguments: {} } }) });
      expect(tool.status).toBe(200);
      expect(await tool.text()).toContain('This is a simple text response for testing.');
      // no new upstream session: the survivor used the one the dead replica opened
      expect(fixture.sessions()).toBe(upstreamSessions);
    });

    it('keeps an SDK client working behind a round-robin balancer when one replica dies and the balancer is replaced by one without it', async () => {
      const doomed = await replica('doomed-b');
      temporary.push(doomed);
      const both = await startRoundRobinBalancer([doomed.url, survivor.url]);
      let onlySurvivor: Awaited<ReturnType<typeof startRoundRobinBalancer>> | undefined;
      const clients: Client[] = [];
      try {
        const client = await connectAgent(`${both.url}/t/acme/mcp/conf`);
        clients.push(client);
        for (let i = 0; i < 4; i += 1) expect(await client.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text' }] });
        expect(Math.min(...both.hits())).toBeGreaterThan(1);
        const session = sessionOf(client);
        const upstreamSessions = fixture.sessions();
        await kill(doomed);
        // the old balancer has the dead replica fixed in its targets: every other request is a 502
        const deadHop = await Promise.all([0, 1].map(() => fetch(`${both.url}/healthz`).then((r) => r.status)));
        expect(deadHop.sort()).toEqual([200, 502]);

        onlySurvivor = await startRoundRobinBalancer([survivor.url]);
        const resumed = await resumeAgent(`${onlySurvivor.url}/t/acme/mcp/conf`, session);
        clients.push(resumed);
        expect(await resumed.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
        expect((await resumed.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
        const prompt = await resumed.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'one', arg2: 'two' } });
        expect(prompt.messages[0]?.content).toMatchObject({ type: 'text', text: "Prompt with arguments: arg1='one', arg2='two'" });
        expect(fixture.sessions()).toBe(upstreamSessions);
      } finally {
        await Promise.allSettled(clients.map((c) => c.close()));
        await both.close();
        await onlySurvivor?.close();
      }
    });
  });

  describe('slow clients', () => {
    interface SlowOutcome {
      /** From the first byte sent until the proxy closed the connection; undefined when it did not by the deadline. */
      readonly closedAfterMs: number | undefined;
      readonly response: string;
    }

    /**
     * A raw TCP client: sends `head`, then `drip` one byte at a time every `everyMs` until it has
     * none left (then it stalls), and waits up to `deadlineMs` for the proxy to close the socket.
     */
    const slowClient = (base: string, head: string, drip: string, everyMs: number, deadlineMs: number): Promise<SlowOutcome> =>
      new Promise((resolve) => {
        const { hostname, port } = new URL(base);
        const socket = netConnect(Number(port), hostname);
        let response = '';
        let started = 0;
        let at = 0;
        socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
        socket.on('error', () => {});
        const dripper = setInterval(() => {
          if (at < drip.length && socket.writable) socket.write(drip[at++]!);
        }, everyMs);
        const deadline = setTimeout(() => {
          clearInterval(dripper);
          socket.removeAllListeners('close');
          socket.destroy();
          resolve({ closedAfterMs: undefined, response });
        }, deadlineMs);
        socket.once('connect', () => {
          started = performance.now();
          socket.write(head);
        });
        socket.once('close', () => {
          clearInterval(dripper);
          clearTimeout(deadline);
          resolve({ closedAfterMs: Math.round(performance.now() - started), response });
        });
      });

    // Node enforces headersTimeout and requestTimeout only when it checks its connections, every
    // connectionsCheckingInterval (30 s unless the server is created with another): the deadline
    // the proxy sets is kept only if that interval is short as well
    it(`closes a header trickle after headersTimeout (${HEADERS_TIMEOUT_MS} ms) and a stalled body after requestTimeout (${REQUEST_TIMEOUT_MS} ms), serving other agents meanwhile`, async () => {
      const path = '/t/acme/mcp/conf';
      const headers = slowClient(survivor.url, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `, 'a'.repeat(10_000), 250, HEADERS_TIMEOUT_MS + CLOSE_MARGIN_MS);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'slow', version: '1' } } });
      const stalled = slowClient(
        survivor.url,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length + 100}\r\n\r\n`,
        // the body trickles for about 2 s, then stops 100 bytes short of its Content-Length
        body,
        Math.ceil(2_000 / body.length),
        REQUEST_TIMEOUT_MS + CLOSE_MARGIN_MS,
      );

      // meanwhile: an agent calls a tool every 250 ms
      const agent = await connectAgent(`${survivor.url}${path}`);
      let served = 0;
      const problems: string[] = [];
      let slowDone = false;
      const both = Promise.all([headers, stalled]).finally(() => (slowDone = true));
      while (!slowDone) {
        try {
          const result = await agent.callTool({ name: 'test_simple_text', arguments: {} });
          if (JSON.stringify(result).includes('simple text response')) served += 1;
          else problems.push(JSON.stringify(result));
        } catch (error) {
          problems.push(String(error));
        }
        await sleep(250);
      }
      await agent.close();
      const [trickle, stall] = await both;
      console.info(JSON.stringify({ slowClients: { headerTrickleClosedAfterMs: trickle.closedAfterMs ?? 'not closed by the deadline', stalledBodyClosedAfterMs: stall.closedAfterMs ?? 'not closed by the deadline', trickleResponse: trickle.response.split('\r\n')[0], stallResponse: stall.response.split('\r\n')[0], servedMeanwhile: served } }));

      expect(problems).toEqual([]);
      expect(served).toBeGreaterThan(10);
      // soft: both slow clients are reported, whichever fails first
      expect.soft(trickle.closedAfterMs ?? Number.POSITIVE_INFINITY, 'header trickle closed within headersTimeout + margin').toBeLessThanOrEqual(HEADERS_TIMEOUT_MS + CLOSE_MARGIN_MS);
      expect.soft(trickle.closedAfterMs ?? Number.POSITIVE_INFINITY, 'header trickle not closed before headersTimeout').toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 500);
      expect.soft(stall.closedAfterMs ?? Number.POSITIVE_INFINITY, 'stalled body closed within requestTimeout + margin').toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + CLOSE_MARGIN_MS);
      expect(trickle.response === '' || trickle.response.startsWith('HTTP/1.1 408')).toBe(true);
      expect(stall.response === '' || stall.response.startsWith('HTTP/1.1 408')).toBe(true);
    }, REQUEST_TIMEOUT_MS + 30_000);
  });

  describe('load shedding', () => {
    /** A POST whose body stops short of its Content-Length: the proxy holds it (until requestTimeout) as a request in progress. */
    const stalledPost = (base: string, path: string) => {
      const { hostname, port } = new URL(base);
      const socket = netConnect(Number(port), hostname);
      socket.on('error', () => {});
      socket.once('connect', () =>
        socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n{"jsonrpc":`),
      );
      return socket;
    };
    const inFlight = async (proxy: TestProxy): Promise<number> => ((await (await fetch(`${proxy.url}/status`)).json()) as { requests: { inFlight: number } }).requests.inFlight;
    const waitForInFlight = async (proxy: TestProxy, expected: number) => {
      for (const started = Date.now(); (await inFlight(proxy)) !== expected; await sleep(20)) {
        if (Date.now() - started > 5_000) throw new Error(`requests in flight stayed at ${await inFlight(proxy)}, expected ${expected}`);
      }
    };

    it('refuses agent requests past limits.maxConcurrentRequests with 503 and Retry-After, counts them, keeps serving health checks, and serves agents again once places free up', async () => {
      const proxy = await replica('shedding', { maxConcurrentRequests: 2 });
      temporary.push(proxy);
      const path = '/t/acme/mcp/conf';
      const agent = await connectAgent(`${proxy.url}${path}`);
      const stalled = [stalledPost(proxy.url, path), stalledPost(proxy.url, path)];
      await waitForInFlight(proxy, 2);

      // refused at once, not queued: an SDK agent sees the 503, a raw request the whole answer
      await expect(agent.callTool({ name: 'test_simple_text', arguments: {} })).rejects.toMatchObject({ code: 503, message: expect.stringContaining('proxy.overloaded') });
      const raw = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: mcpHeaders(), body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }) });
      expect(raw.status).toBe(503);
      expect(raw.headers.get('retry-after')).toBe('1');
      expect(await raw.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32_005, data: { reason: 'proxy.overloaded' } } });
      // what is not an agent request is still served
      expect((await fetch(`${proxy.url}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
      expect(metrics).toMatch(/^mcpgate_http_requests_shed_total\{[^}]*\} 2$/m);
      expect(metrics).toMatch(/^mcpgate_http_requests_in_flight\{[^}]*\} 2$/m);

      for (const socket of stalled) socket.destroy();
      await waitForInFlight(proxy, 0);
      expect(await agent.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
      await agent.close();
    }, 30_000);
  });

  describe('fuzzing the MCP endpoint', () => {
    let fuzzGw: TestProxy;
    beforeAll(async () => {
      fuzzGw = await replica('fuzz');
      temporary.push(fuzzGw);
    });

    it(`answers ${FUZZ_CASES} random and malformed bodies with a 4xx or a JSON-RPC answer, never a 5xx or a dropped connection (seed ${FUZZ_SEED})`, async () => {
      console.info(`fuzz seed ${FUZZ_SEED} (replay with MCPGATE_FUZZ_SEED=${FUZZ_SEED})`);
      const url = `${fuzzGw.url}/t/acme/mcp/conf`;
      const session = await rawInitialize(url);
      const random = mulberry32(FUZZ_SEED);
      // the known-nasty cases always, then random ones
      const cases = [...NASTY_CASES, ...Array.from({ length: Math.max(0, FUZZ_CASES - NASTY_CASES.length) }, () => fuzzCase(random))];
      const statuses: Record<string, number> = {};
      const bad: string[] = [];
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < cases.length; i = next++) {
          const c = cases[i]!;
          const sessionHeader: Record<string, string> = c.session === 'valid' ? { 'mcp-session-id': session } : c.session === 'garbage' ? { 'mcp-session-id': 'x'.repeat(1 + (i % 300)) } : {};
          const outcome = await post(url, c.body, { ...mcpHeaders(), ...sessionHeader });
          const label = 'error' in outcome ? 'dropped' : String(outcome.status);
          statuses[label] = (statuses[label] ?? 0) + 1;
          const problem = judge(outcome);
          if (problem) bad.push(`#${i} ${c.kind} (session ${c.session}): ${problem}; body ${describeBody(c.body)}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      console.info(JSON.stringify({ fuzz: { seed: FUZZ_SEED, cases: cases.length, statuses, kinds: countBy(cases.map((c) => c.kind)) } }));

      expect(bad.slice(0, 20)).toEqual([]);
      const health = await fetch(`${fuzzGw.url}/healthz`);
      expect(health.status).toBe(200);
      const client = await connectAgent(url);
      expect(await client.callTool({ name: 'test_simple_text', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] });
      await client.close();
    }, 120_000);

    it('never counts what an agent sent against the upstream: messages too deep to forward leave its endpoint healthy', async () => {
      const blameGw = await replica('blame');
      temporary.push(blameGw);
      const url = `${blameGw.url}/t/acme/mcp/conf`;
      const session = await rawInitialize(url);
      const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
      // one after the other: the upstream's circuit opens after 3 consecutive failures (its default)
      for (let i = 0; i < 4; i += 1) {
        const answer = await post(url, Buffer.from(`{"jsonrpc":"2.0","id":${i},"method":"custom/method","params":{"x":${deep}}}`), { ...mcpHeaders({ session }) });
        expect(judge(answer)).toBeUndefined();
      }
      const status = (await (await fetch(`${blameGw.url}/status`)).json()) as { upstreamEndpoints: { endpoint: string; state: string; lastError?: string }[] };
      expect(status.upstreamEndpoints.filter((e) => e.state !== 'closed')).toEqual([]);
    });
  });
});

// ------------------------------------------------------------------------------------------ fuzz

type FuzzOutcome = { status: number; contentType: string; text: string } | { error: string };

/** POSTs a body on a fresh connection; a socket error after the status line arrived is not a drop. */
const post = (url: string, body: Buffer, headers: Record<string, string>): Promise<FuzzOutcome> =>
  new Promise((resolve) => {
    const target = new URL(url);
    let status: number | undefined;
    let contentType = '';
    const chunks: Buffer[] = [];
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        status = res.statusCode ?? 0;
        contentType = String(res.headers['content-type'] ?? '');
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', () => resolve({ status: status!, contentType, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('end', () => resolve({ status: status!, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (error) => {
      if (status !== undefined) resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8') });
      else resolve({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` });
    });
    req.end(body);
  });

/** Why an answer breaks the rule (4xx with a JSON-RPC error, or 200/202 with JSON-RPC), or undefined. */
const judge = (outcome: FuzzOutcome): string | undefined => {
  if ('error' in outcome) return `connection dropped: ${outcome.error}`;
  const { status, contentType, text } = outcome;
  if (status >= 500) return `answered ${status}: ${text.slice(0, 300)}`;
  if (status === 202) return text === '' ? undefined : `202 with a body: ${text.slice(0, 200)}`;
  if (status >= 400 && status < 500) {
    const message = parseJson(text) as RawRpc | undefined;
    return message?.jsonrpc === '2.0' && typeof message.error?.code === 'number' ? undefined : `answered ${status} without a JSON-RPC error: ${text.slice(0, 300)}`;
  }
  if (status !== 200) return `answered ${status}`;
  const messages = contentType.includes('text/event-stream') ? sseMessages(text) : [parseJson(text)];
  const answer = messages.filter((m): m is RawRpc => typeof m === 'object' && m !== null && ('result' in m || 'error' in m)).at(-1);
  if (!answer || answer.jsonrpc !== '2.0') return `200 without a JSON-RPC answer: ${text.slice(0, 300)}`;
  return undefined;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
const sseMessages = (text: string): unknown[] =>
  text
    .split(/\r?\n\r?\n/)
    .map((event) => event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n'))
    .filter(Boolean)
    .map(parseJson);

const describeBody = (body: Buffer): string => (body.length > 200 ? `${JSON.stringify(body.subarray(0, 120).toString('latin1'))}… (${body.length} bytes)` : JSON.stringify(body.toString('latin1')));
const countBy = (values: string[]) => values.reduce<Record<string, number>>((counts, v) => ({ ...counts, [v]: (counts[v] ?? 0) + 1 }), {});

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same cases. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface FuzzCase {
  readonly kind: string;
  readonly body: Buffer;
  readonly session: 'valid' | 'none' | 'garbage';
}

const METHODS = ['initialize', 'ping', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'resources/templates/list', 'resources/subscribe', 'completion/complete', 'logging/setLevel', 'notifications/initialized', 'notifications/cancelled', 'notifications/progress', 'sampling/createMessage', 'no/such/method', ''];
const JUNK_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, -0, 2 ** 53 + 1, '', 'x', '\u0000', '\ud83d\ude00', [], [1, [2]], {}, { a: { b: null } }, 'A'.repeat(300)];
/** Raw JSON fragments JSON.stringify cannot produce: non-finite numbers, lone surrogates, odd escapes. */
const RAW_FRAGMENTS = ['1e309', '-1e309', '1e-400', '123456789012345678901234567890', '"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"a\\/b"', '{"toString":1,"valueOf":1}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '[]', '{}', 'null'];

const DEEP_OBJECT = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
const NASTY = '{"toString":1,"valueOf":1}';
/** Cases found by hand or by earlier seeds, sent on every run. */
const NASTY_CASES: FuzzCase[] = [
  ['initialize, clientInfo.version that cannot become a string', `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":${NASTY}}}}`, 'none'],
  ['initialize, capabilities 100k deep', `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":${DEEP_OBJECT},"clientInfo":{"name":"x","version":"1"}}}`, 'none'],
  ['initialize, capabilities not an object', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":"x","clientInfo":{"name":"x","version":"1"}}}', 'none'],
  ['tools/call, arguments 100k deep', `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_simple_text","arguments":${DEEP_OBJECT}}}`, 'valid'],
  ['answer to a server request, 100k deep', `{"jsonrpc":"2.0","id":"mcpg.0.n.1","result":{"x":${DEEP_OBJECT}}}`, 'valid'],
  ['answer to a server request, error not JSON-RPC', '{"jsonrpc":"2.0","id":"mcpg.0.s.x","error":{"code":"x","message":5}}', 'valid'],
  ['answer to a server request nobody sent', '{"jsonrpc":"2.0","id":"mcpg.0.n.1","result":{}}', 'valid'],
  ['notification, 100k deep', `{"jsonrpc":"2.0","method":"notifications/x","params":{"x":${DEEP_OBJECT}}}`, 'valid'],
  ['tools/call, progress token an object', `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_simple_text","arguments":{},"_meta":{"progressToken":${NASTY}}}}`, 'valid'],
  ['prompts/get, name an object', `{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":${NASTY}}}`, 'valid'],
  ['completion/complete, ref name an object', `{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":${NASTY}},"argument":{}}}`, 'valid'],
  ['logging/setLevel, level an object', `{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":${NASTY}}}`, 'valid'],
].map(([kind, body, session]) => ({ kind: `nasty: ${kind!}`, body: Buffer.from(body!), session: session as FuzzCase['session'] }));

const envelope = (fields: Record<string, string>): string => `{${Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

function fuzzCase(random: () => number): FuzzCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  const session = pick(['valid', 'valid', 'none', 'garbage'] as const);
  const junk = () => (random() < 0.5 ? JSON.stringify(pick(JUNK_VALUES)) : pick(RAW_FRAGMENTS));
  const method = () => JSON.stringify(pick(METHODS));
  const id = () => pick(['1', '"a"', '0', '-5', '1.5', '1e309', 'null', '[]', '{}', 'true', '"mcpg.0.n.1"', '"mcpg.999.s.x"', '9007199254740993']);
  const validish = () => {
    const params = pick([
      '{}',
      `{"name":${junk()},"arguments":${junk()}}`,
      `{"name":"test_simple_text","arguments":${junk()}}`,
      `{"uri":${junk()}}`,
      `{"ref":${junk()},"argument":${junk()}}`,
      `{"level":${junk()}}`,
      `{"protocolVersion":${junk()},"capabilities":${junk()},"clientInfo":${junk()}}`,
      `{"protocolVersion":"2025-11-25","capabilities":{"roots":${junk()}},"clientInfo":{"name":${junk()},"version":${junk()}}}`,
      `{"_meta":{"progressToken":${junk()}},"cursor":${junk()}}`,
      `{"requestId":${junk()},"reason":${junk()}}`,
      junk(),
    ]);
    return envelope({ jsonrpc: '"2.0"', id: id(), method: method(), params });
  };
  const kinds: [string, number, () => Buffer][] = [
    ['random bytes', 14, () => Buffer.from(Array.from({ length: int(2_000) }, () => int(256)))],
    ['truncated JSON', 14, () => {
      const text = validish();
      return Buffer.from(text.slice(0, int(text.length)));
    }],
    ['wrong types', 20, () => Buffer.from(envelope({ jsonrpc: pick(['"2.0"', '2.0', '"1.0"', 'null', '["2.0"]']), id: id(), method: random() < 0.6 ? method() : junk(), params: junk() }))],
    ['valid envelope, junk params', 20, () => Buffer.from(validish())],
    ['response or notification', 8, () => Buffer.from(random() < 0.5 ? envelope({ jsonrpc: '"2.0"', id: id(), [pick(['result', 'error'])]: junk() }) : envelope({ jsonrpc: '"2.0"', method: method(), params: junk() }))],
    ['bare JSON value', 5, () => Buffer.from(junk())],
    ['duplicate keys', 6, () => Buffer.from(`{"jsonrpc":"2.0","id":${id()},"method":"tools/list","id":${id()},"method":${method()},"params":{},"params":${junk()}}`)],
    ['unicode junk', 8, () => {
      const noise = pick(['\u202e\u200b', '\ufeff', '\u0000', '\ud800', '\udc00\ud800', 'é'.normalize('NFD'), '🚀'.repeat(50), '\uffff']);
      const raw = Buffer.from(random() < 0.5 ? `${noise}${validish()}` : envelope({ jsonrpc: '"2.0"', id: '1', method: JSON.stringify(`tools/${noise}call`), params: `{"name":${JSON.stringify(noise)}}` }), 'utf8');
      // sometimes invalid UTF-8 too: overlong encodings, lone continuation bytes
      return random() < 0.3 ? Buffer.concat([raw.subarray(0, int(raw.length)), Buffer.from([0xc0, 0xaf, 0x80, 0xff, 0xfe]), raw.subarray(int(raw.length))]) : raw;
    }],
    ['batch', 2, () => Buffer.from(`[${Array.from({ length: 1 + int(50) }, validish).join(',')}]`)],
    ['deeply nested arrays (100k)', 1, () => Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
    ['deeply nested params (100k)', 1, () => {
      const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
      return Buffer.from(pick([
        envelope({ jsonrpc: '"2.0"', id: '1', method: '"tools/call"', params: `{"name":"test_simple_text","arguments":${deep}}` }),
        envelope({ jsonrpc: '"2.0"', id: '1', method: '"initialize"', params: `{"protocolVersion":"2025-11-25","capabilities":${deep},"clientInfo":{"name":"deep","version":"1"}}` }),
        envelope({ jsonrpc: '"2.0"', id: '1', method: '"ping"', params: `{"x":${deep}}` }),
      ]));
    }],
    ['huge string', 1, () => {
      const size = pick([100_000, 1_000_000, 3_000_000, 5_000_000]);
      return Buffer.from(envelope({ jsonrpc: '"2.0"', id: '1', method: pick(['"tools/call"', '"ping"', `"${'m'.repeat(size)}"`]), params: `{"name":"test_simple_text","arguments":{"s":"${'x'.repeat(size)}"}}` }));
    }],
  ];
  const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [kind, weight, make] of kinds) {
    roll -= weight;
    if (roll < 0) return { kind, body: make(), session };
  }
  const [kind, , make] = kinds[0]!;
  return { kind, body: make(), session };
}
