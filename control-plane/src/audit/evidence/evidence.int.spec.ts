/**
 * Evidence packs end to end on PostgreSQL: real tool-call records through the audit sink and real
 * admin changes through the command bus, packs generated through GraphQL (with progress) and the
 * CLI, downloaded over HTTP, unzipped, verified (signature, hashes, a tampered byte), and checked
 * row by row against what was recorded; permissions, bad periods and an empty period.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlCommand, controlPlaneConfigFromEnv, type AuditEvent } from '@mcpgate/contracts';
import { startPostgres, waitUntil, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantIdForSlug } from '../../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { forEachAdminChange, forEachToolCall } from './evidence-data.js';
import { EvidencePacks } from './evidence-job.js';
import { failPack, findPack, insertPack } from './evidence-store.js';
import { MANIFEST_PATH, type Manifest } from './manifest.js';
import { csvRecords } from './test/parse-csv.js';
import { verifyPack } from './verify-pack.js';
import { readZip } from './zip-reader.js';
import { adminApi, codeOf, dataOf } from '../../api/test/graphql-client.js';


const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = join(packageDir, '..', 'node_modules', '.bin', 'tsx');
const alpha = tenantIdForSlug('evidence-alpha');
const beta = tenantIdForSlug('evidence-beta');
const actor = { kind: 'system', component: 'test' } as const;
const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

/** Runs the CLI main in its own process; resolves with its exit status and output. */
const cli = (env: Record<string, string>, ...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(tsx, ['--conditions=@mcpgate/source', 'src/cli/main.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, ...env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

const pdfText = async (pdf: Buffer): Promise<{ pages: number; text: string }> => {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl = join(packageDir, '..', 'node_modules', 'pdfjs-dist', 'standard_fonts/');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, standardFontDataUrl }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    text += `${content.items.map((i) => ('str' in i ? i.str : '')).join(' ')}\n`;
  }
  const pages = doc.numPages;
  await doc.cleanup();
  return { pages, text };
};

const files = (zip: Buffer) => new Map(readZip(zip).map((e) => [e.path, e.bytes]));

describe('compliance evidence packs on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-evidence-'));
  let postgres: StartedPostgres;
  let databaseUrl: string;
  let sut: RunningControlPlane | undefined;
  let admin: string;
  const ids: Record<string, string> = {};
  let decidingPosition = '';
  const recorded: AuditEvent[] = [];

  const { login, gql } = adminApi(() => sut!.url);
  const data = dataOf;
  const run = async (tenantId: string, raw: unknown) => sut!.commands.execute(tenantId, ControlCommand.parse(raw), { actor });

  const GENERATE = `mutation($t: ID!, $i: GenerateEvidencePackInput!) { generateEvidencePack(tenantId: $t, input: $i) { id status framework progress { phase percent } } }`;
  const PACK = `query($t: ID!, $id: ID!) { evidencePack(tenantId: $t, id: $id) { id status sha256 bytes error downloadUrl requestedBy progress { phase done total percent } } }`;
  type PackNode = { id: string; status: string; requestedBy: string; sha256: string | null; bytes: number | null; error: string | null; downloadUrl: string | null; progress: { phase: string; percent: number } };

  /** Asks for a pack over GraphQL, follows its progress to the end, downloads it; returns the archive and the percents seen. */
  const generateOverApi = async (cookie: string, framework: string, from: string, to: string) => {
    const started = data(await gql(cookie, GENERATE, { t: alpha, i: { framework, from, to } }))['generateEvidencePack'] as PackNode;
    expect(started.status).toMatch(/QUEUED|RUNNING/);
    const percents: number[] = [];
    let node: PackNode | undefined;
    await waitUntil(
      'the evidence pack finished',
      async () => {
        node = data(await gql(cookie, PACK, { t: alpha, id: started.id }))['evidencePack'] as PackNode;
        percents.push(node.progress.percent);
        return node.status === 'SUCCEEDED' || node.status === 'FAILED';
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    expect(node!.error).toBeNull();
    expect(node!.status).toBe('SUCCEEDED');
    expect(node!.downloadUrl).toBe(`/evidence-packs/${alpha}/${started.id}.zip`);
    const res = await fetch(`${sut!.url}${node!.downloadUrl!}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${started.id}.zip"`);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.length).toBe(node!.bytes);
    return { zip, node: node!, percents };
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('evidence');
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0', DATABASE_URL: databaseUrl }));
    admin = await login();
    for (const slug of ['evidence-alpha', 'evidence-beta']) await run(undefined as unknown as string, { type: 'CreateTenant', data: { slug, displayName: `Tenant ${slug}`, regions: ['eu-west-1'] } });
    await run(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-auditors' }, role: 'compliance-auditor' } });
    await run(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'alpha-devs' }, role: 'developer' } });
    await run(beta, { type: 'CreateRoleBinding', data: { subject: { kind: 'group', idpId: 'dev', group: 'beta-admins' }, role: 'tenant-admin' } });
    const endpoint = (id: string) => ({ transport: 'streamable-http', endpoints: [{ id: 'primary', url: `https://${id}.example/mcp` }] });
    ids['ehr'] = (await run(alpha, { type: 'RegisterUpstreamServer', data: { config: { name: 'ehr', regions: ['eu-west-1'], connection: endpoint('ehr'), tags: ['phi'] } } })).createdId!;
    ids['labs'] = (await run(alpha, { type: 'RegisterUpstreamServer', data: { config: { name: 'labs', regions: ['eu-west-1'], connection: endpoint('labs'), phiTools: ['patient_*'] } } })).createdId!;
    ids['vs'] = (await run(alpha, { type: 'CreateVirtualServer', data: { config: { name: 'clinic', upstreams: [{ serverId: ids['ehr'] }, { serverId: ids['labs'] }] } } })).createdId!;
    const policy = await run(alpha, {
      type: 'CreatePolicy',
      data: { name: 'guard', document: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*'], description: 'nothing is deleted' }] } },
    });
    ids['policy'] = policy.createdId!;
    decidingPosition = `${policy.position!.partition}:${policy.position!.offset}`;
    await run(alpha, { type: 'UpdatePolicy', data: { policyId: ids['policy'], changeNote: '=cmd|harmless', document: { toolRules: [{ id: 'no-deletes', effect: 'deny', subjects: {}, tools: ['*delete*', '*drop*'] }] } } });
    ids['key'] = (await run(alpha, { type: 'IssueVirtualKey', data: { name: 'ci-bot', scopes: { virtualServerIds: [ids['vs']] } } })).createdId!;
    await run(alpha, { type: 'RotateVirtualKey', data: { keyId: ids['key'] } });
    ids['idleKey'] = (await run(alpha, { type: 'IssueVirtualKey', data: { name: 'idle-key', scopes: { virtualServerIds: [ids['vs']] } } })).createdId!;
    await run(alpha, { type: 'RevokeVirtualKey', data: { keyId: ids['idleKey'], reason: 'left the team' } });
    ids['binding'] = (await run(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'user', issuer: 'https://idp.example.com', subject: 'mallory' }, role: 'viewer' } })).createdId!;
    await run(alpha, { type: 'RemoveRoleBinding', data: { bindingId: ids['binding'] } });

    const call = (i: number, tool: string, server: string, outcome: 'allowed' | 'denied' | 'failed', tenantId = alpha): AuditEvent => ({
      schemaVersion: 1,
      eventId: randomUUID(),
      time: minutesAgo(40 - i),
      tenantId,
      region: 'eu-west-1',
      proxyId: 'proxy-a',
      principal: i % 2 === 0 ? { kind: 'virtual-key', keyId: ids['key']!, keyPrefix: 'mcpg_ci' } : { kind: 'oauth', issuer: 'https://idp.example.com', subject: 'alice', groups: [] },
      virtualServerId: ids['vs']!,
      upstreamServerId: server,
      method: 'tools/call',
      tool,
      decision: {
        outcome,
        reason: outcome === 'allowed' ? 'policy.allowed' : outcome === 'denied' ? 'policy.tool_denied' : 'upstream.timeout',
        ...(outcome === 'denied' ? { ruleId: 'no-deletes', message: '@SUM(1+1) looks like a formula' } : {}),
      },
      latencyMs: 10 + i,
      policyVersion: { logPosition: decidingPosition, contentHash: 'b'.repeat(64) },
    });
    recorded.push(
      call(0, 'read_chart', ids['ehr']!, 'allowed'),
      call(1, 'read_chart', ids['ehr']!, 'allowed'),
      call(2, 'delete_chart', ids['ehr']!, 'denied'),
      call(3, 'patient_lookup', ids['labs']!, 'allowed'),
      call(4, 'patient_lookup', ids['labs']!, 'failed'),
      call(5, 'inventory', ids['labs']!, 'allowed'),
      call(6, 'inventory', ids['labs']!, 'allowed'),
      call(7, 'delete_sample', ids['labs']!, 'denied'),
    );
    const foreign = call(8, 'read_chart', ids['ehr']!, 'allowed', beta);
    expect(await sut.audit.ingest([...recorded, foreign])).toMatchObject({ appended: 9 });
    ids['exporter'] = (await run(alpha, { type: 'CreateAuditExporter', data: { name: 'archive', destination: { kind: 'file', directory: 'alpha-archive' } } })).createdId!;
    // a user who holds a role and has signed in, and a service account whose API token has been used
    ids['dave'] = (await run(alpha, { type: 'CreateRoleBinding', data: { subject: { kind: 'user', issuer: 'urn:mcpgate:dev-login', subject: 'dave' }, role: 'viewer' } })).createdId!;
    await login({ subject: 'dave', platformAdmin: false });
    const sa = data(await gql(admin, 'mutation($t: ID!) { createServiceAccount(tenantId: $t, name: "ci", permissions: ["server:read"]) { id } }', { t: alpha }))['createServiceAccount'] as { id: string };
    const issued = data(await gql(admin, 'mutation($t: ID!, $s: ID!) { issueApiToken(tenantId: $t, serviceAccountId: $s) { tokenId token } }', { t: alpha, s: sa.id }))['issueApiToken'] as { tokenId: string; token: string };
    ids['token'] = issued.tokenId;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sut.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.token}` }, body: JSON.stringify({ query: 'query($t: ID!) { upstreamServers(tenantId: $t) { nodes { id } } }', variables: { t: alpha } }) });
      expect(res.status).toBe(200);
    }
    await waitUntil('the token use was written', async () => (await sut!.audit.sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM api_token_use WHERE token_id = $1`, issued.tokenId))[0]!.n === 1, { timeoutMs: 20_000 });
    await waitUntil('the token issue reached the trail', async () => (await sut!.audit.sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND method = 'admin/ApiTokenIssued'`, alpha))[0]!.n === 1, { timeoutMs: 20_000 });
    // the admin changes reach the trail through the admin feed; wait until the last one is in
    await waitUntil('the admin changes reached the trail', async () => (await sut!.audit.sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND method = 'admin/RoleBindingRemoved'`, alpha))[0]!.n === 1, { timeoutMs: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await sut?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const from = minutesAgo(60);
  const to = new Date(NOW + 10 * 60_000).toISOString();

  it('generates a signed SOC 2 pack through GraphQL with progress to 100%, whose CSVs match what was recorded', async () => {
    const auditor = await login({ subject: 'carol', groups: ['alpha-auditors'], platformAdmin: false });
    const { zip, node, percents } = await generateOverApi(auditor, 'SOC2', from, to);
    expect(node.progress).toMatchObject({ phase: 'done', percent: 100 });
    expect(percents.at(-1)).toBe(100);
    expect(node.requestedBy).toMatch(/^user:.* carol/);

    const verdict = verifyPack(zip, { trustedKeys: sut!.trustedSigningKeys });
    expect(verdict).toMatchObject({ ok: true, packId: node.id, tenantId: alpha, framework: 'SOC2', trusted: true });
    const pack = files(zip);
    const manifest = JSON.parse(pack.get(MANIFEST_PATH)!.toString('utf8')) as Manifest;
    expect(manifest.files.map((f) => f.path)).toEqual([
      'report.html', 'report.pdf', 'csv/tool-calls.csv', 'csv/denials.csv', 'csv/access-review.csv', 'csv/admin-changes.csv', 'csv/key-lifecycle.csv', 'csv/exporter-delivery.csv', 'verification.json', 'controls.csv',
    ]);
    expect(pack.has('csv/phi-access.csv')).toBe(false);

    const calls = csvRecords(pack.get('csv/tool-calls.csv')!.toString('utf8'));
    expect(calls.map((c) => c['event_id'])).toEqual(recorded.map((e) => e.eventId));
    expect(calls.filter((c) => c['outcome'] === 'failed')).toHaveLength(1);
    expect(calls[0]).toMatchObject({ principal: `virtual-key:${ids['key']}`, key_id: ids['key'], tool: 'read_chart', upstream_server_id: ids['ehr'], policy_version: decidingPosition, latency_ms: '10', region: 'eu-west-1' });

    const denials = csvRecords(pack.get('csv/denials.csv')!.toString('utf8'));
    expect(denials.map((d) => [d['tool'], d['reason'], d['deciding_rule']])).toEqual([
      ['delete_chart', 'policy.tool_denied', 'no-deletes'],
      ['delete_sample', 'policy.tool_denied', 'no-deletes'],
    ]);
    // a cell that a spreadsheet would run as a formula is prefixed
    expect(denials[0]!['message']).toBe("'@SUM(1+1) looks like a formula");

    const access = csvRecords(pack.get('csv/access-review.csv')!.toString('utf8'));
    const key = access.find((a) => a['id'] === ids['key'])!;
    expect(key).toMatchObject({ subject_kind: 'virtual-key', status: 'active', calls_to_period_end: '4', last_used_at: recorded[6]!.time });
    expect(access.find((a) => a['id'] === ids['idleKey'])).toMatchObject({ status: 'revoked', last_used_at: '', calls_to_period_end: '0' });
    expect(access.find((a) => a['subject'] === 'dev alpha-auditors')).toMatchObject({ subject_kind: 'group', role: 'compliance-auditor', permissions: expect.stringContaining('evidence:generate') });
    expect(access.find((a) => a['id'] === ids['binding'])).toMatchObject({ subject_kind: 'user', status: 'removed', permissions: '' });
    // last use of credentials the trail does not hold: a user's sign-in, an API token's requests
    const dave = access.find((a) => a['id'] === ids['dave'])!;
    expect(dave).toMatchObject({ subject_kind: 'user', subject: 'urn:mcpgate:dev-login dave', status: 'active' });
    expect(Date.parse(dave['last_used_at']!)).toBeGreaterThan(NOW - 60_000);
    const token = access.find((a) => a['id'] === ids['token'])!;
    expect(token).toMatchObject({ subject_kind: 'api-token', status: 'active', calls_to_period_end: '2' });
    expect(Date.parse(token['last_used_at']!)).toBeGreaterThan(NOW - 60_000);

    const changes = csvRecords(pack.get('csv/admin-changes.csv')!.toString('utf8'));
    // in the order they were applied: by log position as numbers (0:9 before 0:10)
    const offsets = changes.map((c) => Number(c['log_position']!.split(':')[1]));
    expect(offsets.length).toBeGreaterThan(10);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const removed = changes.find((c) => c['event_type'] === 'RoleBindingRemoved')!;
    expect(removed).toMatchObject({ actor: 'system:test', stream: `role-binding-${ids['binding']}` });
    expect(JSON.parse(removed['before']!)).toMatchObject({ status: 'active', role: 'viewer' });
    expect(JSON.parse(removed['after']!)).toMatchObject({ status: 'removed' });
    const update = changes.find((c) => c['event_type'] === 'PolicyUpdated')!;
    expect(JSON.parse(update['after']!)).toMatchObject({ document: { toolRules: [{ tools: ['*delete*', '*drop*'] }] } });
    // key states carry their secret hashes only as "[redacted]"
    expect(changes.some((c) => c['after']!.includes('"secretHash":"[redacted]"'))).toBe(true);
    expect(changes.filter((c) => /"(secretHash|previousSecretHash|secret)":"(?!\[redacted\])/.test(`${c['before']}${c['after']}`))).toEqual([]);

    const lifecycle = csvRecords(pack.get('csv/key-lifecycle.csv')!.toString('utf8'));
    expect(lifecycle.map((l) => [l['credential_id'], l['step'], l['actor']])).toEqual([
      [ids['key'], 'issued', 'system:test'],
      [ids['key'], 'rotated', 'system:test'],
      [ids['idleKey'], 'issued', 'system:test'],
      [ids['idleKey'], 'revoked', 'system:test'],
      [ids['token'], 'issued', expect.stringMatching(/^user:/)],
    ]);
    expect(lifecycle[3]!['detail']).toBe('reason: left the team');

    const exporters = csvRecords(pack.get('csv/exporter-delivery.csv')!.toString('utf8'));
    expect(exporters).toEqual([expect.objectContaining({ exporter_id: ids['exporter'], name: 'archive', kind: 'file', status: 'active', enabled: 'true', dead_letters: '0' })]);
    expect(Number(exporters[0]!['head_seq'])).toBeGreaterThan(recorded.length);
    expect(Number(exporters[0]!['lag'])).toBe(Number(exporters[0]!['head_seq']) - Number(exporters[0]!['cursor_seq'] || 0));
    const verification = JSON.parse(pack.get('verification.json')!.toString('utf8')) as Record<string, unknown>;
    expect(verification).toMatchObject({ ok: true, tenantId: alpha, macChecked: true });
    const controls = csvRecords(pack.get('controls.csv')!.toString('utf8'));
    expect(new Set(controls.map((c) => c['control']))).toEqual(new Set(['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC7.2', 'CC7.3', 'CC8.1']));

    const html = pack.get('report.html')!.toString('utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain('no-deletes');
    expect(html).toContain('guard v1');
    expect(html).toContain('&quot;=cmd|harmless&quot;'.replace(/&quot;/g, '“').replace(/“$/, '”'));
    const pdf = await pdfText(pack.get('report.pdf')!);
    expect(pdf.pages).toBeGreaterThanOrEqual(4);
    expect(pdf.text).toContain('SOC 2');
    expect(pdf.text).toContain(node.id);
    expect(pdf.text).toContain('Tool calls over time');
    expect(pdf.text).toMatch(/Page 2 of \d+/);
    writeFileSync(join(dataDir, 'soc2.zip'), zip);
  }, 120_000);

  it('generates a HIPAA pack that reports calls to PHI-tagged servers and PHI tool globs', async () => {
    const servers = data(await gql(admin, `query($t: ID!) { upstreamServers(tenantId: $t) { nodes { name phi phiTools } } }`, { t: alpha }))['upstreamServers'] as { nodes: unknown[] };
    expect(servers.nodes).toEqual([
      { name: 'ehr', phi: true, phiTools: [] },
      { name: 'labs', phi: false, phiTools: ['patient_*'] },
    ]);
    const { zip } = await generateOverApi(admin, 'HIPAA', from, to);
    expect(verifyPack(zip, { trustedKeys: sut!.trustedSigningKeys })).toMatchObject({ ok: true, framework: 'HIPAA' });
    const pack = files(zip);
    const phi = csvRecords(pack.get('csv/phi-access.csv')!.toString('utf8'));
    expect(phi.map((p) => [p['tool'], p['outcome'], p['phi_because']])).toEqual([
      ['read_chart', 'allowed', 'server tagged phi'],
      ['read_chart', 'allowed', 'server tagged phi'],
      ['delete_chart', 'denied', 'server tagged phi'],
      ['patient_lookup', 'allowed', 'tool matches patient_*'],
      ['patient_lookup', 'failed', 'tool matches patient_*'],
    ]);
    expect(phi[1]).toMatchObject({ principal: 'oauth:https://idp.example.com alice' });
    const controls = csvRecords(pack.get('controls.csv')!.toString('utf8'));
    expect(new Set(controls.map((c) => c['control']))).toEqual(new Set(['164.308(a)(1)(ii)(D)', '164.308(a)(3)/(4)', '164.312(a)(1)', '164.312(b)', '164.312(c)(1)', '164.312(d)', '164.312(e)(1)']));
    const pdf = await pdfText(pack.get('report.pdf')!);
    expect(pdf.text).toContain('Access to PHI');
    expect(pdf.text).toMatch(/5 call\(s\) to PHI tools by 2 caller\(s\), 1 denied/);
    writeFileSync(join(dataDir, 'hipaa.zip'), zip);
  }, 120_000);

  it('gives an empty period a valid pack that says there were no tool calls', async () => {
    const { zip } = await generateOverApi(admin, 'SOC2', new Date(NOW - 30 * 86_400_000).toISOString(), new Date(NOW - 29 * 86_400_000).toISOString());
    expect(verifyPack(zip)).toMatchObject({ ok: true, trusted: false });
    const pack = files(zip);
    expect(csvRecords(pack.get('csv/tool-calls.csv')!.toString('utf8'))).toEqual([]);
    expect(pack.get('report.html')!.toString('utf8')).toContain('No tool calls in this period.');
    expect(pack.get('report.html')!.toString('utf8')).not.toContain('<svg');
    expect((await pdfText(pack.get('report.pdf')!)).text).toContain('No tool calls in this period.');
  }, 120_000);

  it('refuses another tenant’s admin (generate and download), bad periods and frameworks, and unknown packs', async () => {
    const betaAdmin = await login({ subject: 'bert', groups: ['beta-admins'], platformAdmin: false });
    const developer = await login({ subject: 'bob', groups: ['alpha-devs'], platformAdmin: false });
    expect(codeOf(await gql(betaAdmin, GENERATE, { t: alpha, i: { framework: 'SOC2', from, to } }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(developer, GENERATE, { t: alpha, i: { framework: 'SOC2', from, to } }))).toBe('FORBIDDEN');
    const list = data(await gql(admin, `query($t: ID!) { evidencePacks(tenantId: $t, first: 10) { totalCount nodes { id downloadUrl } } }`, { t: alpha }))['evidencePacks'] as { totalCount: number; nodes: { id: string; downloadUrl: string }[] };
    expect(list.totalCount).toBe(3);
    expect(list.nodes.map((n) => n.downloadUrl)).toEqual(list.nodes.map((n) => `/evidence-packs/${alpha}/${n.id}.zip`));
    const url = list.nodes[0]!.downloadUrl;
    expect((await fetch(`${sut!.url}${url}`, { headers: { cookie: betaAdmin } })).status).toBe(403);
    expect((await fetch(`${sut!.url}${url}`, { headers: { cookie: developer } })).status).toBe(403);
    expect((await fetch(`${sut!.url}${url}`)).status).toBe(401);
    // beta's admin asking for alpha's pack under beta's id: not found, not another tenant's bytes
    expect((await fetch(`${sut!.url}${url.replace(alpha, beta)}`, { headers: { cookie: betaAdmin } })).status).toBe(404);
    expect(codeOf(await gql(betaAdmin, PACK, { t: beta, id: list.nodes[0]!.id }))).toBe('NOT_FOUND');
    expect(codeOf(await gql(betaAdmin, PACK, { t: alpha, id: list.nodes[0]!.id }))).toBe('FORBIDDEN');

    expect(codeOf(await gql(admin, GENERATE, { t: alpha, i: { framework: 'SOC2', from: to, to: from } }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, GENERATE, { t: alpha, i: { framework: 'SOC2', from: new Date(NOW + 86_400_000).toISOString(), to: new Date(NOW + 2 * 86_400_000).toISOString() } }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, GENERATE, { t: alpha, i: { framework: 'SOC2', from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, GENERATE, { t: alpha, i: { framework: 'PCI', from, to } }))).toBe('VALIDATION');
    expect(codeOf(await gql(admin, PACK, { t: alpha, id: 'evp_00000000000000000000' }))).toBe('NOT_FOUND');
  }, 60_000);

  it('reads tool calls and admin changes page by page without skipping or repeating a row', async () => {
    const period = { from: new Date(from), to: new Date(to) };
    const seen: string[] = [];
    let pages = 0;
    await forEachToolCall(sut!.audit.sql, alpha, period, (page) => {
      pages += 1;
      seen.push(...page.map((r) => r.eventId));
    }, 3);
    expect(pages).toBe(3);
    expect(seen).toEqual(recorded.map((e) => e.eventId));
    const all: string[] = [];
    await forEachAdminChange(sut!.audit.sql, alpha, period, (page) => void all.push(...page.map((c) => c.logPosition)));
    const paged: string[] = [];
    await forEachAdminChange(sut!.audit.sql, alpha, period, (page) => void paged.push(...page.map((c) => c.logPosition)), { pageRows: 4 });
    expect(paged).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
    const keys: string[] = [];
    await forEachAdminChange(sut!.audit.sql, alpha, period, (page) => void keys.push(...page.map((c) => c.type)), { types: ['VirtualKeyIssued', 'VirtualKeyRevoked'], pageRows: 1 });
    expect(keys).toEqual(['VirtualKeyIssued', 'VirtualKeyIssued', 'VirtualKeyRevoked']);
  });

  it('marks a job whose process stopped as failed "interrupted", and leaves the jobs of live replicas alone', async () => {
    const sql = sut!.audit.sql;
    const progress = { phase: 'tool-calls', done: 3, total: 8, percent: 20 };
    const job = (id: string, createdAt: Date) => ({ id, tenantId: alpha, framework: 'SOC2' as const, from: new Date(from), to: new Date(to), status: 'running' as const, progress, requestedBy: actor, createdAt });
    // one job whose process stopped two minutes ago, one that another replica is running now
    await insertPack(sql, job('evp_aaaaaaaaaaaaaaaaaaaa', new Date(Date.now() - 120_000)), 'replica-gone');
    await insertPack(sql, job('evp_bbbbbbbbbbbbbbbbbbbb', new Date()), 'replica-alive');
    const restarted = new EvidencePacks({ sql, pointInTime: undefined as never, keys: { signing: new Map() }, signer: undefined as never, publicKeyPem: '' });
    expect(await restarted.start()).toBe(1);
    await restarted.stop();
    expect(await findPack(sql, alpha, 'evp_bbbbbbbbbbbbbbbbbbbb')).toMatchObject({ status: 'running', error: null });
    await failPack(sql, 'evp_bbbbbbbbbbbbbbbbbbbb', 'test over', new Date());
    // a running process renews the lease of its own jobs and fails abandoned ones as it goes
    const live = new EvidencePacks({ sql, pointInTime: undefined as never, keys: { signing: new Map() }, signer: undefined as never, publicKeyPem: '' }, { leaseMs: 400 });
    await live.start();
    await insertPack(sql, job('evp_cccccccccccccccccccc', new Date(Date.now() - 120_000)), live.owner);
    await insertPack(sql, job('evp_dddddddddddddddddddd', new Date(Date.now() - 120_000)), 'replica-gone');
    await vi.waitFor(async () => expect(await findPack(sql, alpha, 'evp_dddddddddddddddddddd')).toMatchObject({ status: 'failed', error: 'interrupted' }), { timeout: 5_000 });
    expect(await findPack(sql, alpha, 'evp_cccccccccccccccccccc')).toMatchObject({ status: 'running' });
    await live.stop();
    await failPack(sql, 'evp_cccccccccccccccccccc', 'test over', new Date());
    expect(await findPack(sql, alpha, 'evp_aaaaaaaaaaaaaaaaaaaa')).toMatchObject({ status: 'failed', error: 'interrupted', progress });
    expect(await findPack(sql, beta, 'evp_aaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    const node = data(await gql(admin, PACK, { t: alpha, id: 'evp_aaaaaaaaaaaaaaaaaaaa' }))['evidencePack'] as PackNode;
    expect(node).toMatchObject({ status: 'FAILED', error: 'interrupted', downloadUrl: null });
  });

  it('generates and verifies packs with the CLI; a byte changed in a CSV makes verify fail naming that file', async () => {
    const env = { MCPGATE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
    const api = join(dataDir, 'soc2.zip');
    const good = await cli(env, 'evidence', 'verify', api);
    expect(good).toMatchObject({ status: 0, stdout: expect.stringMatching(/^valid: pack evp_/) });

    const zip = readFileSync(api);
    const entries = readZip(zip);
    const csv = entries.find((e) => e.path === 'csv/denials.csv')!;
    // rebuild the archive with one byte of the CSV changed (stored entries are rewritten by zipPack)
    const { zipPack } = await import('./pack-archive.js');
    const tampered = await zipPack(entries.map((e) => (e === csv ? { path: e.path, bytes: Buffer.concat([e.bytes.subarray(0, 40), Buffer.from([e.bytes[40]! ^ 1]), e.bytes.subarray(41)]) } : e)));
    writeFileSync(join(dataDir, 'tampered.zip'), tampered);
    const bad = await cli(env, 'evidence', 'verify', join(dataDir, 'tampered.zip'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('invalid: csv/denials.csv: hash_mismatch');

    // the embedded event log is locked while the control plane runs: generate after it stopped
    await sut!.close();
    sut = undefined;
    const out = join(dataDir, 'cli-hipaa.zip');
    const generated = await cli(env, 'evidence', 'generate', '--tenant', alpha, '--framework', 'hipaa', '--from', from, '--to', to, '--out', out);
    expect(generated.stderr).toContain('tool-calls: started');
    expect(generated.stderr).toMatch(/tool-calls: 8\/8 \(\d+%\)/);
    expect(generated.stderr).toContain('archive: 1/1 (100%)');
    expect(generated.stderr).not.toContain('\r');
    expect(generated).toMatchObject({ status: 0, stdout: expect.stringContaining(`wrote ${out}`) });
    const pack = files(readFileSync(out));
    expect(csvRecords(pack.get('csv/phi-access.csv')!.toString('utf8'))).toHaveLength(5);
    expect((await cli(env, 'evidence', 'verify', out)).status).toBe(0);

    const usage = await cli(env, 'evidence', 'generate', '--tenant', alpha, '--framework', 'pci', '--from', from, '--to', to, '--out', out);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('framework must be one of SOC2, HIPAA');
  }, 240_000);
});
