import { z } from 'zod';

/**
 * Wire-level error categories. Each transport maps them once: GraphQL `extensions.code`, and the
 * proxy's HTTP status / JSON-RPC error. Domain errors carry one of these plus a finer `reason`.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'BUDGET_EXCEEDED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * A typed error as it crosses a boundary. `reason` is a stable, dotted, machine-readable string
 * (`tenant.name_taken`, `policy.tool_denied`); `message` is for people and never holds a secret.
 */
export const ErrorBody = z.object({
  code: ErrorCode,
  reason: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, { message: 'must be a dotted lowercase reason' }),
  message: z.string().max(2000),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** HTTP status for each code, shared by every HTTP-facing mapper. */
export const HTTP_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};
