import type { ErrorCode } from '@mcpgate/contracts';

export type AuditSpoolReason =
  | 'audit.spool_full'
  | 'audit.spool_write_failed'
  | 'audit.spool_closed'
  | 'audit.spool_corrupt'
  | 'audit.spool_locked'
  | 'audit.spool_unavailable'
  | 'audit.event_too_large';

/**
 * A failure of the local audit spool. `code` is the wire category, `reason` the stable machine
 * string (as everywhere in mcpgate). Messages name files and byte offsets, never event contents.
 */
export class AuditSpoolError extends Error {
  readonly code: ErrorCode;

  constructor(
    readonly reason: AuditSpoolReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AuditSpoolError';
    this.code = reason === 'audit.spool_corrupt' || reason === 'audit.event_too_large' ? 'INTERNAL' : 'UNAVAILABLE';
  }
}

/** The spool holds `maxBytes` already: the event was not accepted. The tenant's policy decides what happens to the call. */
export class SpoolFullError extends AuditSpoolError {
  override readonly reason = 'audit.spool_full';

  constructor(dir: string, maxBytes: number) {
    super('audit.spool_full', `audit spool ${dir} is full (${maxBytes} bytes waiting to be shipped); event not accepted`);
    this.name = 'SpoolFullError';
  }
}

/** Writing or fsyncing the spool failed: the event was not accepted. The spool stays usable; later emits try a fresh segment. */
export class SpoolWriteError extends AuditSpoolError {
  override readonly reason = 'audit.spool_write_failed';

  constructor(path: string, cause: unknown) {
    const detail = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause instanceof Error ? cause.message : String(cause));
    super('audit.spool_write_failed', `writing audit spool segment ${path} failed (${detail}); event not accepted`, { cause });
    this.name = 'SpoolWriteError';
  }
}

/** The spool is closed or closing: the event was not accepted. */
export class SpoolClosedError extends AuditSpoolError {
  override readonly reason = 'audit.spool_closed';

  constructor(dir: string) {
    super('audit.spool_closed', `audit spool ${dir} is closed`);
    this.name = 'SpoolClosedError';
  }
}
