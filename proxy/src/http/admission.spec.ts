import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcCode } from '../mcp/jsonrpc.js';
import { Admission } from './admission.js';

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real HTTP server whose admitted requests are held until the test releases them. */
const heldServer = async (admission: Admission) => {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    if (!admission.admit(req, res)) return;
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const send = (method: string) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/mcp', agent: false, headers: { 'content-type': 'application/json' } });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
    });
    // requests still held when a test ends are reset by afterEach: that rejection is expected
    answer.catch(() => undefined);
    req.end(method === 'POST' ? '{"jsonrpc":"2.0","id":1,"method":"ping"}' : undefined);
    return { req, answer };
  };
  const whenHeld = async (count: number) => {
    for (const started = Date.now(); held.length < count; await new Promise((resolve) => setTimeout(resolve, 5))) {
      if (Date.now() - started > 5_000) throw new Error(`${held.length} requests held after 5 s, expected ${count}`);
    }
  };
  return { server, held, send, whenHeld };
};

describe(Admission.name, () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('refuses a POST past the limit with 503, Retry-After, Connection: close and a JSON-RPC error, and admits again once one finishes', async () => {
    let shed = 0;
    const logged: Record<string, unknown>[] = [];
    const admission = new Admission({ maxConcurrentRequests: 2, onShed: () => (shed += 1), log: (line) => logged.push(line) });
    const peer = await heldServer(admission);
    server = peer.server;
    const first = peer.send('POST');
    peer.send('POST');
    await peer.whenHeld(2);
    expect(admission.inFlight).toBe(2);

    const refused = await peer.send('POST').answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['connection']).toBe('close');
    expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: RpcCode.Overloaded, data: { reason: 'proxy.overloaded' } } });
    expect(shed).toBe(1);
    expect(logged).toEqual([expect.objectContaining({ level: 'warn', refused: 1, maxConcurrentRequests: 2 })]);
    expect(admission.inFlight).toBe(2);

    peer.held[0]!.writeHead(200).end('done');
    expect((await first.answer).status).toBe(200);
    await expect.poll(() => admission.inFlight).toBe(1);
    peer.send('POST');
    await peer.whenHeld(3);
    expect(admission.inFlight).toBe(2);
  });

  it('frees the place of a request whose client went away, and never counts GET streams or DELETEs', async () => {
    const admission = new Admission({ maxConcurrentRequests: 1 });
    const peer = await heldServer(admission);
    server = peer.server;
    const gone = peer.send('POST');
    await peer.whenHeld(1);
    peer.send('GET');
    peer.send('DELETE');
    await peer.whenHeld(3);
    expect(admission.inFlight).toBe(1);

    gone.req.destroy();
    await expect.poll(() => admission.inFlight).toBe(0);
    peer.send('POST');
    await peer.whenHeld(4);
    expect(admission.inFlight).toBe(1);
  });

  it('warns at most once per interval, with how many it refused since the last warning', async () => {
    const logged: Record<string, unknown>[] = [];
    const admission = new Admission({ maxConcurrentRequests: 1, warnEveryMs: 60_000, log: (line) => logged.push(line) });
    const peer = await heldServer(admission);
    server = peer.server;
    peer.send('POST');
    await peer.whenHeld(1);
    const refused = await Promise.all([1, 2, 3].map(() => peer.send('POST').answer));
    expect(refused.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(logged).toHaveLength(1);
  });
});
