import { hash } from 'node:crypto';

/** A value that has no canonical JSON form (a bug in the caller: tool arguments arrive as JSON). */
export class NotJsonError extends TypeError {
  readonly reason = 'audit.not_json';

  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`${path} is ${what}, which has no JSON form`);
    this.name = 'NotJsonError';
  }
}

// Far deeper than any real tool call, and well inside the stack a recursive walk can use.
const MAX_CANONICAL_DEPTH = 1000;

const hasToJson = (value: object): value is { toJSON: () => unknown } => typeof (value as { toJSON?: unknown }).toJSON === 'function';
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const canonical = (value: unknown, path: string, depth: number, ancestors: Set<object>): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // JSON.stringify would quietly turn these into null and make {x: NaN} hash like {x: null}
      if (!Number.isFinite(value)) throw new NotJsonError(path, String(value));
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_CANONICAL_DEPTH) throw new NotJsonError(path, `nested deeper than ${MAX_CANONICAL_DEPTH}`);
      if (ancestors.has(value)) throw new NotJsonError(path, 'a circular reference');
      if (hasToJson(value)) return canonical(value.toJSON(), path, depth + 1, ancestors);
      // JSON.stringify would write {} and lose every entry
      if (value instanceof Map || value instanceof Set) throw new NotJsonError(path, `a ${value.constructor.name}`);
      ancestors.add(value);
      let out: string;
      if (Array.isArray(value)) {
        // as in JSON, an undefined element (or a hole) is null
        out = `[${Array.from(value, (item: unknown, i) => (item === undefined ? 'null' : canonical(item, `${path}[${i}]`, depth + 1, ancestors))).join(',')}]`;
      } else {
        const record = value as Record<string, unknown>;
        const members: string[] = [];
        for (const key of Object.keys(record).sort(byCodeUnits)) {
          const member = record[key];
          // as in JSON, an undefined member is left out
          if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonical(member, `${path}.${key}`, depth + 1, ancestors)}`);
        }
        out = `{${members.join(',')}}`;
      }
      ancestors.delete(value);
      return out;
    }
    default:
      // undefined (at the top or via toJSON), bigint, function, symbol
      throw new NotJsonError(path, typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`);
  }
};

/**
 * JSON with object keys sorted by UTF-16 code units at every level and no whitespace, so equal
 * values give equal strings whatever their key order (numbers and strings are written as
 * `JSON.stringify` writes them, which makes this RFC 8785 output for JSON input). Undefined
 * members are left out and undefined array elements become null, as in JSON; values JSON cannot
 * represent faithfully (NaN, Infinity, bigint, functions, symbols, Map, Set, cycles, a top-level
 * undefined) throw a {@link NotJsonError} naming their path instead of being silently changed.
 */
export const canonicalJson = (value: unknown): string => canonical(value, '$', 0, new Set());

/** Lowercase hex SHA-256 of the canonical JSON of a call's arguments: what audit events carry. */
export const argumentsHash = (args: unknown): string => hash('sha256', canonicalJson(args), 'hex');

export const REDACTED = '[redacted]';

/** Names whose value is a secret, matched anywhere in a key, case-insensitively (`githubToken`, `X-Api-Key`). */
const SECRET_NAME = /passw(?:or)?d|passphrase|secret|api[-_]?key|authori[sz]ation|cookie|private[-_]?key|credential/i;
/** `token` too, except with a number or boolean value: `max_tokens: 100` counts tokens, it is not one. */
const TOKEN_NAME = /token/i;
/**
 * String values that hold a secret whatever their key: an mcpgate key or API token, a JWT, a
 * bearer credential, and a few unmistakable credential formats (PEM private keys, GitHub, AWS
 * access key ids, Slack).
 */
const SECRET_VALUE = new RegExp(
  [
    'mcpg(?:sa)?_[A-Za-z0-9]{8,}',
    'eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*',
    '\\bbearer\\s+[A-Za-z0-9._~+/-]{8,}',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
    '\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})',
    '\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b',
    '\\bxox[abposr]-[A-Za-z0-9-]{10,}',
  ].join('|'),
  'i',
);

const isSecretMember = (name: string, value: unknown): boolean =>
  SECRET_NAME.test(name) || (TOKEN_NAME.test(name) && typeof value !== 'number' && typeof value !== 'boolean');

/** Limits that keep a redacted copy small enough for an audit event. */
export interface RedactionLimits {
  /** Objects and arrays nested deeper than this are replaced by a marker. Default 20. */
  readonly maxDepth?: number;
  /** Longer strings are cut to this many UTF-16 code units, plus a marker. Default 4096 (4 KiB of ASCII). */
  readonly maxStringLength?: number;
  /**
   * Once about this many characters of keys and values are copied, the remaining members and
   * items are replaced by one marker each. Default 65536.
   */
  readonly maxTotalLength?: number;
}

interface Walk {
  readonly maxDepth: number;
  readonly maxStringLength: number;
  remaining: number;
}

const redactString = (value: string, walk: Walk): string => {
  // look for secrets in the whole string before cutting it, so a cut cannot hide one
  if (SECRET_VALUE.test(value)) return REDACTED;
  let out = value;
  if (value.length > walk.maxStringLength) {
    let cut = walk.maxStringLength;
    const last = value.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1; // do not split a surrogate pair
    out = `${value.slice(0, cut)}…[truncated ${value.length - cut} chars]`;
  }
  walk.remaining -= out.length;
  return out;
};

const redactValue = (value: unknown, depth: number, walk: Walk): unknown => {
  switch (typeof value) {
    case 'string':
      return redactString(value, walk);
    case 'number':
    case 'boolean':
    case 'undefined':
      walk.remaining -= 5;
      return value;
    case 'bigint':
      return redactString(value.toString(), walk);
    case 'object':
      break;
    default:
      return '[unserializable]';
  }
  if (value === null) {
    walk.remaining -= 4;
    return null;
  }
  if (depth >= walk.maxDepth) return '[truncated: nested too deep]';
  if (hasToJson(value)) return redactValue(value.toJSON(), depth + 1, walk);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i += 1) {
      if (walk.remaining <= 0) {
        items.push(`[truncated: ${value.length - i} more items]`);
        break;
      }
      items.push(redactValue(value[i], depth + 1, walk));
    }
    return items;
  }
  return redactRecord(value as Record<string, unknown>, depth, walk);
};

const redactRecord = (record: Record<string, unknown>, depth: number, walk: Walk): Record<string, unknown> => {
  const keys = Object.keys(record);
  const members: [string, unknown][] = [];
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    if (walk.remaining <= 0) {
      members.push(['[truncated]', `${keys.length - i} more members`]);
      break;
    }
    walk.remaining -= key.length;
    const member = record[key];
    members.push([key, isSecretMember(key, member) ? REDACTED : redactValue(member, depth + 1, walk)]);
  }
  // fromEntries defines own properties, so a `__proto__` member stays data instead of a prototype
  return Object.fromEntries(members);
};

/**
 * A copy of a call's arguments that is safe and small enough for an audit event: values under
 * secret-looking names (password, secret, token, api key, authorization, cookie, private key,
 * credentials…) at any depth, and strings that contain a known kind of secret (an mcpgate key, a
 * JWT, a bearer credential…), become `"[redacted]"`; long strings, deep nesting and large
 * payloads are cut with a marker saying so. Secrets passed as `{name: "password", value: …}` pairs
 * or in free text without a recognisable format are beyond what a name or pattern can catch, which
 * is why argument capture defaults to the hash only.
 */
export const redactArguments = (args: Record<string, unknown>, limits: RedactionLimits = {}): Record<string, unknown> =>
  redactRecord(args, 0, { maxDepth: limits.maxDepth ?? 20, maxStringLength: limits.maxStringLength ?? 4096, remaining: limits.maxTotalLength ?? 65_536 });
