import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';

/**
 * A zod schema compiled to plain JavaScript: converted to JSON Schema (`z.toJSONSchema`, the same
 * regular expressions and bounds, anything it cannot express refused) and compiled by Ajv, with
 * string lengths in code points and regular expressions without the `u` flag, as zod has them.
 * Formats are not checked: zod gives each of its string formats a pattern, which is. Used where
 * zod's interpreter is a measurable share of a hot path; the zod schema stays the definition, and
 * each user holds the compiled check to it in its spec.
 */
let ajv: Ajv2020 | undefined;
/** Made on first use: a process that imports the contracts but never compiles a schema pays nothing. */
const compiler = (): Ajv2020 => (ajv ??= new Ajv2020({ strict: true, strictTypes: false, validateFormats: false, allErrors: false, unicodeRegExp: false, logger: false }));

export type JsonSchemaOverride = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['override'];

/** The JSON Schema of a zod schema's input or output, as `compileJsonSchema` takes it; `override` may adjust each subschema. */
export const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output', override?: JsonSchemaOverride): Record<string, unknown> =>
  z.toJSONSchema(schema, { io, unrepresentable: 'throw', ...(override ? { override } : {}) });

export const compileJsonSchema = (jsonSchema: Record<string, unknown>): ValidateFunction => compiler().compile(jsonSchema);

export const compileZodSchema = (schema: z.ZodType, io: 'input' | 'output'): ValidateFunction => compileJsonSchema(jsonSchemaOf(schema, io));
