import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { Vault } from '../../infra/crypto/vault.js';
import type { Sql } from '../audit-store.js';
import { AuditExporters, type ExporterConfigSource } from './audit-exporters.js';
import type { WorkerTiming } from './exporter-worker.js';

/** What `startControlPlane` may change about the exporters role (tests, the launcher). */
export interface ExportersRoleOverrides {
  /** false: this process runs no exporters (another replica does). Default true. */
  readonly enabled?: boolean;
  /** Where file exporters write; default `<data dir>/exports`. */
  readonly exportDir?: string;
  readonly timing?: Partial<WorkerTiming>;
  readonly requestTimeoutMs?: number;
}

/** Warnings and errors as JSON lines on stderr, without secrets (the exporters log ids, seqs and error codes only). */
const stderrLogger: Logger = {
  info: () => {},
  warn: (fields, message) => console.error(JSON.stringify({ level: 'warn', source: 'audit-exporters', message, ...fields })),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', source: 'audit-exporters', message, ...fields })),
};

/**
 * Starts the `exporters` role of the control plane: every enabled SIEM exporter of every tenant,
 * reading the audit trail from the database the sink writes (`sql`) and its configuration from the
 * applied log (`config`), opening credentials with the control plane's vault.
 */
export const startExportersRole = async (options: {
  readonly dataDir: string;
  readonly sql: Sql;
  readonly config: ExporterConfigSource;
  readonly vault: Vault;
  readonly overrides?: ExportersRoleOverrides | undefined;
  readonly logger?: Logger;
}): Promise<AuditExporters | undefined> => {
  const overrides = options.overrides ?? {};
  if (overrides.enabled === false) return undefined;
  const role = new AuditExporters({
    sql: options.sql,
    config: options.config,
    openSecret: (sealed) => options.vault.open(sealed),
    exportDir: overrides.exportDir ?? join(options.dataDir, 'exports'),
    logger: options.logger ?? stderrLogger,
    ...(overrides.timing ? { timing: overrides.timing } : {}),
    ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}),
  });
  await role.start();
  return role;
};
