import type { ApiError, FieldIssue } from '../api/api-error';

interface SafeParser {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Checks input with the same zod schema the control plane applies (from @mcpgate/contracts). */
export const validate = (schema: SafeParser, value: unknown): FieldIssue[] => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
};

/**
 * The message for one field: from the local check first, else from the API's answer. `field` is a
 * dotted path such as `connection.endpoints.0.url`; API paths carry a prefix (`data.config.`).
 */
export const issueAt = (field: string, local: readonly FieldIssue[], remote: ApiError | null | undefined): string | undefined =>
  local.find((i) => i.path.join('.') === field)?.message ?? remote?.issues.find((i) => i.path.join('.').endsWith(field))?.message;
