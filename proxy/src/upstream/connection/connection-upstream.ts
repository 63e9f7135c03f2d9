import { isNotification, isRequest, isResponse, type JsonRpcId, type JsonRpcMessage } from '../../mcp/jsonrpc.js';
import type { PostOutcome, UpstreamSink, UpstreamTarget, UpstreamTransport } from '../upstream.js';

/** One long-lived connection to an upstream (a stdio child, a legacy SSE stream) carrying every message of a session. */
export interface UpstreamConnection {
  readonly key: string;
  readonly alive: boolean;
  send(message: JsonRpcMessage): Promise<void>;
  onMessage(listener: (message: JsonRpcMessage) => void): () => void;
  onExit(listener: (info: { readonly reason: string }) => void): () => void;
}

/** Opens and supervises connections of one kind, bounded and stopped when idle. */
export interface Connector {
  open(key: string, target: UpstreamTarget): Promise<UpstreamConnection>;
  close(key: string): Promise<void>;
  touch(key: string): void;
  size(): number;
  closeAll(): Promise<void>;
}

/** A connection that could not be opened or initialized. */
export class ConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

/** Messages kept for a standalone stream that is not attached yet (a stdio child talks whenever it likes). */
const MAX_BUFFERED = 1_000;

/**
 * A request in flight on a connection. Its callbacks hold the whole call, so a finished one lets go
 * of them: a Map that once grew large keeps the entries deleted from it alive through every
 * scavenge until the next full GC (see ../../runtime/slot-list.ts).
 */
interface Pending {
  sink: UpstreamSink;
  readonly progressToken?: string | number;
  resolve: (outcome: PostOutcome) => void;
}

const FINISHED_SINK: UpstreamSink = () => {};
const FINISHED_RESOLVE = (): void => {};

/** What the transport knows about one connection beyond its connector: the handshake and who listens. */
interface ChildState {
  child: UpstreamConnection;
  initialized: Promise<void> | undefined;
  readonly pending: Map<JsonRpcId, Pending>;
  readonly listeners: Set<UpstreamSink>;
  readonly buffered: JsonRpcMessage[];
  readonly unsubscribe: (() => void)[];
}

/**
 * Upstreams reached over one long-lived connection per agent session and endpoint (stdio children,
 * legacy SSE streams), held by the replica that serves the session (its home). A connection missing
 * here (first use on this replica, idle stop, crash) is opened and initialized again the way the
 * agent initialized the session, so the agent sees one continuous session. Answers are matched to
 * requests by id; messages sent while nobody listens are buffered for the agent's GET stream.
 */
export class ConnectionUpstream implements UpstreamTransport {
  private readonly children = new Map<string, ChildState>();
  private internalIds = 0;

  constructor(
    private readonly pool: Connector,
    private readonly kind: string,
  ) {}

  private keyOf(target: UpstreamTarget): string {
    return `${target.agentSessionId}/${target.serverId}/${target.endpointId}`;
  }

  private async stateFor(target: UpstreamTarget, handshakeBy?: JsonRpcMessage): Promise<ChildState> {
    const key = this.keyOf(target);
    const existing = this.children.get(key);
    if (existing?.child.alive) return existing;
    const child = await this.pool.open(key, target);
    const state: ChildState = { child, initialized: undefined, pending: new Map(), listeners: new Set(), buffered: [], unsubscribe: [] };
    state.unsubscribe.push(child.onMessage((message) => this.dispatch(state, message)));
    state.unsubscribe.push(
      child.onExit((info) => {
        for (const pending of state.pending.values()) pending.resolve({ kind: 'unavailable', message: `${this.kind} upstream ${target.serverId} closed (${info.reason})` });
        state.pending.clear();
        for (const off of state.unsubscribe) off();
        if (this.children.get(key) === state) this.children.delete(key);
      }),
    );
    this.children.set(key, state);
    // a child started for anything but the session's own initialize is initialized first, as the agent did
    const isInitialize = handshakeBy && isRequest(handshakeBy) && handshakeBy.method === 'initialize';
    if (!isInitialize) state.initialized = this.handshake(state, target);
    return state;
  }

  private async handshake(state: ChildState, target: UpstreamTarget): Promise<void> {
    const id = `mcpg-s-${(this.internalIds += 1)}`;
    const answer = await this.exchange(state, { jsonrpc: '2.0', id, method: 'initialize', params: { ...target.initialize } }, () => {}, target.timeoutMs);
    if (answer.kind !== 'ok') throw new ConnectionError(`${this.kind} upstream ${target.serverId} did not initialize: ${answer.kind === 'unavailable' ? answer.message : answer.kind}`);
    await state.child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Routes a child's message: a pending request's answer or related progress, else the standalone stream. */
  private dispatch(state: ChildState, message: JsonRpcMessage): void {
    this.pool.touch(state.child.key);
    if (isResponse(message) && message.id !== null) {
      const pending = state.pending.get(message.id);
      if (pending) {
        state.pending.delete(message.id);
        pending.sink(message);
        pending.resolve({ kind: 'ok', answered: true });
        return;
      }
    }
    if (isNotification(message) && message.method === 'notifications/progress') {
      const token = message.params?.['progressToken'];
      for (const pending of state.pending.values()) {
        if (pending.progressToken !== undefined && pending.progressToken === token) return pending.sink(message);
      }
    }
    // server→client requests and notifications during exactly one call belong to that call's stream
    if (state.pending.size === 1 && (isRequest(message) || isNotification(message))) {
      const only = state.pending.values().next().value!;
      return only.sink(message);
    }
    if (state.listeners.size) {
      for (const listener of state.listeners) listener(message);
      return;
    }
    state.buffered.push(message);
    if (state.buffered.length > MAX_BUFFERED) state.buffered.shift();
  }

  private exchange(state: ChildState, request: JsonRpcMessage & { id: JsonRpcId }, sink: UpstreamSink, timeoutMs: number, signal?: AbortSignal): Promise<PostOutcome> {
    return new Promise<PostOutcome>((resolve) => {
      const meta = (request as { params?: { _meta?: { progressToken?: string | number } } }).params?._meta;
      let settled = false;
      const finish = (outcome: PostOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        state.pending.delete(request.id);
        pending.sink = FINISHED_SINK;
        pending.resolve = FINISHED_RESOLVE;
        resolve(outcome);
      };
      const pending: Pending = { sink, ...(meta?.progressToken !== undefined ? { progressToken: meta.progressToken } : {}), resolve: finish };
      const timer = setTimeout(() => finish({ kind: 'unavailable', message: `${this.kind} upstream did not answer within ${timeoutMs} ms` }), timeoutMs);
      const onAbort = () => finish({ kind: 'ok', answered: false });
      signal?.addEventListener('abort', onAbort, { once: true });
      state.pending.set(request.id, pending);
      state.child.send(request).catch((error: unknown) => finish({ kind: 'unavailable', message: error instanceof Error ? error.message : String(error) }));
    });
  }

  async post(target: UpstreamTarget, message: JsonRpcMessage, sink: UpstreamSink, signal?: AbortSignal): Promise<PostOutcome> {
    let state: ChildState;
    try {
      state = await this.stateFor(target, message);
      await state.initialized;
    } catch (error) {
      return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), cause: error };
    }
    this.pool.touch(state.child.key);
    if (isRequest(message)) return this.exchange(state, message, sink, target.timeoutMs, signal);
    try {
      await state.child.send(message);
      return { kind: 'ok', answered: false };
    } catch (error) {
      return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), cause: error };
    }
  }

  async listen(target: UpstreamTarget, _lastEventId: string | undefined, sink: UpstreamSink, signal: AbortSignal): Promise<PostOutcome> {
    let state: ChildState;
    try {
      state = await this.stateFor(target);
      await state.initialized;
    } catch (error) {
      return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), cause: error };
    }
    for (const message of state.buffered.splice(0)) sink(message);
    state.listeners.add(sink);
    await new Promise<void>((resolve) => {
      const done = () => {
        state.listeners.delete(sink);
        offExit();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const offExit = state.child.onExit(done);
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
    return { kind: 'ok', answered: false };
  }

  /** Connections (stdio children, SSE streams) this replica holds now. */
  get size(): number {
    return this.pool.size();
  }

  async terminate(target: UpstreamTarget): Promise<void> {
    const key = this.keyOf(target);
    this.children.delete(key);
    await this.pool.close(key);
  }

  async close(): Promise<void> {
    this.children.clear();
    await this.pool.closeAll();
  }
}
