/** The structured logger the core writes to; pino's `Logger` satisfies it. Never pass secrets. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
