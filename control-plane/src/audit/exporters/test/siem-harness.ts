import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlCommand, ControlEvent, type AuditEvent } from '@mcpgate/contracts';
import type { CommandContext } from '../../../domain/command-context.js';
import { decide } from '../../../domain/decide.js';
import { TenantModel } from '../../../domain/tenant-model.js';
import { Vault } from '../../../infra/crypto/vault.js';
import { AuditSink } from '../../audit-sink.js';
import type { Sql } from '../../audit-store.js';
import { auditEvent, auditTestKeys, tenantId } from '../../test/audit-fixtures.js';
import { AuditExporters, type ExporterConfigSource } from '../audit-exporters.js';
import type { WorkerTiming } from '../exporter-worker.js';

const ACTOR = { kind: 'user' as const, issuer: 'https://idp.example', subject: 'sec-admin' };

/**
 * The control plane's configuration of some tenants, kept the way the control plane keeps it:
 * commands decided by the real deciders and applied to real TenantModels, with watchers told of each
 * commit like the LogApplier tells them. Only the event log's transport is left out.
 */
export class TenantConfigs implements ExporterConfigSource {
  readonly vault = new Vault({ activeKeyId: 'vault-test', keys: new Map([['vault-test', randomBytes(32)]]) });
  private readonly models = new Map<string, TenantModel>();
  private readonly watchers = new Set<(applied: { commit: { tenantId: string; streamId: string } }) => void>();
  private ids = 0;

  tenantIds(): string[] {
    return [...this.models.keys()];
  }

  tenant(id: string): TenantModel | undefined {
    return this.models.get(id);
  }

  watch(listener: (applied: { commit: { tenantId: string; streamId: string } }) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Runs a command as a security admin; returns the created id, if any. */
  run(tenant: string, raw: unknown): string | undefined {
    const model = this.models.get(tenant) ?? new TenantModel(tenant);
    this.models.set(tenant, model);
    const ctx: CommandContext = {
      tenantId: tenant,
      now: new Date(),
      actor: ACTOR,
      actorGroups: [],
      newId: (prefix) => `${prefix}_${String(++this.ids).padStart(12, '0')}`,
      newKeySecret: () => ({ keyPrefix: 'mcpg_x', secretHash: '0'.repeat(64) }),
    };
    const decision = decide(ControlCommand.parse(raw), model, ctx);
    const version = model.versionOf(decision.streamId);
    decision.events.forEach((event, i) =>
      model.apply(
        ControlEvent.parse({
          ...event,
          metadata: { eventId: randomUUID(), tenantId: tenant, streamId: decision.streamId, streamVersion: version + i + 1, expectedVersion: version, actor: ACTOR, correlationId: 'test', time: ctx.now.toISOString() },
        }),
      ),
    );
    for (const watcher of this.watchers) watcher({ commit: { tenantId: tenant, streamId: decision.streamId } });
    return decision.createdId;
  }

  createTenant(index: number): string {
    const id = tenantId(index);
    this.run(id, { type: 'CreateTenant', data: { slug: `tenant-${index}`, displayName: `Tenant ${index}`, regions: ['eu-west-1'] } });
    return id;
  }

  /** Stores a shared credential sealed by the vault, as the API does; returns its id. */
  storeSecret(tenant: string, name: string, secret: string): string {
    return this.run(tenant, { type: 'StoreCredential', data: { name, kind: 'shared', secret: this.vault.seal(secret) } })!;
  }

  createExporter(tenant: string, data: Record<string, unknown>): string {
    return this.run(tenant, { type: 'CreateAuditExporter', data })!;
  }
}

/** Fast timings for tests: small polls and backoffs, a short lease. */
export const TEST_TIMING: WorkerTiming = { pollIntervalMs: 50, leaseMs: 5_000, backoffBaseMs: 50, backoffMaxMs: 400 };

/** The exporters role over `configs` (or only what `source` shows of them), opening secrets with their vault. */
export const startExporters = async (sql: Sql, configs: TenantConfigs, exportDir: string, owner?: string, source: ExporterConfigSource = configs): Promise<AuditExporters> => {
  const role = new AuditExporters({ sql, config: source, openSecret: (sealed) => configs.vault.open(sealed), exportDir, timing: TEST_TIMING, requestTimeoutMs: 3_000, ...(owner ? { owner } : {}) });
  await role.start();
  return role;
};

/** The audit sink writing real chained records (no Kafka: the in-process `ingest`). */
export const startSink = async (sql: Sql, keys = auditTestKeys()): Promise<AuditSink> => {
  const sink = new AuditSink(sql, { signer: keys.signer, macKeys: keys.macKeys, checkpointEvery: 100, checkpointIntervalMs: 600_000 });
  await sink.start();
  return sink;
};

/** Events n = from..to of tenant index `tenant`, with unique ids. */
export const events = (tenant: number, from: number, to: number, patch: (n: number) => Partial<AuditEvent> = () => ({})): AuditEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ ...auditEvent(tenant, from + i), ...patch(from + i) }) as AuditEvent);

/**
 * What at-least-once in order means for a receiver: drop every repeat of a seq seen before; what is
 * left must be exactly 1..n ascending (no gap, nothing out of order).
 */
export const firstOccurrences = (seqs: readonly number[]): number[] => {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const seq of seqs) {
    if (seen.has(seq)) continue;
    seen.add(seq);
    out.push(seq);
  }
  return out;
};

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const tempDir = (): { path: string; remove(): void } => {
  const path = mkdtempSync(join(tmpdir(), 'mcpgate-export-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};
