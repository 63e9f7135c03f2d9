import type { LimitScope } from '@mcpgate/contracts';

/** Who is calling which tool, as far as rate limits and budgets are concerned. */
export interface CallIdentity {
  readonly tenantId: string;
  /** The virtual key the caller authenticated with, if any. */
  readonly keyId?: string;
  /** The user behind the call (OAuth subject or the key's owner), if known. */
  readonly user?: string;
  /** Tool name as the caller sees it (prefixed). */
  readonly tool: string;
}

/** Whether a call may proceed; a refusal names the limit and when trying again can succeed. */
export type LimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly limitId: string; readonly scope: LimitScope; readonly retryAfterMs: number };

export const ALLOWED: LimitDecision = Object.freeze({ allowed: true });

/**
 * What a limit of `scope` counts per for this call, or undefined when the call has no such
 * subject (a `user` limit does not apply to a call without a user, a `key` limit to OAuth calls).
 */
export const subjectOf = (scope: LimitScope, call: CallIdentity): string | undefined => {
  switch (scope) {
    case 'key':
      return call.keyId || undefined;
    case 'user':
      return call.user || undefined;
    case 'tool':
      return call.tool || undefined;
    case 'tenant':
      return call.tenantId;
  }
};

/**
 * State key of one limit for one subject. Starts with the tenant so that tenants never share
 * state; NUL separates the parts because no id can contain it (a user name might contain `:`).
 */
export const stateKey = (tenantId: string, limitId: string, scope: LimitScope, subject: string, extra = ''): string =>
  `${tenantId}\u0000${limitId}\u0000${scope}\u0000${extra}\u0000${subject}`;
