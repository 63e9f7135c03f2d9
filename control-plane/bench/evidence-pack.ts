/**
 * Evidence pack benchmark (not a test): `npm run bench:evidence-pack` in control-plane/ (needs
 * Docker with local/postgres:15, see scripts/infra/up.sh; compiled first, see run.ts). On PostgreSQL
 * (migrated) and a file event log with one tenant and one policy, records BENCH_EVIDENCE_EVENTS
 * (default 100,000) tool calls through the audit sink, then generates a SOC 2 pack over the whole
 * period and reports the time of each phase, the peak resident memory of the process, and the sizes
 * of the CSVs and the archive. (No projector runs, so admin_activity is empty: the admin CSVs are
 * not what is measured here.)
 * Writes bench/results/evidence-pack-*.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ControlCommand, type AuditEvent } from '@mcpgate/contracts';
import { configureTestcontainers, startPostgres } from '@mcpgate/testing';
import { AuditSink } from '../src/audit/audit-sink.js';
import { openAuditPool, pgAuditSql } from '../src/audit/audit-store.js';
import { generateEvidencePack } from '../src/audit/evidence/evidence-pack.js';
import { auditEvent, auditTestKeys } from '../src/audit/test/audit-fixtures.js';
import { CommandBus } from '../src/core/command-bus.js';
import { LogApplier } from '../src/core/log-applier.js';
import { tenantIdForSlug } from '../src/core/ids.js';
import { openDatabase } from '../src/infra/database/database.js';
import { openEventLog } from '../src/infra/open-event-log.js';
import { PointInTime } from '../src/point-in-time/point-in-time.js';
import { readZip } from '../src/audit/evidence/zip-reader.js';
import { controlPlaneRoot } from '../src/infra/package-root.js';

const EVENTS = Number(process.env['BENCH_EVIDENCE_EVENTS'] ?? 100_000);
const status = (line: string) => process.stderr.write(`\r\x1b[K${line}`);

const main = async () => {
  configureTestcontainers();
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-bench-evidence-'));
  const postgres = await startPostgres();
  try {
    const url = await postgres.createDatabase('bench_evidence');
    const database = await openDatabase({ kind: 'postgres', url });
    const log = await openEventLog({ kind: 'file', dir: join(dataDir, 'event-log') });
    const applier = new LogApplier(log);
    await applier.start();
    const commands = new CommandBus(log, applier);
    const keys = auditTestKeys();
    const pool = openAuditPool(url, { max: 4 });
    const sql = pgAuditSql(pool);
    const sink = new AuditSink(sql, { signer: keys.signer, macKeys: keys.macKeys });
    await sink.start();
    try {
      const tenantId = tenantIdForSlug('bench');
      const actor = { kind: 'system', component: 'bench' } as const;
      await commands.execute(undefined, ControlCommand.parse({ type: 'CreateTenant', data: { slug: 'bench', displayName: 'Bench', regions: ['eu-west-1'] } }), { actor });
      const policy = await commands.execute(
        tenantId,
        ControlCommand.parse({ type: 'CreatePolicy', data: { name: 'guard', document: { toolRules: [{ id: 'deny-admin-tools', effect: 'deny', subjects: {}, tools: ['*admin*'] }] } } }),
        { actor },
      );
      const position = `${policy.position!.partition}:${policy.position!.offset}`;
      const start = Date.now() - EVENTS * 50 - 60_000;
      const ingestStarted = performance.now();
      for (let i = 0; i < EVENTS; i += 2_000) {
        const batch: AuditEvent[] = [];
        for (let n = i; n < Math.min(EVENTS, i + 2_000); n++) {
          batch.push({ ...auditEvent(1, n + 1, { eventId: randomUUID(), time: new Date(start + n * 50).toISOString() }), tenantId, policyVersion: { logPosition: position, contentHash: 'b'.repeat(64) } });
        }
        await sink.ingest(batch);
        status(`recorded ${Math.min(EVENTS, i + 2_000).toLocaleString('en')} events`);
      }
      const ingestSeconds = (performance.now() - ingestStarted) / 1000;
      process.stderr.write('\n');

      const phases = new Map<string, number>();
      let phase = '';
      let phaseStarted = performance.now();
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      const pack = await generateEvidencePack(
        { sql, pointInTime: new PointInTime(log), keys: keys.trusted, signer: keys.signer, publicKeyPem: [...keys.trusted.signing.values()][0]! },
        { tenantId, framework: 'SOC2', from: new Date(start - 1_000), to: new Date(), requestedBy: actor },
        {
          packId: 'evp_bench0000000000000',
          generatedAt: new Date(),
          onProgress: (p) => {
            if (p.phase !== phase) {
              if (phase) phases.set(phase, (performance.now() - phaseStarted) / 1000);
              phase = p.phase;
              phaseStarted = performance.now();
            }
            status(`${p.phase}: ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} (${p.percent}%)`);
          },
        },
      );
      phases.set(phase, (performance.now() - phaseStarted) / 1000);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      process.stderr.write('\n');
      const sizes = Object.fromEntries(readZip(pack.archive).map((e) => [e.path, e.bytes.length]));
      const result = {
        at: new Date().toISOString(),
        events: EVENTS,
        ingestSeconds: +ingestSeconds.toFixed(1),
        generationSeconds: +seconds.toFixed(1),
        recordsPerSecond: Math.round(EVENTS / seconds),
        phases: Object.fromEntries([...phases].map(([k, v]) => [k, +v.toFixed(2)])),
        rssBeforeMb: Math.round(rssBefore / 1e6),
        peakRssMb: Math.round(peakRss / 1e6),
        archiveBytes: pack.archive.length,
        fileBytes: sizes,
      };
      console.log(JSON.stringify(result, null, 2));
      const outDir = join(controlPlaneRoot, 'bench', 'results');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `evidence-pack-${result.at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
    } finally {
      await sink.stop();
      await pool.end();
      await applier.stop();
      await log.close();
      await database.close();
    }
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

await main();
