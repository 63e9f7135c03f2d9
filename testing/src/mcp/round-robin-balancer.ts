import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StartedRoundRobinBalancer {
  /** Base URL of the balancer, e.g. `http://127.0.0.1:41234` (append the targets' path). */
  url: string;
  /** Destroys every open connection (client and upstream side) and stops listening. */
  close(): Promise<void>;
  /** Requests routed to each target so far, in the order of `targets`. */
  hits(): number[];
}

/**
 * A plain HTTP/1.1 reverse proxy on 127.0.0.1 that sends each request (not each connection) to the
 * next target in turn, with no stickiness of any kind: two requests on one keep-alive connection,
 * or two requests of one MCP session, go to different targets. It stands in front of proxy
 * replicas in tests.
 *
 * Request and response pass through as they are: method, path, every header including Host (raw,
 * in order, duplicates kept) and bodies streamed both ways, so SSE flows unbuffered and long-lived
 * GET streams stay open. A target that cannot be reached is answered 502 with no retry elsewhere;
 * whether to retry is the test's decision.
 */
export async function startRoundRobinBalancer(targets: string[]): Promise<StartedRoundRobinBalancer> {
  if (targets.length === 0) throw new Error('startRoundRobinBalancer needs at least one target');
  const upstreams = targets.map((target) => {
    const url = new URL(target);
    if (url.protocol !== 'http:') throw new Error(`round-robin balancer target must be http: ${target}`);
    return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), basePath: url.pathname.replace(/\/+$/, '') };
  });
  const hits = targets.map(() => 0);
  let next = 0;
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const index = next;
    next = (next + 1) % upstreams.length;
    hits[index] = (hits[index] ?? 0) + 1;
    const upstream = upstreams[index];
    if (!upstream) throw new Error(`no upstream ${index}`);

    const upstreamRequest = httpRequest({
      agent,
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: `${upstream.basePath}${req.url ?? '/'}`,
      // raw headers go out exactly as they came in, Host included
      headers: req.rawHeaders,
    });

    upstreamRequest.on('response', (upstreamResponse) => {
      res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, upstreamResponse.rawHeaders);
      // an SSE stream's first bytes must not wait for a body chunk
      res.flushHeaders();
      upstreamResponse.pipe(res);
      // the target cut the response short: cut the client's short too, so it sees a broken stream
      upstreamResponse.on('error', () => res.destroy());
      upstreamResponse.on('close', () => {
        if (!upstreamResponse.complete) res.destroy();
      });
    });
    upstreamRequest.on('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      const body = `bad gateway: target ${targets[index]} failed: ${error.message}\n`;
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    // the client went away (closed its SSE stream, or aborted): end the upstream exchange too
    res.on('close', () => {
      if (!res.writableFinished) upstreamRequest.destroy();
    });
    res.on('error', () => upstreamRequest.destroy());
    req.on('error', () => upstreamRequest.destroy());
    req.pipe(upstreamRequest);
  };

  const server = createServer(forward);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => [...hits],
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await closed;
    },
  };
}
