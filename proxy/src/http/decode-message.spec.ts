import { describe, expect, it } from 'vitest';
import { decodeAgentBody, decodeAgentMessage, MAX_BATCH_MESSAGES } from './decode-message.js';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe(decodeAgentBody.name, () => {
  it('decodes one message as decodeAgentMessage does', () => {
    const ping = body({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(decodeAgentBody(ping)).toEqual(decodeAgentMessage(ping));
    expect(decodeAgentBody(body('{"jsonrpc":'))).toMatchObject({ ok: false, failure: { status: 400, reason: 'mcp.parse_error' } });
  });

  it('decodes a batch element by element: a bad element is reported in its place, with its id when it has one', () => {
    const decoded = decodeAgentBody(body([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '1.0', id: 2, method: 'ping' }, 7, { jsonrpc: '2.0', method: 'notifications/initialized' }]));
    expect(decoded).toEqual({
      ok: true,
      batch: [
        { ok: true, message: { jsonrpc: '2.0', id: 1, method: 'ping' } },
        { ok: false, id: 2, error: 'jsonrpc must be "2.0"' },
        { ok: false, id: null, error: 'a JSON-RPC message must be an object' },
        { ok: true, message: { jsonrpc: '2.0', method: 'notifications/initialized' } },
      ],
    });
  });

  it('refuses an empty batch, one over the limit and one nested too deep, whole', () => {
    expect(decodeAgentBody(body([]))).toMatchObject({ ok: false, failure: { status: 400, reason: 'mcp.invalid_message' } });
    const many = Array.from({ length: MAX_BATCH_MESSAGES + 1 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }));
    expect(decodeAgentBody(body(many))).toMatchObject({ ok: false, failure: { status: 400, reason: 'mcp.batch_too_large' } });
    expect(decodeAgentBody(body(many.slice(0, MAX_BATCH_MESSAGES)))).toMatchObject({ ok: true });
    expect(decodeAgentBody(body(`[${'['.repeat(200)}${']'.repeat(200)}]`))).toMatchObject({ ok: false, failure: { reason: 'mcp.too_deep' } });
  });
});
