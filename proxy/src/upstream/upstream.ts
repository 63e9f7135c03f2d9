import type { HttpEndpoint, StdioEndpoint } from '@mcpgate/contracts';
import type { JsonRpcMessage } from '../mcp/jsonrpc.js';

/** Where one message to an upstream goes: the endpoint, the upstream's session, and credentials. */
export interface UpstreamTarget {
  readonly serverId: string;
  readonly endpointId: string;
  /** The endpoint as the tenant's snapshot describes it: a URL, or the command of a stdio child. */
  readonly endpoint: HttpEndpoint | StdioEndpoint;
  /** Upstream session id, once the upstream issued one. */
  readonly sessionId?: string;
  readonly protocolVersion?: string;
  /** Credential headers (HTTP) injected per call; never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Credential environment (stdio children); never logged. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How the agent initialized the session, so a transport that must start the upstream afresh
   * (a stdio child on another replica, or after a restart) can initialize it the same way.
   */
  readonly initialize?: Readonly<Record<string, unknown>>;
  /** The agent session this target belongs to: stdio children are per agent session. */
  readonly agentSessionId: string;
  readonly timeoutMs: number;
  readonly traceparent?: string;
}

/** Receives each message an upstream sends for one exchange, with its SSE event id if it had one. */
export type UpstreamSink = (message: JsonRpcMessage, eventId?: string) => void;

export type PostOutcome =
  | { readonly kind: 'ok'; readonly sessionId?: string; readonly answered: boolean }
  /** The upstream does not know the session (expired, deleted, upstream restarted): HTTP 404. */
  | { readonly kind: 'session-gone' }
  /** Connection refused, timeout, 5xx: another endpoint may do better. */
  | { readonly kind: 'unavailable'; readonly message: string; readonly cause?: unknown }
  /** The upstream refused the message itself (4xx other than 404): not worth retrying elsewhere. */
  | { readonly kind: 'rejected'; readonly status: number; readonly message: string };

/**
 * One upstream transport (Streamable HTTP, legacy SSE, stdio). The gateway speaks to all of them
 * through this, message by message; none of them keeps state about agent sessions beyond what the
 * transport itself needs (stdio children).
 */
export interface UpstreamTransport {
  /**
   * Sends one message. For a request, every message the upstream sends about it (progress,
   * logging, server→client requests, finally the response) reaches `sink` before this resolves.
   */
  post(target: UpstreamTarget, message: JsonRpcMessage, sink: UpstreamSink, signal?: AbortSignal): Promise<PostOutcome>;
  /** Follows the upstream's standalone stream (server-initiated messages) until `signal` aborts or it ends. */
  listen(target: UpstreamTarget, lastEventId: string | undefined, sink: UpstreamSink, signal: AbortSignal): Promise<PostOutcome>;
  /** Ends the upstream session (HTTP DELETE; stdio: stop the child). */
  terminate(target: UpstreamTarget): Promise<void>;
  close(): Promise<void>;
}
