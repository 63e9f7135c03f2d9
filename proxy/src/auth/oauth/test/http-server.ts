/** Small real HTTP servers for tests: a handler on 127.0.0.1:0, and a port nobody listens on. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly origin: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse, origin: string) => void): Promise<TestServer> {
  const requests: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    handler(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** An origin whose port was just released: connections to it are refused. */
export async function closedOrigin(): Promise<string> {
  const server = await startServer((_req, res) => res.end());
  await server.close();
  return server.origin;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
