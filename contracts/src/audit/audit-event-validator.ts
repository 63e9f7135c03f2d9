import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import { compileZodSchema } from '../runtime/zod-compiled.js';
import { AuditEvent, auditEventInconsistencies } from './audit-event.js';

export type AuditEventValidation = { readonly ok: true; readonly event: AuditEvent } | { readonly ok: false; readonly error: string };

const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * The AuditEvent contract compiled to plain JavaScript, for the two places that check every event:
 * the proxy's audit spool as it appends one, and the control plane's audit sink as it ingests one.
 * zod's interpreter took about a fifth of the sink's CPU per event, and in the proxy it copied
 * every event (the largest share of the garbage a tool call left in the old generation). The zod
 * schema stays the one definition: its input is compiled by Ajv (`compileZodSchema`); the rules
 * across fields (the schema's refinement) are the contract's own `auditEventInconsistencies`.
 * `control-plane/src/audit/audit-event-validator.spec.ts` holds both to the same verdict on valid
 * events and on mutations of every field. Compiled on first use.
 */
let compiled: ValidateFunction | undefined;
let canonical: ValidateFunction | undefined;

/**
 * Validates a parsed JSON value against the AuditEvent contract. An event the compiled validator
 * accepts is returned as it is (parsed JSON, no copy); one it refuses is run through the zod
 * schema, whose messages name the fields and rules (never the values).
 */
export const validateAuditEvent = (value: unknown): AuditEventValidation =>
  // zod is the definition: should the two ever disagree, its verdict stands
  compiledVerdict(value) ? { ok: true, event: value as AuditEvent } : parseAuditEvent(value);

/** The zod schema's verdict and output (unknown fields dropped, defaults filled in). */
export const parseAuditEvent = (value: unknown): AuditEventValidation => {
  const parsed = AuditEvent.safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, error: `not an AuditEvent: ${describeIssues(parsed.error)}` };
};

/** The compiled validator's verdict alone (tests compare it with zod's). */
export const compiledVerdict = (value: unknown): boolean =>
  (compiled ??= compileZodSchema(AuditEvent, 'input'))(value) && auditEventInconsistencies(value as AuditEvent).length === 0;

/**
 * Whether the value is already exactly what the AuditEvent schema returns (the schema's output
 * compiled: defaults present, no unknown fields), so it can be kept as it is, without zod's copy.
 * A value this refuses is not necessarily invalid: zod decides (the proxy's `checkAuditEvent`).
 */
export const isCanonicalAuditEvent = (value: unknown): boolean =>
  (canonical ??= compileZodSchema(AuditEvent, 'output'))(value) && auditEventInconsistencies(value as AuditEvent).length === 0;
