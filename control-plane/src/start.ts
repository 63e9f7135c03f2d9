import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ControlPlaneConfig } from '@mcpgate/contracts';
import { openDatabase, type Database } from './infra/database/database.js';

export interface RunningControlPlane {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  readonly database: Database;
  close(): Promise<void>;
}

/** The port is taken or not ours to bind: a clear message instead of a stack trace. */
export class ListenError extends Error {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(
      cause.code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use; stop what runs there or set MCPGATE_API_PORT`
        : `cannot listen on ${host}:${port} (${cause.code ?? cause.message})`,
      { cause },
    );
    this.name = 'ListenError';
  }
}

const listen = (server: Server, host: string, port: number) =>
  new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new ListenError(host, port, error)));
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });

/**
 * Starts the control plane: opens (and migrates) its read-model database and serves its HTTP
 * endpoints. Today those are the health endpoints; the GraphQL API and console join them as they
 * are built.
 */
export const startControlPlane = async (config: ControlPlaneConfig): Promise<RunningControlPlane> => {
  if (config.database.kind === 'pglite') mkdirSync(config.database.dataDir, { recursive: true });
  const database = await openDatabase(config.database);
  const startedAt = new Date();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', database: database.target, startedAt: startedAt.toISOString() }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'NOT_FOUND', reason: 'http.not_found', message: `no route for ${req.method} ${path}` }));
  });
  let address: AddressInfo;
  try {
    address = await listen(server, config.api.host, config.api.port);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    database,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
};
