/**
 * The exporters through the GraphQL API of a whole control plane in its embedded default (file
 * event log, PGlite, the audit sink's in-process ingest, the exporters role wired by
 * startControlPlane): configure, deliver, read the status; permissions, typed errors, no secrets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, type AuditEvent } from '@mcpgate/contracts';
import { startWebhookReceiver, waitUntil, type WebhookReceiver } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../../start.js';
import { auditEvent } from '../test/audit-fixtures.js';
import { TEST_TIMING } from './test/siem-harness.js';
import { adminApi, codeOf, dataOf } from '../../api/test/graphql-client.js';


const HMAC_KEY = 'whsec_api_test_SECRET_value';

describe('audit exporters through the GraphQL API (embedded control plane)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-siem-api-'));
  let sut: RunningControlPlane;
  let webhook: WebhookReceiver;
  let admin: string;
  let tenant: string;

  const { login, gql } = adminApi(() => sut.url);
  const data = dataOf;
  const CREATE = 'mutation($t: ID!, $i: CreateAuditExporterInput!) { createAuditExporter(tenantId: $t, input: $i) { id } }';
  const LIST = `query($t: ID!) { auditExporters(tenantId: $t) { id name kind enabled status destination batchSize maxAttempts startFrom
    delivery { cursorSeq headSeq lag delivered lastDeliveryAt lastError deadLetters consecutiveFailures deliveringInstance } } }`;
  type Listed = { id: string; name: string; kind: string; destination: Record<string, unknown>; delivery: { cursorSeq: number; headSeq: number; lag: number; delivered: number; deadLetters: number } | null };

  beforeAll(async () => {
    webhook = await startWebhookReceiver({ key: HMAC_KEY });
    sut = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }), { exporters: { timing: TEST_TIMING } });
    admin = await login();
    tenant = (data(await gql(admin, 'mutation { createTenant(input: { slug: "siem-api", displayName: "SIEM API", regions: ["eu-west-1"] }) { id } }'))['createTenant'] as { id: string }).id;
    data(await gql(admin, 'mutation($t: ID!) { createRoleBinding(tenantId: $t, subject: { kind: "group", idpId: "dev", group: "auditors" }, role: "compliance-auditor") { id } }', { t: tenant }));
  });
  afterAll(async () => {
    await sut?.close();
    await webhook?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a webhook exporter on a vaulted credential, delivers the trail, and reports cursor, lag and deliveries without the secret', async () => {
    const credentialId = (data(await gql(admin, 'mutation($t: ID!, $s: String!) { storeCredential(tenantId: $t, name: "siem-hmac", secret: $s) { id } }', { t: tenant, s: HMAC_KEY }))['storeCredential'] as { id: string }).id;
    const created = data(await gql(admin, CREATE, { t: tenant, i: { name: 'soc-webhook', destination: { kind: 'webhook', url: `${webhook.url}/in`, signingKeyCredentialId: credentialId }, batchSize: 10 } }));
    const exporterId = (created['createAuditExporter'] as { id: string }).id;
    expect(exporterId).toMatch(/^exp_/);

    const calls: AuditEvent[] = Array.from({ length: 25 }, (_, i) => ({ ...auditEvent(1, i + 1), tenantId: tenant }) as AuditEvent);
    await sut.audit.ingest(calls);
    const delivered = () => webhook.deliveries.flatMap((d) => (d.body['events'] as { seq: number; event: { eventId: string } }[]));
    await waitUntil('the tool calls at the webhook', () => calls.every((c) => delivered().some((e) => e.event.eventId === c.eventId)), { timeoutMs: 30_000 });
    expect(webhook.refused).toEqual([]);
    // the trail also holds the tenant's admin records (kind admin): every seq arrives in order
    const seqs = delivered().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

    const listed = await waitUntil('the status to show no lag', async () => {
      const list = data(await gql(admin, LIST, { t: tenant }))['auditExporters'] as Listed[];
      return list[0]?.delivery?.lag === 0 && list[0].delivery.cursorSeq >= seqs.length ? list : undefined;
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: exporterId, name: 'soc-webhook', kind: 'webhook', destination: { signingKeyCredentialId: credentialId, format: 'mcpgate' }, delivery: { deadLetters: 0 } });
    expect(listed[0]!.delivery!.delivered).toBeGreaterThanOrEqual(seqs.length);
    expect(JSON.stringify(listed)).not.toContain(HMAC_KEY);
    expect(await sut.exporters!.metrics.render()).toMatch(new RegExp(`mcpgate_audit_export_lag_events\\{tenant="${tenant}",exporter="${exporterId}",kind="webhook"\\} 0`));
  });

  it('lets a compliance auditor read exporters but not change them, and refuses other tenants', async () => {
    const auditor = await login({ subject: 'auditor', platformAdmin: false, groups: ['auditors'] });
    expect((data(await gql(auditor, LIST, { t: tenant }))['auditExporters'] as Listed[]).length).toBe(1);
    expect(codeOf(await gql(auditor, CREATE, { t: tenant, i: { name: 'x', destination: { kind: 'file', directory: 'x' } } }))).toBe('FORBIDDEN');
    const other = (data(await gql(admin, 'mutation { createTenant(input: { slug: "siem-other", displayName: "Other", regions: ["eu-west-1"] }) { id } }'))['createTenant'] as { id: string }).id;
    expect(codeOf(await gql(auditor, LIST, { t: other }))).toBe('FORBIDDEN');
  });

  it('answers bad input with typed errors: insecure URLs, unknown credentials, names taken, unknown exporters', async () => {
    const credentialId = (data(await gql(admin, 'query($t: ID!) { credentials(tenantId: $t) { nodes { id name } } }', { t: tenant }))['credentials'] as { nodes: { id: string }[] }).nodes[0]!.id;
    const insecure = await gql(admin, CREATE, { t: tenant, i: { name: 'insecure', destination: { kind: 'webhook', url: 'http://siem.example/in', signingKeyCredentialId: credentialId } } });
    expect(codeOf(insecure)).toBe('VALIDATION');
    expect(JSON.stringify(insecure.errors)).toMatch(/https/);
    expect(codeOf(await gql(admin, CREATE, { t: tenant, i: { name: 'nokey', destination: { kind: 'splunk-hec', url: 'https://splunk.example', tokenCredentialId: 'cred_doesnotexist' } } }))).toBe('NOT_FOUND');
    expect(codeOf(await gql(admin, CREATE, { t: tenant, i: { name: 'soc-webhook', destination: { kind: 'file', directory: 'x' } } }))).toBe('CONFLICT');
    expect(codeOf(await gql(admin, 'mutation($t: ID!) { disableAuditExporter(tenantId: $t, exporterId: "exp_doesnotexist") { streamId } }', { t: tenant }))).toBe('NOT_FOUND');
    expect(codeOf(await gql(admin, 'mutation($t: ID!, $c: ID!) { deleteCredential(tenantId: $t, credentialId: $c) { streamId } }', { t: tenant, c: credentialId }))).toBe('CONFLICT');
  });

  it('deletes an exporter: it stops and leaves the list, its dead-letter history stays queryable', async () => {
    const [listed] = data(await gql(admin, LIST, { t: tenant }))['auditExporters'] as Listed[];
    data(await gql(admin, 'mutation($t: ID!, $e: ID!) { deleteAuditExporter(tenantId: $t, exporterId: $e) { streamId } }', { t: tenant, e: listed!.id }));
    expect(data(await gql(admin, LIST, { t: tenant }))['auditExporters']).toEqual([]);
    expect(data(await gql(admin, 'query($t: ID!, $e: ID!) { auditExportDeadLetters(tenantId: $t, exporterId: $e) { id } }', { t: tenant, e: listed!.id }))['auditExportDeadLetters']).toEqual([]);
    await sut.exporters!.settled();
    expect(sut.exporters!.workerState(listed!.id)).toBeUndefined();
  });

  it('redrives a dead letter on request: exporter:manage only, typed errors, and the records arrive once the receiver is back', async () => {
    const credentialId = (data(await gql(admin, 'mutation($t: ID!, $s: String!) { storeCredential(tenantId: $t, name: "redrive-hmac", secret: $s) { id } }', { t: tenant, s: HMAC_KEY }))['storeCredential'] as { id: string }).id;
    await webhook.down();
    const exporterId = (
      data(await gql(admin, CREATE, { t: tenant, i: { name: 'flaky', destination: { kind: 'webhook', url: `${webhook.url}/flaky`, signingKeyCredentialId: credentialId }, batchSize: 5, maxAttempts: 1, startFrom: 'latest' } }))[
        'createAuditExporter'
      ] as { id: string }
    ).id;
    await sut.exporters!.settled();
    await waitUntil('the exporter to run', () => ['idle', 'delivering', 'retrying'].includes(sut.exporters!.workerState(exporterId)?.phase ?? ''));
    const calls: AuditEvent[] = Array.from({ length: 5 }, (_, i) => ({ ...auditEvent(1, 100 + i), tenantId: tenant }) as AuditEvent);
    await sut.audit.ingest(calls);
    const LETTERS = 'query($t: ID!, $e: ID!) { auditExportDeadLetters(tenantId: $t, exporterId: $e) { id events redrive { id status attempts lastError requestedBy } } }';
    type Letter = { id: string; events: number; redrive: { id: string; status: string; attempts: number; lastError: string | null; requestedBy: Record<string, unknown> } | null };
    const letters = await waitUntil('a dead letter', async () => {
      const list = data(await gql(admin, LETTERS, { t: tenant, e: exporterId }))['auditExportDeadLetters'] as Letter[];
      return list.reduce((n, l) => n + l.events, 0) >= 5 ? list : undefined;
    });
    expect(letters.every((l) => l.redrive === null)).toBe(true);

    const REDRIVE = 'mutation($t: ID!, $e: ID!, $d: ID!) { redriveAuditExportDeadLetter(tenantId: $t, exporterId: $e, deadLetterId: $d) { id status requestedBy } }';
    const auditor = await login({ subject: 'auditor', platformAdmin: false, groups: ['auditors'] });
    expect(codeOf(await gql(auditor, REDRIVE, { t: tenant, e: exporterId, d: letters[0]!.id }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(admin, REDRIVE, { t: tenant, e: exporterId, d: '987654321' }))).toBe('NOT_FOUND');
    expect(codeOf(await gql(admin, REDRIVE, { t: tenant, e: 'exp_doesnotexist', d: letters[0]!.id }))).toBe('NOT_FOUND');

    await webhook.up();
    for (const letter of letters) {
      const redrive = data(await gql(admin, REDRIVE, { t: tenant, e: exporterId, d: letter.id }))['redriveAuditExportDeadLetter'] as { status: string; requestedBy: Record<string, unknown> };
      expect(redrive).toMatchObject({ status: expect.stringMatching(/^(pending|delivered)$/), requestedBy: { kind: 'user', subject: 'dev-admin' } });
    }
    await waitUntil('every redrive delivered', async () =>
      (data(await gql(admin, LETTERS, { t: tenant, e: exporterId }))['auditExportDeadLetters'] as Letter[]).every((l) => l.redrive?.status === 'delivered'),
    );
    const arrived = webhook.deliveries.flatMap((d) => (d.body['events'] as { event: { eventId: string } }[]).map((e) => e.event.eventId));
    expect(calls.every((c) => arrived.includes(c.eventId))).toBe(true);
  });
});
