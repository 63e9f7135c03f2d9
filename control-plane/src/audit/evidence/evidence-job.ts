import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import { generateEvidencePack, type EvidenceSources } from './evidence-pack.js';
import type { EvidenceProgress, EvidenceRequest } from './evidence-request.js';
import { countPacks, failInterrupted, failPack, findPack, finishPack, heartbeat, insertPack, listPacks, packArchive, updateProgress, type EvidencePackRow } from './evidence-store.js';

export interface EvidenceJobOptions {
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly logger?: Logger;
  /** Least time between two progress writes of one job (ms). Default 250. */
  readonly progressEveryMs?: number;
  /** A job whose process has not renewed its lease for this long is failed as interrupted (ms). Default 60,000. */
  readonly leaseMs?: number;
}

const QUEUED: EvidenceProgress = { phase: 'queued', done: 0, total: 0, percent: 0 };

/**
 * Evidence pack jobs: a request is stored as `queued` and generated in the background, one job at
 * a time per process (generation is CPU-bound and two cores are shared with everything else);
 * progress goes to the database as it moves, and the finished archive with it, so any replica
 * answers status queries and serves the download. Each process holds a lease on its unfinished jobs
 * (`owner`, `heartbeat_at`, renewed every quarter lease); jobs whose lease ran out belong to a
 * process that stopped, and any replica marks them failed ("interrupted"), at start and then
 * periodically: nothing resumes them, and a pack is cheap to ask again. Jobs of live replicas are
 * never touched.
 */
export class EvidencePacks {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private queue: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly leaseMs: number;
  private leaseTimer: NodeJS.Timeout | undefined;
  /** This process, as the owner of the jobs it runs. */
  readonly owner = randomUUID();

  constructor(
    private readonly sources: EvidenceSources,
    private readonly options: EvidenceJobOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => `evp_${randomBytes(10).toString('hex')}`);
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Marks jobs whose process stopped as failed, and starts renewing this process's lease. Returns how many failed. */
  async start(): Promise<number> {
    const failed = await this.sweep();
    this.leaseTimer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.leaseMs / 4)));
    this.leaseTimer.unref();
    return failed;
  }

  private sweep(): Promise<number> {
    const now = this.now();
    return failInterrupted(this.sources.sql, now, new Date(now.getTime() - this.leaseMs));
  }

  private async renew(): Promise<void> {
    try {
      await heartbeat(this.sources.sql, this.owner, this.now());
      const failed = await this.sweep();
      if (failed) this.options.logger?.warn({ failed }, 'failed evidence pack jobs whose process stopped ("interrupted")');
    } catch (error) {
      this.options.logger?.warn({ err: String(error) }, 'renewing the evidence jobs lease failed; retrying');
    }
  }

  /** Stores the request as a queued job and starts it in the background; returns the job. */
  async request(request: EvidenceRequest): Promise<EvidencePackRow> {
    const id = this.newId();
    const createdAt = this.now();
    await insertPack(
      this.sources.sql,
      { id, tenantId: request.tenantId, framework: request.framework, from: request.from, to: request.to, status: 'queued', progress: QUEUED, requestedBy: request.requestedBy, createdAt },
      this.owner,
    );
    const run = this.queue.then(() => this.run(id, request));
    // a job that fails in an unexpected way must not stop the ones queued after it
    this.queue = run.catch(() => {});
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return (await findPack(this.sources.sql, request.tenantId, id))!;
  }

  get(tenantId: string, id: string): Promise<EvidencePackRow | undefined> {
    return findPack(this.sources.sql, tenantId, id);
  }

  async list(tenantId: string, first: number, afterId?: string): Promise<{ rows: EvidencePackRow[]; hasNextPage: boolean; total: number }> {
    const [page, total] = await Promise.all([listPacks(this.sources.sql, tenantId, first, afterId), countPacks(this.sources.sql, tenantId)]);
    return { ...page, total };
  }

  archive(tenantId: string, id: string): Promise<Buffer | undefined> {
    return packArchive(this.sources.sql, tenantId, id);
  }

  /** Resolves when every job requested so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Lets running jobs finish; later requests fail at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
    clearInterval(this.leaseTimer);
  }

  private async run(id: string, request: EvidenceRequest): Promise<void> {
    const { sql } = this.sources;
    if (this.stopped) {
      await failPack(sql, id, 'interrupted', this.now());
      return;
    }
    let lastWrite = 0;
    let lastPhase = '';
    let latest: EvidenceProgress = { phase: 'starting', done: 0, total: 0, percent: 0 };
    let writing: Promise<void> = Promise.resolve();
    const every = this.options.progressEveryMs ?? 250;
    try {
      await updateProgress(sql, id, 'running', latest);
      const pack = await generateEvidencePack(this.sources, request, {
        packId: id,
        generatedAt: this.now(),
        onProgress: (progress) => {
          latest = progress;
          const at = Date.now();
          if (progress.phase === lastPhase && at - lastWrite < every) return;
          lastPhase = progress.phase;
          lastWrite = at;
          writing = writing.then(() => updateProgress(sql, id, 'running', progress)).catch(() => {});
        },
      });
      await writing;
      await finishPack(sql, id, pack.archive, pack.sha256, { ...latest, phase: 'done', percent: 100 }, this.now());
    } catch (error) {
      await writing;
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger?.error({ packId: id, tenantId: request.tenantId }, `evidence pack failed: ${message}`);
      await failPack(sql, id, message.slice(0, 2_000), this.now()).catch(() => {});
    }
  }
}
