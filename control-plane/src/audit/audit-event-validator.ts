import type { z } from 'zod';
import { AuditEvent, auditEventInconsistencies } from '@mcpgate/contracts';
import { compileZodSchema } from '../core/zod-compiled.js';

export type Validation = { readonly ok: true; readonly event: AuditEvent } | { readonly ok: false; readonly error: string };

const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * The AuditEvent contract compiled to plain JavaScript: the sink validates every event it ingests,
 * and zod's interpreter took about a fifth of the sink's CPU per event. The zod schema stays the
 * one definition: its input is compiled by Ajv (`compileZodSchema`); the rules across fields (the
 * schema's refinement) are the contract's own `auditEventInconsistencies`.
 * `audit-event-validator.spec.ts` holds both to the same verdict on valid events and on mutations
 * of every field.
 */
const compiled = compileZodSchema(AuditEvent, 'input');

/**
 * Validates a parsed JSON value against the AuditEvent contract. An event the compiled validator
 * accepts is returned as it is (parsed JSON, no copy); one it refuses is run through the zod
 * schema, whose messages name the fields and rules (never the values).
 */
export const validateAuditEvent = (value: unknown): Validation =>
  // zod is the definition: should the two ever disagree, its verdict stands
  compiledVerdict(value) ? { ok: true, event: value as AuditEvent } : parseAuditEvent(value);

/** The zod schema's verdict and output (unknown fields dropped, defaults filled in). */
export const parseAuditEvent = (value: unknown): Validation => {
  const parsed = AuditEvent.safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, error: `not an AuditEvent: ${describeIssues(parsed.error)}` };
};

/** The compiled validator's verdict alone (tests compare it with zod's). */
export const compiledVerdict = (value: unknown): boolean => compiled(value) && auditEventInconsistencies(value as AuditEvent).length === 0;
