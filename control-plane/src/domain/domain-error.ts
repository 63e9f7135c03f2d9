import type { ErrorCode } from '@mcpgate/contracts';

/**
 * A command was refused. `reason` is stable and dotted (`upstream_server.name_taken`); `message`
 * is for people and never contains a secret. Each transport maps `code` once (GraphQL, HTTP).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('NOT_FOUND', `${what.replaceAll('-', '_')}.not_found`, `${what} ${id} does not exist`, { id });

export const conflict = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('CONFLICT', reason, message, details);

export const invalid = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('VALIDATION', reason, message, details);
