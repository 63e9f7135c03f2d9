/**
 * The cheapest correct Streamable HTTP MCP server (a benchmark child): `initialize` answers JSON
 * with a new Mcp-Session-Id, notifications get 202, `tools/list` lists one tool `echo`, and
 * `tools/call echo` answers JSON. Always application/json, never SSE, so what the proxy adds
 * dominates whatever is measured through it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readInput, serveUntilParentExits } from './child-io.js';

export interface EchoUpstreamInput {
  /** Sessions remembered at most (oldest forgotten first), so a long run stays bounded. */
  readonly maxSessions?: number;
}

type Id = string | number;
interface Message {
  readonly id?: Id;
  readonly method?: string;
  readonly params?: { readonly protocolVersion?: unknown; readonly name?: unknown; readonly arguments?: { readonly text?: unknown } };
}

const ECHO_TOOL = {
  name: 'echo',
  description: 'Returns its text argument',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

const input = await readInput<EchoUpstreamInput>();
const maxSessions = input.maxSessions ?? 200_000;
const sessions = new Set<string>();

const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};
const result = (id: Id, value: unknown) => ({ jsonrpc: '2.0', id, result: value });
const error = (id: Id | null, code: number, message: string) => ({ jsonrpc: '2.0', id, error: { code, message } });

const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
  let message: Message;
  try {
    message = JSON.parse(raw) as Message;
  } catch {
    return send(res, 400, error(null, -32_700, 'Parse error'));
  }
  if (message.method === 'initialize' && message.id !== undefined) {
    const sessionId = randomUUID();
    sessions.add(sessionId);
    if (sessions.size > maxSessions) sessions.delete(sessions.values().next().value!);
    const requested = message.params?.protocolVersion;
    return send(
      res,
      200,
      result(message.id, { protocolVersion: typeof requested === 'string' ? requested : '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'bench-echo', version: '1.0.0' } }),
      { 'mcp-session-id': sessionId },
    );
  }
  const sessionId = req.headers['mcp-session-id'];
  if (typeof sessionId !== 'string') return send(res, 400, error(null, -32_000, 'Bad Request: Mcp-Session-Id header is required'));
  if (!sessions.has(sessionId)) return send(res, 404, error(null, -32_001, 'Session not found'));
  if (message.id === undefined) return send(res, 202);
  switch (message.method) {
    case 'tools/call': {
      if (message.params?.name !== 'echo') return send(res, 200, error(message.id, -32_602, `Unknown tool: ${String(message.params?.name)}`));
      return send(res, 200, result(message.id, { content: [{ type: 'text', text: String(message.params.arguments?.text ?? '') }] }));
    }
    case 'tools/list':
      return send(res, 200, result(message.id, { tools: [ECHO_TOOL] }));
    case 'ping':
      return send(res, 200, result(message.id, {}));
    default:
      return send(res, 200, error(message.id, -32_601, `Method not found: ${String(message.method)}`));
  }
};

const server = createServer((req, res) => {
  if (req.method === 'DELETE') {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') sessions.delete(sessionId);
    req.resume();
    return send(res, 200);
  }
  if (req.method !== 'POST') {
    req.resume();
    return send(res, 405, undefined, { allow: 'POST, DELETE' });
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
});
await serveUntilParentExits(server);
