import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A handler sees the whole request body and returns the answer. */
export type HttpHandler = (request: IncomingMessage, body: Buffer) => HttpAnswer;

/**
 * A local HTTP receiver that can go down and come back on the same port (a killed SIEM endpoint):
 * `down()` closes the listener and cuts every open connection, `up()` listens again.
 */
export class RestartableHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** Requests the handler answered, in arrival order. */
  readonly answered: { path: string; status: number }[] = [];

  constructor(
    private readonly handler: HttpHandler,
    private readonly maxBodyBytes = 50 * 1024 * 1024,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      let answer: HttpAnswer;
      try {
        answer = this.handler(req, Buffer.concat(chunks));
      } catch (error) {
        answer = { status: 500, body: { error: (error as Error).message } };
      }
      this.answered.push({ path: req.url ?? '', status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  }
}
