/** The stable codes the GraphQL API puts in `extensions.code` (control-plane/src/api/errors). */
export type ApiErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL' | 'NETWORK';

export interface FieldIssue {
  /** Path into the operation's input, e.g. `['config', 'connection', 'endpoints', 0, 'url']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

interface WireError {
  message?: string;
  extensions?: { code?: string; reason?: string; issues?: { path?: unknown[]; message?: string }[] };
}

const KNOWN: readonly string[] = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL'];

/** A refused or failed API call, typed by the API's stable code; never carries a stack trace. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly reason: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromWire(error: WireError): ApiError {
    const code = error.extensions?.code;
    const issues = (error.extensions?.issues ?? []).map((i) => ({
      path: (i.path ?? []).filter((p): p is string | number => typeof p === 'string' || typeof p === 'number'),
      message: i.message ?? 'invalid',
    }));
    return new ApiError(code && KNOWN.includes(code) ? (code as ApiErrorCode) : 'INTERNAL', error.extensions?.reason ?? 'unknown', error.message ?? 'the request failed', issues);
  }

  /** The issue for one input field, matched by the last name in its path (numbers are list positions). */
  issueFor(field: string): string | undefined {
    return this.issues.find((i) => i.path.map(String).join('.').endsWith(field))?.message;
  }
}

/** What a person should do next, per code: shown under every error message. */
export const nextStep = (error: ApiError): string => {
  switch (error.code) {
    case 'VALIDATION':
      return 'Correct the highlighted fields and try again.';
    case 'NOT_FOUND':
      return 'It may have been removed meanwhile: go back to the list and reload.';
    case 'CONFLICT':
      return 'Someone changed this at the same time, or the name is taken: reload and try again.';
    case 'FORBIDDEN':
      return 'Your roles do not allow this. Ask a tenant admin for the permission named above.';
    case 'UNAUTHENTICATED':
      return 'Your session ended: sign in again.';
    case 'RATE_LIMITED':
      return 'Too many requests: wait a moment and try again.';
    case 'NETWORK':
    case 'UNAVAILABLE':
      return 'The control plane did not answer: check that it is running, then retry.';
    case 'INTERNAL':
      return 'The control plane failed unexpectedly: retry, and report it if it persists.';
  }
};
