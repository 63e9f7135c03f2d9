import type { Failure } from './failure.js';
import { exceedsDepth, MAX_JSON_DEPTH, RpcCode, toMessage, type JsonRpcId, type JsonRpcMessage } from '../mcp/jsonrpc.js';

/** Nesting deeper than the limit needs more opening brackets than the limit: most bodies have far fewer, and counting bytes is cheaper than walking the parsed value. */
const mayNestTooDeep = (body: Buffer): boolean => {
  let open = 0;
  for (const byte of body) if ((byte === 0x7b || byte === 0x5b) && ++open > MAX_JSON_DEPTH) return true;
  return false;
};

export type DecodedMessage = { readonly ok: true; readonly message: JsonRpcMessage } | { readonly ok: false; readonly failure: Failure; readonly id: JsonRpcId | null };

/** One element of a batch: a message, or why it is not one (answered inside the batch, JSON-RPC 2.0). */
export type BatchItem = { readonly ok: true; readonly message: JsonRpcMessage } | { readonly ok: false; readonly id: JsonRpcId | null; readonly error: string };
export type DecodedBody = DecodedMessage | { readonly ok: true; readonly batch: readonly BatchItem[] };

/** Messages one batch may hold (the MCP SDK's limit too). */
export const MAX_BATCH_MESSAGES = 100;

/** The refusal of a batch outside revision 2025-03-26 (batches were removed from the protocol in 2025-06-18). */
export const BATCHES_REFUSED: Failure = {
  status: 400,
  code: RpcCode.InvalidRequest,
  reason: 'mcp.batch_not_supported',
  message: 'Invalid Request: JSON-RPC batches are part of protocol revision 2025-03-26 only; send one message per request',
};

/**
 * An agent's request body as one JSON-RPC message, or the failure to answer with: not JSON
 * (-32700), a batch when refused, nested too deep for anything to walk, not JSON-RPC 2.0 (-32600).
 * Every agent transport decodes its bodies here, so they refuse the same things the same way.
 */
export const decodeAgentMessage = (body: Buffer, options: { readonly refuseBatches?: boolean } = {}): DecodedMessage => {
  const decoded = parseBody(body);
  if (decoded === PARSE_FAILED) return NOT_JSON;
  if (options.refuseBatches && Array.isArray(decoded)) return { ok: false, id: null, failure: BATCHES_REFUSED };
  return checkMessage(decoded, body);
};

const PARSE_FAILED = Symbol('not JSON');
const NOT_JSON: DecodedMessage = { ok: false, id: null, failure: { status: 400, code: RpcCode.ParseError, reason: 'mcp.parse_error', message: 'Parse error: the body is not valid JSON' } };
const TOO_DEEP: DecodedMessage = { ok: false, id: null, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.too_deep', message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } };

const parseBody = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return PARSE_FAILED;
  }
};

const checkMessage = (decoded: unknown, body: Buffer): DecodedMessage => {
  if (mayNestTooDeep(body) && exceedsDepth(decoded)) return TOO_DEEP;
  const checked = toMessage(decoded);
  if (!checked.ok) return { ok: false, id: checked.id, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.invalid_message', message: `Invalid Request: ${checked.error}` } };
  return { ok: true, message: checked.message };
};

/**
 * A Streamable HTTP POST body: one message, or a batch (an array of them, which revision
 * 2025-03-26 lets clients send and servers must accept). A batch is refused whole when it is empty,
 * too long or nested too deep; an element that is not a JSON-RPC message is answered on its own
 * inside the batch, as JSON-RPC 2.0 says.
 */
export const decodeAgentBody = (body: Buffer): DecodedBody => {
  const decoded = parseBody(body);
  if (decoded === PARSE_FAILED) return NOT_JSON;
  if (!Array.isArray(decoded)) return checkMessage(decoded, body);
  if (decoded.length === 0) return { ok: false, id: null, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.invalid_message', message: 'Invalid Request: an empty batch' } };
  if (decoded.length > MAX_BATCH_MESSAGES) {
    return { ok: false, id: null, failure: { status: 400, code: RpcCode.InvalidRequest, reason: 'mcp.batch_too_large', message: `Invalid Request: at most ${MAX_BATCH_MESSAGES} messages per batch` } };
  }
  if (mayNestTooDeep(body) && exceedsDepth(decoded)) return TOO_DEEP;
  return { ok: true, batch: decoded.map((element) => toMessage(element)) };
};
