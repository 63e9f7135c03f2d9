/**
 * The harness for testing the proxy with the official MCP conformance suite: the fixture passes
 * the whole active suite on its own (the baseline any hop in front of it is measured against), and
 * the round-robin balancer that stands in front of proxy replicas is a transparent, per-request,
 * streaming hop. Needs no Docker.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  runConformanceSuite,
  startConformanceFixture,
  startRoundRobinBalancer,
  type ConformanceSuiteResult,
  type StartedConformanceFixture,
  type StartedRoundRobinBalancer,
} from '@mcpgate/testing';
import { afterEach, describe, expect, it } from 'vitest';

const SUITE_TIMEOUT_MS = 90_000;

/** The scenarios that failed and the output, minus lines CI would read as a test count. */
const failureDetails = (result: ConformanceSuiteResult): string =>
  [
    `failed scenarios: ${result.scenarios.filter((s) => s.failed > 0).map((s) => s.name).join(', ')}`,
    ...result.output.split('\n').filter((line) => !/^\s*\S+:\s+\d+ passed, \d+ failed/.test(line)),
  ].join('\n');

const expectWholeSuitePassed = (result: ConformanceSuiteResult): void => {
  expect(result.failed, failureDetails(result)).toBe(0);
  expect(result.passed).toBeGreaterThanOrEqual(40);
  expect(result.scenarios.length).toBeGreaterThanOrEqual(30);
  expect(result.scenarios.filter((s) => s.failed > 0 || s.passed === 0).map((s) => s.name)).toEqual([]);
  expect(result.exitCode).toBe(0);
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  const results = await Promise.allSettled(closers.splice(0).reverse().map((close) => close()));
  for (const result of results) if (result.status === 'rejected') throw result.reason;
});

const fixture = async (): Promise<StartedConformanceFixture> => {
  const started = await startConformanceFixture();
  closers.push(started.close);
  return started;
};
const balancer = async (targets: string[]): Promise<StartedRoundRobinBalancer> => {
  const started = await startRoundRobinBalancer(targets);
  closers.push(started.close);
  return started;
};
/** A tiny HTTP target on 127.0.0.1; returns its base URL. */
const target = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> => {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe(startConformanceFixture.name, () => {
  it('passes the whole active conformance suite run directly against it', async () => {
    const sut = await fixture();

    const result = await runConformanceSuite({ url: sut.url, suite: 'active', timeoutMs: SUITE_TIMEOUT_MS });
    console.log(`conformance (fixture direct): ${result.passed}/${result.passed + result.failed} checks`);

    expectWholeSuitePassed(result);
    expect(sut.sessions()).toBeGreaterThan(0); // 0.1.16 never DELETEs its sessions
  });

  it('answers an unknown session id with 404 and a missing one with 400', async () => {
    const sut = await fixture();
    const headers = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

    const unknown = await fetch(sut.url, { method: 'POST', headers: { ...headers, 'mcp-session-id': 'no-such-session' }, body: ping });
    const missing = await fetch(sut.url, { method: 'POST', headers, body: ping });
    const unknownGet = await fetch(sut.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': 'no-such-session' } });

    expect([unknown.status, missing.status, unknownGet.status]).toEqual([404, 400, 404]);
  });
});

describe(startRoundRobinBalancer.name, () => {
  it('sends consecutive requests to alternating targets and keeps the Host header', async () => {
    const seenHosts: (string | undefined)[] = [];
    const named = (name: string) => (req: IncomingMessage, res: ServerResponse) => {
      seenHosts.push(req.headers.host);
      res.end(`${name} ${req.url ?? ''}`);
    };
    const sut = await balancer([await target(named('a')), await target(named('b'))]);

    const first = await (await fetch(`${sut.url}/whatever?x=1`)).text();
    const second = await (await fetch(`${sut.url}/whatever?x=1`)).text();

    expect([first, second]).toEqual(['a /whatever?x=1', 'b /whatever?x=1']);
    expect(sut.hits()).toEqual([1, 1]);
    expect(seenHosts).toEqual([new URL(sut.url).host, new URL(sut.url).host]);
  });

  it('streams an SSE response through without buffering it', async () => {
    let releaseSecond: () => void = () => undefined;
    const secondReleased = new Promise<void>((resolve) => (releaseSecond = resolve));
    const sse = await target((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      void secondReleased.then(() => res.end('data: second\n\n'));
    });
    const sut = await balancer([sse]);

    const response = await fetch(`${sut.url}/events`, { headers: { accept: 'text/event-stream' } });
    if (!response.body) throw new Error('SSE response has no body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    // the second event is written only after the first has come through the balancer
    const firstChunk = await Promise.race([
      reader.read(),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('first SSE event did not stream through')), 5_000)),
    ]);
    const received = [decoder.decode(firstChunk.value, { stream: true })];
    releaseSecond();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      received.push(decoder.decode(chunk.value, { stream: true }));
    }

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(received[0]).toBe('data: first\n\n');
    expect(received.join('')).toBe('data: first\n\ndata: second\n\n');
  });

  it('answers 502 when a target refuses the connection, without retrying on another target', async () => {
    const refusing = await target((_req, res) => res.end());
    const closedPortUrl = refusing;
    await closers.pop()?.(); // close it again: its port now refuses connections
    const sut = await balancer([closedPortUrl, await target((_req, res) => res.end('ok'))]);

    const first = await fetch(`${sut.url}/x`);
    const second = await fetch(`${sut.url}/x`);

    expect([first.status, second.status]).toEqual([502, 200]);
    expect(await second.text()).toBe('ok');
    expect(sut.hits()).toEqual([1, 1]);
  });

  it('is transparent to MCP: the fixture behind it still passes the whole active suite', async () => {
    const upstream = await fixture();
    const sut = await balancer([new URL(upstream.url).origin]);

    const result = await runConformanceSuite({ url: `${sut.url}/mcp`, suite: 'active', timeoutMs: SUITE_TIMEOUT_MS });
    console.log(`conformance (fixture via balancer): ${result.passed}/${result.passed + result.failed} checks`);

    expectWholeSuitePassed(result);
  });
});
