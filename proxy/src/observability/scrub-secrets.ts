/** What a scrubbed secret is replaced with (pino's `redact` writes the same). */
export const REDACTED = '[redacted]';

/**
 * Secrets recognisable by their shape wherever they appear in a string: mcpgate virtual keys and API
 * tokens (`mcpg_` / `mcpgsa_` + base62), JWTs (three base64url segments, the first starting `eyJ`,
 * i.e. `{"`) and a credential after the `Bearer` scheme (case-insensitive, RFC 6750 token68 of
 * 8+ characters, so that prose such as "missing bearer token" stays readable).
 */
const SECRET_SHAPES = /mcpg(?:sa)?_[A-Za-z0-9]{8,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|\b(bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;

const replaceSecret = (_match: string, scheme: string | undefined): string => (scheme ? `${scheme} ${REDACTED}` : REDACTED);

/** The text with every secret of a recognisable shape replaced by `[redacted]`; the same string when there is none. */
export const scrubSecrets = (text: string): string => text.replace(SECRET_SHAPES, replaceSecret);

/**
 * Fields whose value is censored whatever it is, at any depth (names compared in lower case): HTTP
 * credentials and session headers, tokens, secrets, passwords, private keys, and a child process's
 * environment (it carries injected credentials).
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'mcp-session-id',
  'token',
  'accesstoken',
  'access_token',
  'refreshtoken',
  'refresh_token',
  'idtoken',
  'id_token',
  'secret',
  'clientsecret',
  'client_secret',
  'password',
  'privatekeypem',
  'apikey',
  'api_key',
  'x-api-key',
  'env',
]);

/** Whether a field of this name is always censored. */
export const isSecretField = (name: string): boolean => SECRET_FIELDS.has(name.toLowerCase());

/** Deeper than this, a logged value is replaced rather than walked (log fields are shallow; this bounds cycles). */
const MAX_DEPTH = 8;

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The value with secrets scrubbed from every string inside it and secret fields censored (see
 * {@link isSecretField}): plain objects and arrays are walked
 * and copied only where something changed (the caller's object is never mutated); an Error becomes
 * `{ type, message, stack, cause?, ...its own fields }` with its texts scrubbed. Other objects
 * (Date, Buffer …) pass as they are.
 */
export const scrubValue = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return scrubError(value, depth);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const scrubbed = scrubValue(item, depth + 1);
      if (scrubbed !== item) (copy ??= value.slice())[i] = scrubbed;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  return scrubFields(value, depth);
};

/** An Error as pino's err serializer writes it (`type`, `message`, `stack`, own fields), texts scrubbed. */
const scrubError = (error: Error, depth: number): Record<string, unknown> => {
  const out: Record<string, unknown> = { type: error.constructor.name || error.name, message: scrubSecrets(error.message) };
  if (error.stack) out['stack'] = scrubSecrets(error.stack);
  if (error.cause !== undefined) out['cause'] = scrubValue(error.cause, depth + 1);
  for (const key in error) {
    if (Object.prototype.hasOwnProperty.call(error, key) && !(key in out)) {
      const field = isSecretField(key) ? REDACTED : scrubValue((error as unknown as Record<string, unknown>)[key], depth + 1);
      Object.defineProperty(out, key, { value: field, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
};

/** {@link scrubValue} for a record of log fields: the same object when nothing needed scrubbing or censoring. */
export const scrubFields = (fields: Record<string, unknown>, depth = 0): Record<string, unknown> => {
  let copy: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const field = fields[key];
    const scrubbed = field !== undefined && isSecretField(key) ? REDACTED : scrubValue(field, depth + 1);
    // defineProperty, not assignment: a `__proto__` field (from JSON.parse) stays a field
    if (scrubbed !== field) Object.defineProperty((copy ??= { ...fields }), key, { value: scrubbed, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? fields;
};
