import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrubFields, scrubSecrets, scrubValue } from './scrub-secrets.js';

export type { Logger } from 'pino';

export interface LoggerConfig {
  readonly proxyId: string;
  readonly region: string;
  /** pino level (`trace` … `fatal`, `silent`); default `info`. */
  readonly level?: string;
  /** Where JSON lines go; default stderr. */
  readonly destination?: NodeJS.WritableStream;
}

/** The line-shaped logging function the proxy's modules take: `log({ level: 'warn', message: '…', ...fields })`. */
export type LogLine = (line: Record<string, unknown>) => void;

/**
 * Strings passed as the message (or format arguments) are scrubbed here: pino's `formatters.log`
 * sees only the fields object. A lone Error (or `{ err }` without a message) would otherwise give
 * pino its unscrubbed `message`.
 */
function scrubArguments(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const first = args[0];
  if (first instanceof Error) {
    args[0] = { err: first };
    if (typeof args[1] !== 'string') args.splice(1, 0, first.message);
  } else if (typeof first === 'object' && first !== null && (first as { err?: unknown }).err instanceof Error && typeof args[1] !== 'string') {
    args.splice(1, 0, ((first as { err: Error }).err).message);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'string') args[i] = scrubSecrets(arg);
    else if (i > 0 && typeof arg === 'object' && arg !== null) args[i] = scrubValue(arg);
  }
  method.apply(this, args);
}

/**
 * The proxy's structured logger: JSON lines (stderr by default) with `source: 'proxy'`, `proxyId`
 * and `region` on every line, `level` as a label, `message` for the text and an ISO `time`.
 * Secrets never reach the output: secret fields (`authorization`, `cookie`, `mcp-session-id`,
 * `token`, `secret`, `password`, `privateKeyPem`, `env` …) are censored at any depth, and
 * secret-shaped strings (mcpgate keys, JWTs, bearer credentials) are scrubbed from every field and
 * from the message; the caller's objects are not changed.
 */
export const createLogger = (options: LoggerConfig): Logger => {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    messageKey: 'message',
    base: { proxyId: options.proxyId, region: options.region },
    // a line may name its own source (`snapshot-source`); the line's field wins over this default
    mixin: () => ({ source: 'proxy' }),
    timestamp: pino.stdTimeFunctions.isoTime,
    // Secret fields are censored by name in the same walk that scrubs secret-shaped strings, not by
    // pino's `redact`: its wildcard paths (`*.token`) cost ~40 µs a line, the walk ~1 µs (README.md).
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => scrubFields(fields),
    },
    // formatters.log has already turned errors into scrubbed plain objects; pino's own err
    // serializer would re-type them as `Object`
    serializers: { err: scrubValue },
    hooks: { logMethod: scrubArguments as NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']> },
  };
  const destination: DestinationStream = options.destination ?? pino.destination({ dest: 2, sync: true });
  const logger = pino(config, destination);
  // pino applies formatters.bindings to the base only, never to child() bindings: scrub them here
  // (children inherit this through their prototype, so grandchildren are covered too)
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, scrubFields(bindings), childOptions);
  } as Logger['child'];
  return logger;
};

const LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/**
 * Adapts a logger to the proxy's `log({ level, message, ...fields })` calls: `level` picks the pino
 * method (unknown or missing: `info`), `message` becomes the message, everything else the fields.
 */
export const logLine = (logger: Logger): LogLine => (line) => {
  const method = typeof line.level === 'string' && LEVELS.has(line.level) ? (line.level as 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') : 'info';
  if (!logger.isLevelEnabled(method)) return;
  const { level: _level, message, ...fields } = line;
  if (message === undefined) logger[method](fields);
  else logger[method](fields, typeof message === 'string' ? message : String(message));
};
