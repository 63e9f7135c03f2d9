import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { AuditEvent, auditEventInconsistencies } from './audit-event.js';

export type Validation = { readonly ok: true; readonly event: AuditEvent } | { readonly ok: false; readonly error: string };

const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/**
 * The AuditEvent contract compiled to plain JavaScript: the audit sink validates every event it
 * ingests and the proxy's spool every event it appends; zod's interpreter took about a fifth of
 * the sink's CPU per event, and copies the event. The zod schema stays the one definition: it is
 * converted to JSON Schema (`z.toJSONSchema`, the same regular expressions and bounds) and
 * compiled by Ajv, with string lengths in code points and regular expressions without the `u`
 * flag, as zod has them (formats are not checked: each comes with its pattern); the rules across
 * fields (the schema's refinement) are the contract's own `auditEventInconsistencies`.
 * `audit-event-validator.spec.ts` holds both to the same verdict on valid events and on mutations
 * of every field. Compiled on first use (about 10 ms; Ajv generates code with `new Function`), so
 * importing the contracts costs nothing where no audit event is validated, as in the console.
 */
let compiled: ((value: unknown) => boolean) | undefined;

/** Compiles the validator now rather than on the first event (a process that will validate calls it at start). */
export const compileAuditEventValidator = (): ((value: unknown) => boolean) => {
  if (compiled) return compiled;
  const schema = z.toJSONSchema(AuditEvent, { io: 'input', unrepresentable: 'throw' });
  const ajv = new Ajv2020({ strict: true, strictTypes: false, validateFormats: false, allErrors: false, unicodeRegExp: false, logger: false });
  const validate = ajv.compile(schema);
  compiled = (value: unknown) => validate(value);
  return compiled;
};

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
export const compiledVerdict = (value: unknown): boolean => (compiled ?? compileAuditEventValidator())(value) && auditEventInconsistencies(value as AuditEvent).length === 0;
