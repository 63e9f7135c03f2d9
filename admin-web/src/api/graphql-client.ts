import type { TypedDocumentString } from '../generated/gql/graphql';
import { ApiError } from './api-error';

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called whenever the API answers UNAUTHENTICATED (an expired or ended session). */
export const onUnauthenticated = (listener: Listener): (() => void) => {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
};

/**
 * Runs one typed operation against /graphql with the session cookie. JSON content type: Apollo's
 * CSRF prevention refuses simple (form-like) requests, so cross-site forms cannot mutate.
 */
export const request = async <TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]): Promise<TResult> => {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK', 'network.unreachable', 'the control plane could not be reached');
  }
  let body: { data?: TResult | null; errors?: Parameters<typeof ApiError.fromWire>[0][] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(response.status === 413 ? 'VALIDATION' : 'UNAVAILABLE', `http.${response.status}`, `the control plane answered HTTP ${response.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const error = ApiError.fromWire(first);
    if (error.code === 'UNAUTHENTICATED') for (const listener of unauthenticatedListeners) listener(error);
    throw error;
  }
  if (!body.data) throw new ApiError('INTERNAL', 'graphql.no_data', 'the control plane answered without data');
  return body.data;
};
