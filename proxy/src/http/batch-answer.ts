import type { ServerResponse } from 'node:http';
import type { ClientChannel } from '../mcp/client-channel.js';
import { rpcError, RpcCode, type JsonRpcMessage } from '../mcp/jsonrpc.js';
import type { BatchItem } from './decode-message.js';
import { HttpClientChannel } from './http-client-channel.js';

/**
 * The answer to a JSON-RPC batch (revision 2025-03-26) on one HTTP response. Every message of the
 * batch is handled as if it had come alone, each with a channel of its own; their answers are
 * gathered into one JSON array (200), or 202 when the batch held only notifications and responses.
 * As soon as one of them has more to say than its answer (progress, logging, a request to the
 * client), the whole answer becomes an SSE stream: what was gathered goes first, then every
 * message as it comes, and the stream ends when the last message is done.
 */
export class BatchAnswer {
  private readonly out: HttpClientChannel;
  private readonly gathered: JsonRpcMessage[] = [];
  private streaming = false;
  private pending = 0;
  private finished = false;

  constructor(res: ServerResponse) {
    this.out = new HttpClientChannel(res);
  }

  /**
   * Handles every item with `handle` (concurrently, as JSON-RPC allows) and resolves once the
   * answer is complete. An element that is not a message, or an `initialize` (which must not be
   * batched), is answered with its own error inside the batch.
   */
  async run(items: readonly BatchItem[], handle: (message: JsonRpcMessage, channel: ClientChannel) => Promise<void>): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.onFinished = resolve;
    });
    // an agent that went away gets no answer: stop waiting for members whose work was aborted
    this.out.signal.addEventListener('abort', () => {
      this.finished = true;
      this.onFinished();
    }, { once: true });
    this.pending = items.length;
    for (const item of items) {
      if (!item.ok) {
        this.answer(rpcError(item.id, RpcCode.InvalidRequest, `Invalid Request: ${item.error}`, { reason: 'mcp.invalid_message' }));
        this.settle();
        continue;
      }
      const { message } = item;
      if ('method' in message && message.method === 'initialize') {
        if ('id' in message && message.id !== undefined && message.id !== null) {
          this.answer(rpcError(message.id, RpcCode.InvalidRequest, 'Invalid Request: initialize must not be part of a batch', { reason: 'mcp.initialize_in_batch' }));
        }
        this.settle();
        continue;
      }
      const channel = new BatchMemberChannel(this);
      handle(message, channel).catch(() => channel.end());
    }
    await done;
  }

  private onFinished: () => void = () => {};

  get signal(): AbortSignal {
    return this.out.signal;
  }

  /** A member's answer: gathered while the answer is JSON, sent at once once it streams. */
  answer(message: JsonRpcMessage): void {
    if (this.streaming) this.out.event(message);
    else this.gathered.push(message);
  }

  /** A member has more to say: the answer becomes a stream (what was gathered goes first). */
  stream(message: JsonRpcMessage, eventId?: string): void {
    if (!this.streaming) {
      this.streaming = true;
      for (const gathered of this.gathered.splice(0)) this.out.event(gathered);
    }
    this.out.event(message, eventId);
  }

  comment(text: string): void {
    if (this.streaming) this.out.comment(text);
  }

  /** One member is done; the last one completes the answer. */
  settle(): void {
    if (--this.pending > 0 || this.finished) return;
    this.finished = true;
    if (this.streaming) this.out.end();
    else if (this.gathered.length) this.out.json(200, this.gathered);
    else this.out.json(202, undefined);
    this.onFinished();
  }
}

/** What the gateway answers one member of a batch through: the ClientChannel contract, per member. */
class BatchMemberChannel implements ClientChannel {
  private state: 'fresh' | 'json' | 'stream' | 'ended' = 'fresh';

  constructor(private readonly batch: BatchAnswer) {}

  get started(): boolean {
    return this.state !== 'fresh';
  }

  get signal(): AbortSignal {
    return this.batch.signal;
  }

  json(_status: number, body: unknown): void {
    if (this.state !== 'fresh') throw new Error('the answer was already started');
    this.state = 'json';
    // inside a batch the HTTP status is the batch's; an error travels as its JSON-RPC error
    if (body !== undefined) this.batch.answer(body as JsonRpcMessage);
    this.batch.settle();
  }

  event(message: JsonRpcMessage, eventId?: string): void {
    if (this.state === 'json' || this.state === 'ended') return;
    this.state = 'stream';
    this.batch.stream(message, eventId);
  }

  comment(text: string): void {
    if (this.state === 'fresh' || this.state === 'stream') this.batch.comment(text);
  }

  end(): void {
    if (this.state === 'json' || this.state === 'ended') return;
    this.state = 'ended';
    this.batch.settle();
  }
}
