import type { ServerResponse } from 'node:http';
import { rpcError } from '../mcp/jsonrpc.js';

/** A request refused before MCP handling: HTTP status, JSON-RPC code, stable reason, message. */
export type Failure = { readonly status: number; readonly code: number; readonly reason: string; readonly message: string; readonly headers?: Record<string, string> };

/** Answers with the failure as a JSON-RPC error body (data.reason carries the stable reason). */
export const fail = (res: ServerResponse, failure: Failure, id: string | number | null = null): void => {
  const body = JSON.stringify(rpcError(id, failure.code, failure.message, { reason: failure.reason }));
  res.writeHead(failure.status, { ...failure.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
