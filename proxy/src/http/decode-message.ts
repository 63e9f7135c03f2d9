import type { Failure } from './failure.js';
import { exceedsDepth, MAX_JSON_DEPTH, RpcCode, toMessage, type JsonRpcId, type JsonRpcMessage } from '../mcp/jsonrpc.js';

/** Nesting deeper than the limit needs more opening brackets than the limit: most bodies have far fewer, and counting bytes is cheaper than walking the parsed value. */
const mayNestTooDeep = (body: Buffer): boolean => {
  let open = 0;
  for (const byte of body) if ((byte === 0x7b || byte === 0x5b) && ++open > MAX_JSON_DEPTH) return true;
  return false;
};

export type DecodedMessage = { readonly ok: true; readonly message: JsonRpcMessage } | { readonly ok: false; readonly failure: Failure; readonly id: JsonRpcId | null };

/**
 * An agent's request body as one JSON-RPC message, or the failure to answer with: not JSON
 * (-32700), a batch when refused, nested too deep for anything to walk, not JSON-RPC 2.0 (-32600).
 * Every agent transport decodes its bodies here, so they refuse the same things the same way.
 */
export const decodeAgentMessage = (body: Buffer, options: { readonly refuseBatches?: boolean } = {}): DecodedMessage => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, id: null, failure: { status: 400, code: RpcCode.ParseError, reason: 'mcp.parse_error', message: 'Parse error: the body is not valid JSON' } };
  }
  if (options.refuseBatches && Array.isArray(decoded)) {
    return { ok: false, id: null, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.batch_not_supported', message: 'Invalid Request: JSON-RPC batches are not supported; send one message per request' } };
  }
  if (mayNestTooDeep(body) && exceedsDepth(decoded)) {
    return { ok: false, id: null, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.too_deep', message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } };
  }
  const checked = toMessage(decoded);
  if (!checked.ok) return { ok: false, id: checked.id, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.invalid_message', message: `Invalid Request: ${checked.error}` } };
  return { ok: true, message: checked.message };
};
