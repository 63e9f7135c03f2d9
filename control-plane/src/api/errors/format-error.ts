import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '@mcpgate/contracts';
import { ZodError } from 'zod';
import { DomainError } from '../../domain/domain-error.js';
import { CryptoError } from '../../infra/crypto/crypto-error.js';
import { IssuerDiscoveryError } from '../../infra/oidc/issuer-discovery.js';

/** Apollo's own codes for requests that never reached a resolver, mapped to ours. */
const APOLLO_CODES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'VALIDATION',
  GRAPHQL_VALIDATION_FAILED: 'VALIDATION',
  BAD_USER_INPUT: 'VALIDATION',
  BAD_REQUEST: 'VALIDATION',
  PERSISTED_QUERY_NOT_FOUND: 'VALIDATION',
  OPERATION_RESOLUTION_FAILURE: 'VALIDATION',
};

/**
 * The one mapping from internal errors to GraphQL errors: a stable `extensions.code` (VALIDATION,
 * NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHENTICATED, RATE_LIMITED, UNAVAILABLE, INTERNAL), a `reason`,
 * field-level `issues` for validation; never a stack trace, never an internal message.
 */
export const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, reason: original.reason, ...original.details } };
  }
  if (original instanceof IssuerDiscoveryError) {
    return { ...base, message: original.message, extensions: { code: original.code, reason: original.reason } };
  }
  if (original instanceof GraphQLError && (ERROR_CODES as readonly unknown[]).includes(original.extensions['code'])) {
    return { ...base, message: original.message, extensions: original.extensions };
  }
  if (original instanceof ZodError) {
    return {
      ...base,
      message: 'the input is not valid',
      extensions: { code: 'VALIDATION', reason: 'input.invalid', issues: original.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    };
  }
  const apolloCode = typeof formatted.extensions?.['code'] === 'string' ? formatted.extensions['code'] : undefined;
  if (apolloCode && APOLLO_CODES[apolloCode]) {
    const ownReason = formatted.extensions?.['reason'];
    return { ...base, extensions: { code: APOLLO_CODES[apolloCode], reason: typeof ownReason === 'string' ? ownReason : `graphql.${apolloCode.toLowerCase()}` } };
  }
  if (original instanceof CryptoError) return { ...base, message: 'a cryptographic operation failed', extensions: { code: 'INTERNAL', reason: original.reason } };
  console.error(JSON.stringify({ level: 'error', source: 'graphql', message: 'unexpected resolver error', error: original instanceof Error ? original.message : String(original), path: formatted.path }));
  return { ...base, message: 'internal error', extensions: { code: 'INTERNAL', reason: 'internal.unexpected' } };
};

/** A DomainError as a GraphQLError, for paths that do not go through formatError (subscriptions). */
export const toGraphqlError = (error: DomainError): GraphQLError =>
  new GraphQLError(error.message, { extensions: { code: error.code, reason: error.reason, ...error.details } });
