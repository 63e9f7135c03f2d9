import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { Budget, CommitHeader, ControlEvent, type ControlEventType } from '@mcpgate/contracts';

/**
 * Compiled checks that a value read from the log is already exactly what its zod schema would
 * return, so a reader can take it as it is and skip zod's interpreter (in a replay, about a fifth
 * of the main thread). The zod schemas stay the one definition, and the only parser: a value these
 * checks refuse is not refused, it is handed to zod, which fills defaults, drops unknown fields,
 * and has the last word and the messages.
 *
 * "Already what zod returns" is the JSON Schema of the schema's *output* (`z.toJSONSchema`,
 * `io: 'output'`): fields with defaults are required there, unknown fields are not allowed, and
 * the same regular expressions and bounds apply (string lengths in code points, as zod counts
 * them; regular expressions without the `u` flag, as zod has them). Rules JSON Schema cannot carry
 * are handled one by one: a budget's "maxCalls or maxCost" becomes an `anyOf`; any other
 * refinement, and any format that comes without a pattern, leaves its event type to zod alone
 * (`uncheckedEventTypes()` lists them). `canonical-event-check.spec.ts` holds the checks to this on
 * every pinned event shape and thousands of mutations of them: whatever they accept, zod accepts
 * and returns unchanged.
 *
 * Each type is compiled when an event of it is first read: compiling all of them takes about
 * 0.7 s and keeps 3.5 MB of heap, which a process that never reads a type should not pay.
 */
type JsonSchema = Record<string, unknown>;

/** Why a schema cannot be checked by its JSON Schema alone, or undefined when it can. */
const adapt = (zodSchema: z.ZodType, jsonSchema: JsonSchema): string | undefined => {
  const checks = (zodSchema._zod.def as { checks?: { _zod: { def: { check: string } } }[] }).checks ?? [];
  for (const check of checks) {
    if (check._zod.def.check !== 'custom') continue;
    if (zodSchema !== Budget) return 'a refinement';
    jsonSchema['anyOf'] = [{ required: ['maxCalls'] }, { required: ['maxCost'] }];
  }
  if (typeof jsonSchema['format'] === 'string' && jsonSchema['pattern'] === undefined) return `format ${jsonSchema['format']} without a pattern`;
  return undefined;
};

// strictRequired off: the budget's `anyOf` requires properties its parent schema declares
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, validateFormats: false, allErrors: false, unicodeRegExp: false, logger: false });

/** The compiled check of a schema's output, or why it has none. */
const compileOutputCheck = (schema: z.ZodType): { check: ValidateFunction } | { reason: string } => {
  let reason: string | undefined;
  const jsonSchema = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'throw',
    override: (ctx) => {
      reason ??= adapt(ctx.zodSchema as unknown as z.ZodType, ctx.jsonSchema as JsonSchema);
    },
  });
  return reason ? { reason } : { check: ajv.compile(jsonSchema) };
};

const SCHEMA_OF_TYPE = new Map<string, z.ZodType>(ControlEvent.options.map((option) => [option.shape.type.value, option]));
/** Each type's compiled check once first needed (null: left to zod), so a process compiles only the types it reads. */
const compiledChecks = new Map<string, ValidateFunction | null>();
const reasonsUnchecked = new Map<ControlEventType, string>();

const checkFor = (type: string): ValidateFunction | undefined => {
  let check = compiledChecks.get(type);
  if (check === undefined) {
    const schema = SCHEMA_OF_TYPE.get(type);
    if (!schema) return undefined;
    const compiled = compileOutputCheck(schema);
    if ('check' in compiled) check = compiled.check;
    else {
      check = null;
      reasonsUnchecked.set(type as ControlEventType, compiled.reason);
    }
    compiledChecks.set(type, check);
  }
  return check ?? undefined;
};

/** Event types left to zod alone, and why (compiles every type's check: for tests). */
export const uncheckedEventTypes = (): ReadonlyMap<ControlEventType, string> => {
  for (const type of SCHEMA_OF_TYPE.keys()) checkFor(type);
  return reasonsUnchecked;
};

/** Event types whose canonical form a compiled check recognizes (compiles every type's check: for tests). */
export const checkedEventTypes = (): ControlEventType[] => [...SCHEMA_OF_TYPE.keys()].filter((type) => checkFor(type) !== undefined) as ControlEventType[];

let headerCheck: ValidateFunction | undefined;
const commitHeaderCheck = (): ValidateFunction => {
  if (!headerCheck) {
    const compiled = compileOutputCheck(CommitHeader);
    if (!('check' in compiled)) throw new Error(`the commit header cannot be checked: ${compiled.reason}`);
    headerCheck = compiled.check;
  }
  return headerCheck;
};

/** Whether `value` is a control event exactly as `ControlEvent.parse` would return it. */
export const isCanonicalEvent = (value: unknown): value is ControlEvent => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const check = typeof type === 'string' ? checkFor(type) : undefined;
  return check !== undefined && check(value);
};

export type CommitHeaderFields = z.infer<typeof CommitHeader>;

/** Whether `value` is a commit header exactly as `CommitHeader.parse` would return it (events unchecked). */
export const isCanonicalCommitHeader = (value: unknown): value is CommitHeaderFields => commitHeaderCheck()(value);
