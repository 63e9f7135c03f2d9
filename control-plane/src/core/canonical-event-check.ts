import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import { Budget, CommitHeader, compileJsonSchema, ControlEvent, jsonSchemaOf, type ControlEventType } from '@mcpgate/contracts';

/**
 * Compiled checks that a value read from the log is already exactly what its zod schema would
 * return, so a reader can take it as it is and skip zod's interpreter (in a replay, about a fifth
 * of the main thread). The zod schemas stay the one definition, and the only parser: a value these
 * checks refuse is not refused, it is handed to zod, which fills defaults, drops unknown fields,
 * and has the last word and the messages.
 *
 * "Already what zod returns" is the JSON Schema of the schema's *output*, compiled
 * (`contracts/src/runtime/zod-compiled.ts`): fields with defaults are required there, unknown fields are not allowed,
 * and the same regular expressions and bounds apply. Rules JSON Schema cannot carry
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
    jsonSchema['anyOf'] = ['maxCalls', 'maxCost'].map((field) => ({ properties: { [field]: true }, required: [field] }));
  }
  if (typeof jsonSchema['format'] === 'string' && jsonSchema['pattern'] === undefined) return `format ${jsonSchema['format']} without a pattern`;
  return undefined;
};

/** A schema's compiled output check, or why it has none. */
type OutputCheck = { readonly check: ValidateFunction } | { readonly reason: string };

const compileOutputCheck = (schema: z.ZodType): OutputCheck => {
  let reason: string | undefined;
  const jsonSchema = jsonSchemaOf(schema, 'output', (ctx) => {
    reason ??= adapt(ctx.zodSchema as unknown as z.ZodType, ctx.jsonSchema as JsonSchema);
  });
  return reason ? { reason } : { check: compileJsonSchema(jsonSchema) };
};

const SCHEMA_OF_TYPE = new Map<string, z.ZodType>(ControlEvent.options.map((option) => [option.shape.type.value, option]));
/** Each type's output check once first needed, so a process compiles only the types it reads. */
const outputChecks = new Map<string, OutputCheck>();

/** A type's output check, compiled on first use; undefined for a type no control event has. */
const outputCheckOf = (type: string): OutputCheck | undefined => {
  let compiled = outputChecks.get(type);
  if (!compiled) {
    const schema = SCHEMA_OF_TYPE.get(type);
    if (!schema) return undefined;
    compiled = compileOutputCheck(schema);
    outputChecks.set(type, compiled);
  }
  return compiled;
};

const EVENT_TYPES = [...SCHEMA_OF_TYPE.keys()] as ControlEventType[];

/** Event types left to zod alone, and why (compiles every type's check: for tests). */
export const uncheckedEventTypes = (): ReadonlyMap<ControlEventType, string> =>
  new Map(EVENT_TYPES.flatMap((type) => {
    const compiled = outputCheckOf(type)!;
    return 'reason' in compiled ? [[type, compiled.reason] as const] : [];
  }));

/** Event types whose canonical form a compiled check recognizes (compiles every type's check: for tests). */
export const checkedEventTypes = (): ControlEventType[] => EVENT_TYPES.filter((type) => 'check' in outputCheckOf(type)!);

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
  const compiled = typeof type === 'string' ? outputCheckOf(type) : undefined;
  return compiled !== undefined && 'check' in compiled && compiled.check(value);
};

export type CommitHeaderFields = z.infer<typeof CommitHeader>;

/** Whether `value` is a commit header exactly as `CommitHeader.parse` would return it (events unchecked). */
export const isCanonicalCommitHeader = (value: unknown): value is CommitHeaderFields => commitHeaderCheck()(value);
