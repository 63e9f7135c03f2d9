import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { VaultCiphertext } from '@mcpgate/contracts';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TenantView } from '../../domain/tenant-model.js';
import type { Sql } from '../audit-store.js';
import { ExportError } from './exporter-error.js';
import { ExporterMetrics } from './exporter-metrics.js';
import { ExporterWorker, type ExporterSpec, type WorkerState, type WorkerTiming } from './exporter-worker.js';
import { createSender } from './senders.js';

/** Where the exporters learn the configuration: the control plane's applied log (the LogApplier). */
export interface ExporterConfigSource {
  tenantIds(): string[];
  tenant(tenantId: string): TenantView | undefined;
  watch(listener: (applied: { commit: { tenantId: string; streamId: string } }) => void): () => void;
}

export interface AuditExportersOptions {
  readonly sql: Sql;
  readonly config: ExporterConfigSource;
  /** Opens a vaulted secret (the control plane's Vault). */
  readonly openSecret: (sealed: VaultCiphertext) => string;
  /** The operator's folder for file exporters; each tenant writes under `<exportDir>/<tenant id>/`. */
  readonly exportDir: string;
  /** This instance's name in leases; default `<host>-<pid>-<random>`. */
  readonly owner?: string;
  readonly timing?: Partial<WorkerTiming>;
  /** Per request / connection. */
  readonly requestTimeoutMs?: number;
  readonly metrics?: ExporterMetrics;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

const DEFAULT_TIMING: WorkerTiming = { pollIntervalMs: 1_000, leaseMs: 60_000, backoffBaseMs: 500, backoffMaxMs: 30_000 };

const fingerprint = (spec: ExporterSpec) => JSON.stringify([spec.name, spec.destination, spec.delivery, spec.startFrom]);

/**
 * The `exporters` role: one ExporterWorker per enabled exporter of every tenant, started, restarted
 * (on a configuration change) and stopped as the control plane's log changes. Workers read the audit
 * trail from the database, so the role needs no Kafka consumer and runs the same in the embedded
 * default. Across replicas, a lease per exporter lets exactly one instance deliver at a time.
 */
export class AuditExporters {
  readonly metrics: ExporterMetrics;
  readonly owner: string;
  private readonly workers = new Map<string, { worker: ExporterWorker; fingerprint: string }>();
  private unwatch: (() => void) | undefined;
  private reconciling = Promise.resolve();
  private readonly timing: WorkerTiming;
  private readonly logger: Logger;
  private stopped = false;

  constructor(private readonly options: AuditExportersOptions) {
    this.metrics = options.metrics ?? new ExporterMetrics();
    this.owner = options.owner ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.logger = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    this.unwatch = this.options.config.watch(({ commit }) => {
      if (commit.streamId.startsWith('audit-exporter-') || commit.streamId.startsWith('credential-') || commit.streamId.startsWith('tenant-')) this.schedule([commit.tenantId]);
    });
    this.schedule(this.options.config.tenantIds());
    await this.reconciling;
  }

  /** Waits until every configuration change seen so far has started or stopped its workers. */
  settled(): Promise<void> {
    return this.reconciling;
  }

  /** The live state of an exporter's worker in this process, if it runs here. */
  workerState(exporterId: string): WorkerState | undefined {
    return this.workers.get(exporterId)?.worker.current();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    await this.reconciling;
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.stop()));
    this.workers.clear();
  }

  private schedule(tenantIds: readonly string[]) {
    this.reconciling = this.reconciling.then(async () => {
      for (const tenantId of tenantIds) await this.reconcile(tenantId).catch((error: unknown) => this.logger.error({ tenantId, error: (error as Error).name }, 'audit exporters: reconcile failed'));
    });
  }

  private desired(tenantId: string): Map<string, ExporterSpec> {
    const tenant = this.options.config.tenant(tenantId);
    const specs = new Map<string, ExporterSpec>();
    if (!tenant || tenant.tenant.status === 'deleted' || tenant.tenant.status === 'absent' || this.stopped) return specs;
    for (const e of tenant.auditExporters.values()) {
      if (e.status !== 'active' || !e.enabled) continue;
      specs.set(e.exporterId, { tenantId, exporterId: e.exporterId, name: e.name, destination: e.destination, delivery: e.delivery, startFrom: e.startFrom });
    }
    return specs;
  }

  private async reconcile(tenantId: string): Promise<void> {
    const desired = this.desired(tenantId);
    for (const [exporterId, running] of this.workers) {
      if (running.worker.spec.tenantId !== tenantId) continue;
      const want = desired.get(exporterId);
      if (want && fingerprint(want) === running.fingerprint) {
        desired.delete(exporterId);
        continue;
      }
      this.workers.delete(exporterId);
      await running.worker.stop();
      if (!want) this.metrics.remove(exporterId);
    }
    for (const spec of desired.values()) {
      const worker = new ExporterWorker(spec, {
        sql: this.options.sql,
        sender: createSender(spec.destination, {
          tenantId,
          exporterId: spec.exporterId,
          secret: (credentialId) => this.secret(tenantId, credentialId),
          exportDir: this.options.exportDir,
          timeoutMs: this.options.requestTimeoutMs ?? 10_000,
          now: this.options.now ?? (() => new Date()),
        }),
        owner: this.owner,
        timing: this.timing,
        counters: this.metrics.of(spec.exporterId, tenantId, spec.destination.kind),
        logger: this.logger,
      });
      this.workers.set(spec.exporterId, { worker, fingerprint: fingerprint(spec) });
      worker.start();
    }
  }

  /** A credential's plaintext, looked up in the tenant's current state at each use (rotations apply at once). */
  private secret(tenantId: string, credentialId: string): string {
    const credential = this.options.config.tenant(tenantId)?.credentials.get(credentialId);
    if (credential?.status !== 'active' || !credential.secret) {
      throw new ExportError('export.credential_unavailable', `credential ${credentialId} is not an active shared credential of the tenant`, true);
    }
    try {
      return this.options.openSecret(credential.secret);
    } catch {
      throw new ExportError('export.credential_unavailable', `credential ${credentialId} could not be opened by this control plane's vault`, true);
    }
  }
}
