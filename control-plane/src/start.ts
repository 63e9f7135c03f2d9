import { mkdirSync } from 'node:fs';
import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BUDGET_USAGE_TOPIC, type ControlPlaneConfig } from '@mcpgate/contracts';
import { ApiModule } from './api/api.module.js';
import { ApiTokenUsage } from './api/auth/api-token-usage.js';
import { OidcLogin } from './api/auth/oidc-login.js';
import { startAuditTrail, stderrLogger, type RunningAuditTrail } from './audit/audit-role.js';
import { auditSigner } from './audit/audit-keys.js';
import { EvidencePacks } from './audit/evidence/evidence-job.js';
import type { AuditExporters } from './audit/exporters/audit-exporters.js';
import { startExportersRole, type ExportersRoleOverrides } from './audit/exporters/exporters-role.js';
import { CommandBus } from './core/command-bus.js';
import { LogApplier } from './core/log-applier.js';
import type { EventLog } from './event-log/event-log.port.js';
import { KeyStore } from './infra/crypto/key-store.js';
import { SnapshotSigner } from './infra/crypto/snapshot-signer.js';
import { openDatabase, type Database } from './infra/database/database.js';
import { createControlPlaneMetrics } from './infra/metrics/control-plane-metrics.js';
import { HttpIssuerDiscovery } from './infra/oidc/issuer-discovery.js';
import { openEventLog } from './infra/open-event-log.js';
import { PointInTime } from './point-in-time/point-in-time.js';
import { Projector } from './projections/projector.js';
import { InMemorySnapshotPublisher } from './snapshot/in-memory-snapshot-publisher.js';
import { KafkaSnapshotPublisher } from './snapshot/kafka-snapshot-publisher.js';
import { BudgetUsageTracker } from './budget-usage/budget-usage-tracker.js';
import type { SnapshotPublisher } from './snapshot/snapshot-publisher.port.js';
import { Snapshotter, type PublishedSnapshot } from './snapshot/snapshotter.js';
import { followProxyReports } from './rollout/kafka-report-follower.js';
import { RolloutTracker } from './rollout/rollout-tracker.js';

export interface RunningControlPlane {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  readonly database: Database;
  readonly eventLog: EventLog;
  /** Runs commands against the event log; what the GraphQL API calls. */
  readonly commands: CommandBus;
  /** Where signed snapshots go; in the embedded default, subscribe the in-process proxy here. */
  readonly snapshots: SnapshotPublisher;
  /** Where signed budget usage reports go; in the embedded default, subscribe the in-process proxy here too. */
  readonly budgetUsage: SnapshotPublisher;
  /**
   * The audit trail (the audit sink role unless MCPGATE_AUDIT_SINK=off): in the single-process
   * default, hand the in-process proxy's audit events to `audit.ingest`. Closed (drained) by `close()`.
   */
  readonly audit: RunningAuditTrail;
  /** Rollout status and live tool catalogues from proxy reports; in the single-process default, hand the in-process proxy's reports to `rollout.accept`. */
  readonly rollout: RolloutTracker;
  /** Public keys proxies must trust to verify snapshots, by key id. */
  readonly trustedSigningKeys: ReadonlyMap<string, string>;
  /** The SIEM exporters role, unless turned off (`overrides.exporters.enabled: false`); its `metrics` render in the Prometheus text format. */
  readonly exporters: AuditExporters | undefined;
  /**
   * A region's key pair, private half included, as the development key store holds it: what an
   * in-process proxy of the single-process default uses. Undefined in production, where only the
   * region's proxies hold their private key.
   */
  developmentRegionKey(region: string): { keyId: string; privateKeyPem: string } | undefined;
  close(): Promise<void>;
}

export interface ControlPlaneOverrides {
  /** Use this publisher instead of the configured one (the launcher passes an in-memory channel). */
  readonly snapshotPublisher?: SnapshotPublisher;
  /** Use this publisher for budget usage reports instead of the configured one (the launcher passes an in-memory channel). */
  readonly usagePublisher?: SnapshotPublisher;
  /** The SIEM exporters role (src/audit/exporters/README.md): off, another export folder, faster timings in tests. */
  readonly exporters?: ExportersRoleOverrides;
}

/** The port is taken or not ours to bind: a clear message instead of a stack trace. */
export class ListenError extends Error {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(
      cause.code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use; stop what runs there or set MCPGATE_API_PORT`
        : `cannot listen on ${host}:${port} (${cause.code ?? cause.message})`,
      { cause },
    );
    this.name = 'ListenError';
  }
}

const assertPortFree = (host: string, port: number) =>
  port === 0
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => {
        const probe = createServer();
        probe.once('error', (error: NodeJS.ErrnoException) => reject(new ListenError(host, port, error)));
        probe.listen(port, host, () => probe.close(() => resolve()));
      });

/**
 * Starts the control plane with every role in one process: the event log, the command bus and
 * its applier, the read-model projector, the snapshotter, and the HTTP server (GraphQL API, login,
 * health). The server listens only once every role is up, so a reachable /readyz means ready.
 * Each piece is closed in reverse on `close()`, and a failure half-way closes what had started.
 */
export const startControlPlane = async (config: ControlPlaneConfig, overrides: ControlPlaneOverrides = {}): Promise<RunningControlPlane> => {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    // a taken port fails before anything is opened
    await assertPortFree(config.api.host, config.api.port);

    if (config.database.kind === 'pglite') mkdirSync(config.database.dataDir, { recursive: true });
    const keys = new KeyStore(config.keysDir, config.environment === 'development');
    const signing = keys.signingKey();
    const signer = new SnapshotSigner(signing);

    const eventLog = await openEventLog(config.eventLog);
    closers.push(() => eventLog.close());
    const database = await openDatabase(config.database);
    closers.push(() => database.close());
    const audit = await startAuditTrail({ config, database, signingKey: signing, logger: stderrLogger('audit-sink') });
    closers.push(() => audit.close());

    const applier = new LogApplier(eventLog);
    // admin activity joins the audit trail; watched before the applier reads, so no commit slips by
    const adminFeed = audit.adminActivity;
    if (adminFeed) {
      const unwatch = applier.watch(adminFeed.onApplied);
      closers.push(async () => void unwatch());
    }
    await applier.start();
    closers.push(() => applier.stop());
    const commands = new CommandBus(eventLog, applier);

    const projector = new Projector(eventLog, database.prisma);
    await projector.start();
    closers.push(() => projector.stop());

    const snapshots =
      overrides.snapshotPublisher ??
      (config.eventLog.kind === 'kafka' ? await KafkaSnapshotPublisher.open({ brokers: config.eventLog.brokers, clientId: 'mcpgate-snapshotter' }) : new InMemorySnapshotPublisher());
    closers.push(() => snapshots.close());
    const snapshotter = new Snapshotter(eventLog, { seal: keys.seal, sign: (s) => signer.sign(s), publisher: snapshots });
    // rollout: what was published (watched before the snapshotter starts) against what proxies report
    const rollout = new RolloutTracker();
    const unwatchPublished = snapshotter.onPublished(({ tenantId, version, publishedAt }) => rollout.publishedSnapshot(tenantId, version, publishedAt));
    closers.push(async () => void unwatchPublished());
    // budget usage: counted from the audit trail, pushed to the proxies beside the snapshots (src/budget-usage/)
    const usagePublisher =
      overrides.usagePublisher ??
      (config.eventLog.kind === 'kafka'
        ? await KafkaSnapshotPublisher.open({ brokers: config.eventLog.brokers, clientId: 'mcpgate-budget-usage', topic: DEFAULT_BUDGET_USAGE_TOPIC })
        : new InMemorySnapshotPublisher());
    closers.push(() => usagePublisher.close());
    const budgetUsage = new BudgetUsageTracker(audit.sql, { sign: (r) => signer.signUsage(r), publisher: usagePublisher, intervalMs: config.budgetUsageIntervalMs, logger: stderrLogger('budget-usage') });
    const unwatchBudgets = snapshotter.onPublished(({ snapshot }) => budgetUsage.policyChanged(snapshot));
    closers.push(async () => void unwatchBudgets());
    await snapshotter.start();
    closers.push(() => snapshotter.stop());
    budgetUsage.start();
    closers.push(() => budgetUsage.stop());
    if (config.eventLog.kind === 'kafka') {
      const reports = await followProxyReports(rollout, { brokers: config.eventLog.brokers, logger: stderrLogger('proxy-reports') });
      closers.push(() => reports.close());
    }

    // ── exporters role: SIEM delivery of the audit trail (src/audit/exporters/README.md) ──
    const exporters = await startExportersRole({ dataDir: config.dataDir, sql: database.prisma, config: applier, vault: keys.vault(), overrides: overrides.exporters });
    if (exporters) closers.push(() => exporters.stop());
    // ── end of the exporters role ──

    const readiness = {
      ready: true,
      details: () => ({ eventLog: config.eventLog.kind, database: database.target, applied: applier.appliedCount, quarantined: applier.quarantined.length, audit: audit.status().state }),
    };
    let listeningAt = '';
    const oidcLogin = new OidcLogin(config.oidcProviders, () => config.publicUrl?.replace(/\/$/, '') ?? listeningAt);
    const pointInTime = new PointInTime(eventLog);
    // ── compliance evidence packs (src/audit/evidence/README.md) ──
    const evidence = new EvidencePacks({ sql: audit.sql, pointInTime, keys: audit.keys, signer: auditSigner(signing), publicKeyPem: signing.publicKeyPem }, { logger: stderrLogger('evidence') });
    await evidence.start();
    closers.push(() => evidence.stop());
    // ── API token use, for "last use" (operational data written by the API, src/api/auth/api-token-usage.ts) ──
    const apiTokenUsage = new ApiTokenUsage(database.prisma, { logger: stderrLogger('api') });
    apiTokenUsage.start();
    closers.push(() => apiTokenUsage.stop());
    const runtime = {
      commands,
      evidence,
      apiTokenUsage,
      applier,
      database,
      vault: keys.vault(),
      pointInTime,
      issuerDiscovery: new HttpIssuerDiscovery({ allowInsecureHttp: config.environment === 'development' }),
      environment: config.environment,
      audit,
      onSnapshotPublished: (listener: (p: PublishedSnapshot) => void) => snapshotter.onPublished(listener),
      rollout,
      budgetUsage,
      metrics: createControlPlaneMetrics({ applier, projector, audit, rollout, more: exporters ? [exporters.metrics.registry] : [] }),
    };
    const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(runtime, readiness, oidcLogin), {
      logger: ['error', 'warn'],
      bodyParser: false,
    });
    // request size limit: GraphQL documents and variables beyond 1 MiB are refused with 413
    app.useBodyParser('json', { limit: '1mb' });
    await app.listen(config.api.port, config.api.host);
    closers.push(() => app.close());
    const address = app.getHttpServer().address() as AddressInfo;
    listeningAt = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    return {
      url: listeningAt,
      database,
      eventLog,
      commands,
      snapshots,
      budgetUsage: usagePublisher,
      audit,
      exporters,
      rollout,
      trustedSigningKeys: new Map([[signing.keyId, signing.publicKeyPem]]),
      developmentRegionKey: (region) => {
        if (config.environment !== 'development') return undefined;
        const { keyId, privateKeyPem } = keys.regionKey(region);
        return privateKeyPem ? { keyId, privateKeyPem } : undefined;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
