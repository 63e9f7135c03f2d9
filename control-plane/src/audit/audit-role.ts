import { join } from 'node:path';
import type { ControlPlaneConfig } from '@mcpgate/contracts';
import type { Logger } from '../core/logger.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import type { SigningKeyPair } from '../infra/crypto/snapshot-signer.js';
import type { Database } from '../infra/database/database.js';
import { AdminActivityFeed } from './admin-activity.js';
import { auditSigner, loadAuditMacKeys, type AuditTrustedKeys } from './audit-keys.js';
import { AuditSink, type AuditSinkStatus } from './audit-sink.js';
import { openAuditPool, pgAuditSql, type Sql } from './audit-store.js';
import { AuditTail } from './audit-tail.js';
import { verifyAuditTrail, type AuditVerification, type VerifyAuditTrailOptions } from './audit-verify.js';
import type { WriteResult } from './audit-writer.js';
import { EventLogCheckpointPublisher, type CheckpointPublisher } from './checkpoint-publisher.js';

/** The sink role is switched off here (MCPGATE_AUDIT_SINK=off): events must go to a replica that runs it. */
export class AuditSinkDisabledError extends Error {
  readonly reason = 'audit.sink_disabled';

  constructor() {
    super('the audit sink role does not run in this process (MCPGATE_AUDIT_SINK=off)');
    this.name = 'AuditSinkDisabledError';
  }
}

/** The audit trail as the rest of the control plane sees it: ingest, read, verify, follow. */
export interface RunningAuditTrail {
  /** The sink role; undefined when MCPGATE_AUDIT_SINK=off (queries, verification and tails still work). */
  readonly sink: AuditSink | undefined;
  /** Where the trail's SQL runs (a `pg` pool on PostgreSQL, the Prisma client on PGlite). */
  readonly sql: Sql;
  /** What this control plane's own verification trusts: its signing key and its record MAC keys. */
  readonly keys: AuditTrustedKeys;
  readonly tail: AuditTail;
  /** Admin records of applied control-plane changes; subscribe `onApplied` to the applier. */
  readonly adminActivity: AdminActivityFeed | undefined;
  /** Appends events handed over in process (the in-process proxy); resolves once committed. */
  ingest(events: readonly unknown[]): Promise<WriteResult>;
  verify(options: Omit<VerifyAuditTrailOptions, 'keys'>): Promise<AuditVerification>;
  status(): AuditSinkStatus | { readonly state: 'disabled' };
  /** Drains the admin feed and the sink (signing every unsigned head), then closes connections. */
  close(): Promise<void>;
}

export interface AuditTrailDependencies {
  readonly config: ControlPlaneConfig;
  readonly database: Database;
  /** The control plane's Ed25519 key pair (the snapshot signing key). */
  readonly signingKey: SigningKeyPair;
  readonly logger: Logger;
}

/** JSON lines on stderr for the sink's warnings and errors (its messages carry no secrets). */
export const stderrLogger = (source: string): Logger => {
  const line = (level: string) => (fields: Record<string, unknown>, message: string) => console.error(JSON.stringify({ level, source, message, ...fields }));
  return { info: () => {}, warn: line('warn'), error: line('error') };
};

/**
 * Starts the audit sink role from the configuration. Kafka mode (MCPGATE_KAFKA_BROKERS): a consumer
 * group over every `mcpgate.audit.<region>` topic and checkpoints published to
 * `mcpgate.audit-checkpoints`. Embedded mode: events arrive through `ingest` and checkpoints are
 * published to a file log beside the event log. PostgreSQL is written through its own `pg` pool
 * (one connection per lane, and two for queries and tails); PGlite through the Prisma client.
 */
export const startAuditTrail = async ({ config, database, signingKey, logger }: AuditTrailDependencies): Promise<RunningAuditTrail> => {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    const audit = config.audit;
    let sql: Sql;
    if (config.database.kind === 'postgres') {
      const pool = openAuditPool(config.database.url, { max: audit.lanes + 2 });
      closers.push(() => pool.end());
      sql = pgAuditSql(pool);
    } else sql = database.prisma;

    const macKeys = loadAuditMacKeys(config.keysDir, config.environment === 'development');
    const keys: AuditTrustedKeys = { signing: new Map([[signingKey.keyId, signingKey.publicKeyPem]]), mac: macKeys.keys };
    const tail = new AuditTail(sql);

    let sink: AuditSink | undefined;
    let adminActivity: AdminActivityFeed | undefined;
    if (audit.enabled) {
      let publisher: CheckpointPublisher;
      if (config.eventLog.kind === 'kafka') publisher = await EventLogCheckpointPublisher.openKafka({ brokers: config.eventLog.brokers, clientId: 'mcpgate-audit-checkpoints' });
      else publisher = new EventLogCheckpointPublisher(await FileEventLog.open({ dir: join(config.dataDir, 'audit-checkpoints') }));
      closers.push(() => publisher.close());
      const running = new AuditSink(sql, {
        signer: auditSigner(signingKey),
        macKeys,
        lanes: audit.lanes,
        maxBatchEvents: audit.maxBatchEvents,
        checkpointEvery: audit.checkpointEvery,
        checkpointIntervalMs: audit.checkpointIntervalMs,
        ...(audit.admissionThreads !== undefined ? { admissionThreads: audit.admissionThreads } : {}),
        publisher,
        logger,
        onCommit: ({ tenantIds }) => tail.notify(tenantIds),
        ...(config.eventLog.kind === 'kafka' ? { kafka: { brokers: config.eventLog.brokers, groupId: audit.groupId, topicRefreshMs: audit.topicRefreshMs } } : {}),
      });
      await running.start();
      closers.push(() => running.stop());
      sink = running;
      if (audit.adminActivity) {
        const feed = new AdminActivityFeed(running, { logger });
        closers.push(() => feed.stop());
        adminActivity = feed;
      }
    }
    return {
      sink,
      sql,
      keys,
      tail,
      adminActivity,
      ingest: (events) => (sink ? sink.ingest(events) : Promise.reject(new AuditSinkDisabledError())),
      verify: (options) => verifyAuditTrail(sql, { ...options, keys }),
      status: () => sink?.status() ?? { state: 'disabled' },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
