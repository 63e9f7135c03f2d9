import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantView } from '../../domain/tenant-model.js';
import type { PointInTime } from '../../point-in-time/point-in-time.js';
import { tokenLastUse, userLastSignIn } from '../access-use.js';
import type { AuditSigner, AuditTrustedKeys } from '../audit-keys.js';
import type { Sql } from '../audit-store.js';
import { verifyAuditTrail } from '../audit-verify.js';
import { renderChart } from './charts.js';
import { controlsForFile, controlsOf, filesByControl, packFiles } from './control-mapping.js';
import { accessEntries, accessReviewCsv } from './csv/access-review.js';
import { adminChangesCsv, KEY_LIFECYCLE_EVENTS, keyLifecycleCsv } from './csv/admin-changes.js';
import { controlsCsv } from './csv/controls.js';
import type { CsvOutput } from './csv/csv-file.js';
import { exporterDeliveryCsv } from './csv/exporter-delivery.js';
import { denialsCsv, phiAccessCsv, toolCallsCsv } from './csv/tool-calls.js';
import { activityAggregates, countToolCalls, exporterStatuses, forEachAdminChange, forEachToolCall, keyLastUse, PhiMatcher } from './evidence-data.js';
import { describeActor, type EvidenceProgress, type EvidenceRequest } from './evidence-request.js';
import { MANIFEST_FORMAT, MANIFEST_PATH, SIGNATURE_PATH, sha256Hex, signManifest, type Manifest } from './manifest.js';
import { zipPack, type PackFile } from './pack-archive.js';
import { renderReportHtml } from './report-html.js';
import { renderReportPdf } from './report-pdf.js';
import type { PhiSummary, ReportModel } from './report-model.js';
import { decidingRules, RuleTally } from './rule-history.js';

/** What generation reads from and signs with; the same for the API's jobs and the CLI. */
export interface EvidenceSources {
  /** The audit trail and the read models (one database). */
  readonly sql: Sql;
  /** The tenant's state and policy history, replayed from the event log. */
  readonly pointInTime: PointInTime;
  /** What verification trusts (the signing key; record MAC keys when the control plane verifies). */
  readonly keys: AuditTrustedKeys;
  /** The audit trail's Ed25519 signer (the checkpoints' trust anchor) and its public key. */
  readonly signer: AuditSigner;
  readonly publicKeyPem: string;
}

export interface GeneratedPack {
  readonly archive: Buffer;
  readonly sha256: string;
  readonly manifest: Manifest;
}

/** The phases of a generation and their share of the whole (percent), from bench/evidence-pack.ts (100,000 calls). */
const PHASES = [
  ['state', 2],
  ['tool-calls', 28],
  ['admin-changes', 5],
  ['access-review', 2],
  ['exporters', 1],
  ['verification', 45],
  ['rules', 3],
  ['charts', 6],
  ['report', 5],
  ['archive', 3],
] as const;
export type EvidencePhase = (typeof PHASES)[number][0];

const progressReporter = (onProgress: (p: EvidenceProgress) => void) => {
  const starts = new Map<string, number>();
  let sum = 0;
  for (const [phase, share] of PHASES) {
    starts.set(phase, sum);
    sum += share;
  }
  return (phase: EvidencePhase, done: number, total: number) => {
    const share = PHASES.find(([p]) => p === phase)![1];
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    onProgress({ phase, done, total, percent: Math.min(100, Math.floor(starts.get(phase)! + share * fraction)) });
  };
};

const COLORS = { allowed: '#2563eb', denied: '#dc2626', failed: '#d97706' };

/**
 * Builds a signed evidence pack for a tenant, framework and period: reads the trail page by page,
 * writes the CSVs as rows arrive, renders the report (HTML and PDF with the same charts), verifies
 * the trail, and signs a manifest of every file. Reports progress per phase with counts.
 */
export const generateEvidencePack = async (sources: EvidenceSources, request: EvidenceRequest, options: PackOptions): Promise<GeneratedPack> => {
  // the period's big CSVs are spooled to a private directory, streamed into the zip, then removed
  const spool = await mkdtemp(join(tmpdir(), 'mcpgate-evidence-'));
  try {
    return await build(sources, request, options, spool);
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
};

export interface PackOptions {
  readonly packId: string;
  readonly generatedAt: Date;
  readonly onProgress?: (progress: EvidenceProgress) => void;
}

const build = async (sources: EvidenceSources, request: EvidenceRequest, options: PackOptions, spool: string): Promise<GeneratedPack> => {
  const { sql, pointInTime } = sources;
  const { tenantId, framework } = request;
  const period = { from: request.from, to: request.to };
  const progress = progressReporter(options.onProgress ?? (() => {}));

  progress('state', 0, 1);
  const tenant: TenantView = await pointInTime.stateAt(tenantId, 'latest');
  const tenantName = tenant.tenant.status === 'absent' ? tenantId : tenant.tenant.displayName;
  progress('state', 1, 1);

  // ── tool calls: one pass writes tool-calls.csv, denials.csv and phi-access.csv ──
  const total = await countToolCalls(sql, tenantId, period);
  progress('tool-calls', 0, total);
  const calls = toolCallsCsv(join(spool, 'tool-calls.csv'));
  const denials = denialsCsv(join(spool, 'denials.csv'));
  const phi = framework === 'HIPAA' ? phiAccessCsv(join(spool, 'phi-access.csv')) : undefined;
  const phiMatcher = new PhiMatcher([...tenant.servers.values()]);
  const phiByTool = new Map<string, { calls: number; denied: number; principals: Set<string> }>();
  const phiPrincipals = new Set<string>();
  const principals = new Set<string>();
  const rules = new RuleTally();
  const outcomes = { allowed: 0, denied: 0, failed: 0 };
  await forEachToolCall(sql, tenantId, period, async (page) => {
    for (const r of page) {
      calls.add(r);
      denials.add(r);
      principals.add(r.principal);
      rules.add(r.policyLogPosition, r.ruleId, r.outcome);
      if (r.outcome === 'allowed' || r.outcome === 'denied' || r.outcome === 'failed') outcomes[r.outcome] += 1;
      if (phi) {
        const because = phiMatcher.match(r.upstreamServerId, r.tool);
        if (because) {
          phi.add(r, because);
          phiPrincipals.add(r.principal);
          const entry = phiByTool.get(r.tool ?? '') ?? { calls: 0, denied: 0, principals: new Set<string>() };
          entry.calls += 1;
          if (r.outcome === 'denied') entry.denied += 1;
          entry.principals.add(r.principal);
          phiByTool.set(r.tool ?? '', entry);
        }
      }
    }
    await Promise.all([calls.csv.flush(), denials.csv.flush(), phi?.csv.flush()]);
    progress('tool-calls', calls.csv.count, total);
  });

  // ── admin changes and key lifecycle from the admin activity read model ──
  progress('admin-changes', 0, 1);
  const admin = adminChangesCsv(join(spool, 'admin-changes.csv'));
  const lifecycle = keyLifecycleCsv();
  const keyNames = new Map<string, string>([...tenant.keys.values()].map((k) => [k.keyId, k.name]));
  const tokenOwners = new Map<string, string>();
  for (const a of tenant.serviceAccounts.values()) for (const t of a.tokens.keys()) tokenOwners.set(t, a.name);
  const lifecycleTypes = new Set<string>(KEY_LIFECYCLE_EVENTS);
  let lifecycleEvents = 0;
  await forEachAdminChange(sql, tenantId, period, async (page) => {
    for (const c of page) {
      admin.add(c);
      if (lifecycleTypes.has(c.type)) {
        const data = (c.data ?? {}) as Record<string, unknown>;
        const name = c.type.startsWith('VirtualKey') ? (keyNames.get(c.streamId.replace(/^virtual-key-/, '')) ?? String(data['name'] ?? '')) : (tokenOwners.get(String(data['tokenId'] ?? '')) ?? '');
        lifecycle.addChange(c, name);
        lifecycleEvents += 1;
      }
    }
    await admin.csv.flush();
    progress('admin-changes', admin.csv.count, admin.csv.count);
  });
  for (const k of tenant.keys.values()) {
    const at = k.expiresAt ? new Date(k.expiresAt) : undefined;
    if (at && at >= period.from && at < period.to && at <= options.generatedAt) {
      lifecycle.addExpiry(at, 'virtual-key', k.keyId, k.name);
      lifecycleEvents += 1;
    }
  }
  for (const a of tenant.serviceAccounts.values()) {
    for (const t of a.tokens.values()) {
      const at = t.expiresAt ? new Date(t.expiresAt) : undefined;
      if (at && at >= period.from && at < period.to && at <= options.generatedAt) {
        lifecycle.addExpiry(at, 'api-token', t.tokenId, a.name);
        lifecycleEvents += 1;
      }
    }
  }
  progress('admin-changes', 1, 1);

  progress('access-review', 0, 1);
  const users = [...tenant.bindings.values()].flatMap((b) => (b.subject.kind === 'user' ? [{ issuer: b.subject.issuer, subject: b.subject.subject }] : []));
  const [keyUse, tokenUse, userUse] = await Promise.all([keyLastUse(sql, tenantId, period), tokenLastUse(sql, tenantId, { before: period.to }), userLastSignIn(sql, users, period.to)]);
  const access = accessEntries(tenant, { keys: keyUse, tokens: tokenUse, users: userUse }, options.generatedAt);
  const accessCsv = accessReviewCsv(access);
  progress('access-review', 1, 1);

  progress('exporters', 0, 1);
  const exporters = await exporterStatuses(sql, tenant);
  const exportersCsv = exporterDeliveryCsv(exporters);
  progress('exporters', 1, 1);

  progress('verification', 0, total);
  const verification = await verifyAuditTrail(sql, { tenantId, from: period.from, to: period.to, keys: sources.keys, onProgress: ({ records }) => progress('verification', records, Math.max(total, records)) });
  progress('verification', verification.records, verification.records);

  progress('rules', 0, 1);
  const deciding = await decidingRules(pointInTime, tenantId, rules.entries());
  progress('rules', 1, 1);

  progress('charts', 0, 3);
  const aggregates = await activityAggregates(sql, tenantId, period);
  const bucketLabel = (d: Date) => (aggregates.interval === 'DAY' ? d.toISOString().slice(0, 10) : `${d.toISOString().slice(5, 13).replace('T', ' ')}:00`);
  const callsChart = aggregates.calls.length
    ? await renderChart({
        title: `Tool calls per ${aggregates.interval === 'DAY' ? 'day' : 'hour'} (UTC)`,
        xTitle: aggregates.interval === 'DAY' ? 'day' : 'hour',
        yTitle: 'calls',
        xType: 'temporal',
        colors: COLORS,
        points: aggregates.calls.flatMap((b) => (['allowed', 'denied', 'failed'] as const).map((o) => ({ x: bucketLabel(b.start), series: o, value: b[o] }))),
      })
    : null;
  progress('charts', 1, 3);
  const denialsChart = aggregates.denials.length
    ? await renderChart({
        title: 'Denied calls by reason',
        xTitle: 'reason',
        yTitle: 'denied calls',
        xType: 'nominal',
        colors: { denied: COLORS.denied },
        points: aggregates.denials.map((d) => ({ x: d.reason, series: 'denied', value: d.count })),
      })
    : null;
  progress('charts', 2, 3);
  const adminChart = aggregates.adminChanges.length
    ? await renderChart({
        title: `Access and configuration changes per ${aggregates.interval === 'DAY' ? 'day' : 'hour'} (UTC)`,
        xTitle: aggregates.interval === 'DAY' ? 'day' : 'hour',
        yTitle: 'changes',
        xType: 'temporal',
        colors: { changes: '#7c3aed' },
        points: aggregates.adminChanges.map((b) => ({ x: bucketLabel(b.start), series: 'changes', value: b.total })),
      })
    : null;
  progress('charts', 3, 3);

  progress('report', 0, 2);
  const phiSummary: PhiSummary | null =
    framework === 'HIPAA'
      ? {
          marked: [...tenant.servers.values()]
            .filter((s) => s.status === 'active' && (s.config.tags.includes('phi') || s.config.phiTools?.length))
            .map((s) => ({ server: s.config.name, serverId: s.serverId, marking: s.config.tags.includes('phi') ? 'all tools (tagged phi)' : `tools ${s.config.phiTools!.join(', ')}` })),
          calls: phi?.csv.count ?? 0,
          denied: [...phiByTool.values()].reduce((n, t) => n + t.denied, 0),
          principals: phiPrincipals.size,
          byTool: [...phiByTool.entries()].map(([tool, t]) => ({ tool, calls: t.calls, denied: t.denied, principals: t.principals.size })).sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
        }
      : null;
  const byControl = filesByControl(framework);
  const generatedBy = describeActor(request.requestedBy);
  const model: ReportModel = {
    packId: options.packId,
    tenantId,
    tenantName,
    framework,
    period,
    generatedAt: options.generatedAt,
    generatedBy,
    summary: { toolCalls: total, ...outcomes, principals: principals.size, adminChanges: admin.csv.count, keyLifecycleEvents: lifecycleEvents, exporters: exporters.length },
    charts: { calls: callsChart, denials: denialsChart, adminChanges: adminChart },
    chartInterval: aggregates.interval,
    topTools: aggregates.topTools,
    denials: aggregates.denials,
    access,
    phi: phiSummary,
    rules: deciding,
    verification,
    controls: controlsOf(framework).map((c) => ({ ...c, files: byControl.get(c.id) ?? [] })),
  };
  const html = Buffer.from(renderReportHtml(model), 'utf8');
  progress('report', 1, 2);
  const pdf = await renderReportPdf(model);
  progress('report', 2, 2);

  progress('archive', 0, 1);
  const memory = (bytes: Buffer): CsvOutput => ({ bytes, sha256: sha256Hex(bytes), size: bytes.length });
  const contents = new Map<string, CsvOutput>([
    ['report.html', memory(html)],
    ['report.pdf', memory(pdf)],
    ['csv/tool-calls.csv', await calls.csv.finish()],
    ['csv/denials.csv', await denials.csv.finish()],
    ['csv/access-review.csv', await accessCsv.finish()],
    ['csv/admin-changes.csv', await admin.csv.finish()],
    ['csv/key-lifecycle.csv', await lifecycle.csv.finish()],
    ['csv/exporter-delivery.csv', await exportersCsv.finish()],
    ['verification.json', memory(Buffer.from(`${JSON.stringify({ period: { from: period.from.toISOString(), to: period.to.toISOString() }, ...verification }, null, 2)}\n`, 'utf8'))],
    ['controls.csv', await controlsCsv(framework).finish()],
    ...(phi ? ([['csv/phi-access.csv', await phi.csv.finish()]] as const) : []),
  ]);
  const listed = packFiles(framework).map((path) => {
    const output = contents.get(path);
    if (!output) throw new Error(`the pack has no content for ${path}`);
    return { path, output };
  });
  const files: PackFile[] = listed.map(({ path, output }) => (output.path ? { path, file: output.path } : { path, bytes: output.bytes! }));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    packId: options.packId,
    tenantId,
    framework,
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    generatedAt: options.generatedAt.toISOString(),
    generatedBy,
    files: listed.map(({ path, output }) => ({ path, sha256: output.sha256, bytes: output.size, controls: controlsForFile(path, framework) })),
    signature: { algorithm: 'Ed25519', keyId: sources.signer.keyId, publicKeyPem: sources.publicKeyPem },
  };
  const signed = signManifest(manifest, sources.signer);
  const archive = await zipPack([{ path: MANIFEST_PATH, bytes: signed.manifest }, { path: SIGNATURE_PATH, bytes: signed.signature }, ...files]);
  progress('archive', 1, 1);
  return { archive, sha256: sha256Hex(archive), manifest };
};
