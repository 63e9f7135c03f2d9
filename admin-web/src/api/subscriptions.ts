import { createClient, type Client } from 'graphql-ws';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../generated/gql/graphql';
import { ApiError } from './api-error';

let shared: Client | undefined;
/** Whether the shared connection is open now (a subscription started on it is live at once). */
let connected = false;

/**
 * One graphql-ws connection for the whole console, opened on the first subscription and closed
 * when the last one ends (lazy). Same origin as the page: the browser sends the session cookie with
 * the upgrade request, which is how the control plane knows the caller.
 */
const client = (): Client => {
  if (!shared) {
    shared = createClient({
      url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
      lazy: true,
      retryAttempts: 5,
      shouldRetry: () => true,
    });
    shared.on('connected', () => (connected = true));
    shared.on('closed', () => (connected = false));
  }
  return shared;
};

export type SubscriptionStatus = 'off' | 'connecting' | 'live' | 'error';

/**
 * Follows a GraphQL subscription while `enabled`: every event goes to `onData`; the status says
 * whether the stream is live, and an error ends it (the caller offers `restart`, which subscribes
 * again on a fresh attempt).
 */
export const useApiSubscription = <TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  { enabled, onData }: { enabled: boolean; onData: (data: TResult) => void },
) => {
  const [status, setStatus] = useState<SubscriptionStatus>('off');
  const [error, setError] = useState<ApiError>();
  const [attempt, setAttempt] = useState(0);
  const restart = useCallback(() => setAttempt((n) => n + 1), []);
  const latestOnData = useRef(onData);
  latestOnData.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) {
      setStatus('off');
      return;
    }
    setError(undefined);
    const ws = client();
    // 'connected' fires when the connection opens: on one that is already open, this one is live now
    setStatus(connected ? 'live' : 'connecting');
    // a subscription ended by this effect's cleanup completes a moment later: it no longer speaks for the hook
    let current = true;
    const stopConnected = ws.on('connected', () => current && setStatus('live'));
    const unsubscribe = ws.subscribe<TResult>(
      { query: document.toString(), variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (message) => {
          if (!current) return;
          setStatus('live');
          const first = message.errors?.[0];
          if (first) {
            setError(ApiError.fromWire(first as Parameters<typeof ApiError.fromWire>[0]));
            setStatus('error');
            return;
          }
          if (message.data) latestOnData.current(message.data);
        },
        error: (cause) => {
          if (!current) return;
          const wire = Array.isArray(cause) ? (cause[0] as Parameters<typeof ApiError.fromWire>[0]) : undefined;
          setError(wire ? ApiError.fromWire(wire) : new ApiError('NETWORK', 'websocket.closed', 'the live connection to the control plane closed'));
          setStatus('error');
        },
        complete: () => current && setStatus((s) => (s === 'error' ? s : 'off')),
      },
    );
    return () => {
      current = false;
      stopConnected();
      unsubscribe();
    };
  }, [document, key, enabled, attempt]);
  return { status, error, restart };
};
