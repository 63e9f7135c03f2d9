/**
 * JSON-RPC 2.0 as MCP uses it, kept loose on purpose: the proxy forwards messages it does not
 * fully understand, so it checks only the envelope and leaves params and results to the peers.
 */
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}
export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: Record<string, unknown>;
}
export interface JsonRpcResult {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly result: Record<string, unknown>;
}
export interface JsonRpcErrorResponse {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId | null;
  readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
}
export type JsonRpcResponse = JsonRpcResult | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Standard codes, MCP's own, and the gateway's (documented in the proxy README). */
export const RpcCode = {
  ParseError: -32_700,
  InvalidRequest: -32_600,
  MethodNotFound: -32_601,
  InvalidParams: -32_602,
  InternalError: -32_603,
  /** MCP: resource not found. */
  ResourceNotFound: -32_002,
  /** Gateway: the caller may not do this (key scope, policy rule); data carries the reason. */
  Forbidden: -32_003,
  /** Gateway: no healthy upstream could take the request. */
  UpstreamUnavailable: -32_004,
  /** Gateway: this replica has as many requests in progress as it takes (HTTP 503, Retry-After); try again or elsewhere. */
  Overloaded: -32_005,
  /** Gateway: a rate limit or budget is exhausted; data carries limit id and retryAfterMs. */
  LimitExceeded: -32_029,
  /** Gateway: the audit record could not be written and the tenant's policy is fail-closed. */
  AuditUnavailable: -32_030,
} as const;

export const isRequest = (m: JsonRpcMessage): m is JsonRpcRequest => 'method' in m && 'id' in m && m.id !== undefined && m.id !== null;
export const isNotification = (m: JsonRpcMessage): m is JsonRpcNotification => 'method' in m && !('id' in m && m.id !== undefined && m.id !== null);
export const isResponse = (m: JsonRpcMessage): m is JsonRpcResponse => !('method' in m) && ('result' in m || 'error' in m);

export const rpcError = (id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcErrorResponse => ({
  jsonrpc: '2.0',
  id,
  error: data === undefined ? { code, message } : { code, message, data },
});
export const rpcResult = (id: JsonRpcId, result: Record<string, unknown>): JsonRpcResult => ({ jsonrpc: '2.0', id, result });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is JsonRpcId => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** Checks one decoded value is a JSON-RPC 2.0 message; the error names what is wrong. */
export const toMessage = (value: unknown): { ok: true; message: JsonRpcMessage } | { ok: false; id: JsonRpcId | null; error: string } => {
  if (!isRecord(value)) return { ok: false, id: null, error: 'a JSON-RPC message must be an object' };
  const id = isId(value['id']) ? value['id'] : null;
  if (value['jsonrpc'] !== '2.0') return { ok: false, id, error: 'jsonrpc must be "2.0"' };
  if ('method' in value) {
    if (typeof value['method'] !== 'string' || !value['method']) return { ok: false, id, error: 'method must be a non-empty string' };
    if ('params' in value && value['params'] !== undefined && !isRecord(value['params'])) return { ok: false, id, error: 'params must be an object' };
    if ('id' in value && value['id'] !== null && !isId(value['id'])) return { ok: false, id: null, error: 'id must be a string or a number' };
    return { ok: true, message: value as unknown as JsonRpcMessage };
  }
  if (!isId(value['id']) && value['id'] !== null) return { ok: false, id: null, error: 'a response needs an id' };
  if ('result' in value ? !isRecord(value['result']) : !isRecord(value['error'])) return { ok: false, id, error: 'a response needs a result object or an error object' };
  if (!('result' in value)) {
    const error = value['error'] as Record<string, unknown>;
    if (typeof error['code'] !== 'number' || !Number.isInteger(error['code']) || typeof error['message'] !== 'string') return { ok: false, id, error: 'an error needs an integer code and a message' };
  }
  return { ok: true, message: value as unknown as JsonRpcMessage };
};

/** JSON nested deeper than this is refused before anything walks it (serializing, hashing, forwarding). */
export const MAX_JSON_DEPTH = 128;

/** Depth of a decoded JSON value, counted without recursion (a hostile document cannot overflow the stack). */
export const exceedsDepth = (value: unknown, limit = MAX_JSON_DEPTH): boolean => {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
};

/**
 * Server→client requests from several upstreams share one client-facing id space, so their ids
 * are rewritten to `mcpg.<upstream index>.<n|s>.<original>` and restored (value and type) when the
 * client answers. Any replica can restore them: the mapping is in the id itself.
 */
export const wrapServerRequestId = (upstreamIndex: number, id: JsonRpcId): string => `mcpg.${upstreamIndex}.${typeof id === 'number' ? 'n' : 's'}.${id}`;

export const unwrapServerRequestId = (id: JsonRpcId | null): { upstreamIndex: number; id: JsonRpcId } | undefined => {
  if (typeof id !== 'string') return undefined;
  const match = /^mcpg\.(\d{1,3})\.([ns])\.(.*)$/s.exec(id);
  if (!match) return undefined;
  const original = match[3]!;
  if (match[2] === 'n') {
    const n = Number(original);
    return Number.isFinite(n) ? { upstreamIndex: Number(match[1]), id: n } : undefined;
  }
  return { upstreamIndex: Number(match[1]), id: original };
};
