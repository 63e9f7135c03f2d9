import type { JsonRpcMessage } from './jsonrpc.js';

/**
 * Where the gateway writes its answer to one agent HTTP request. It answers with a single JSON
 * body when it has only the response to give, or opens an SSE stream as soon as there is more
 * (progress, logging, server→client requests). The HTTP layer implements it.
 */
export interface ClientChannel {
  /** Answers with one JSON body; only before anything was streamed. */
  json(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
  /** Sends a message on the SSE stream, opening the stream with the first one. */
  event(message: JsonRpcMessage, eventId?: string): void;
  /** Sends an SSE comment (keeps idle streams open through intermediaries). */
  comment(text: string): void;
  end(): void;
  /** Something was sent already, so the status can no longer change. */
  readonly started: boolean;
  /** Aborted when the agent goes away. */
  readonly signal: AbortSignal;
}
