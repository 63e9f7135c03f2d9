/**
 * A bare Node HTTP pass-through (a benchmark child): method, path, headers and body piped to the
 * upstream over a keep-alive agent, the answer piped back. No MCP logic at all, so what it adds is
 * the floor of any Node hop on this machine.
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import { readInput, serveUntilParentExits } from './child-io.js';

export interface PassThroughInput {
  readonly upstreamUrl: string;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
};

const input = await readInput<PassThroughInput>();
const upstream = new URL(input.upstreamUrl);
const agent = new Agent({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: 256 });

const server = createServer((req, res) => {
  const forwarded = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...endToEnd(req.headers), host: upstream.host }, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('upstream unavailable');
  });
  req.pipe(forwarded);
});
await serveUntilParentExits(server, () => agent.destroy());
