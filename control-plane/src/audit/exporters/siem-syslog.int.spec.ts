/**
 * Syslog RFC 5424 export to Debian's rsyslog in a container (scripts/infra/images/rsyslog), over
 * TCP with CEF and over TLS with LEEF, read back from what rsyslog parsed and wrote. rsyslogd is
 * killed (kill -9) mid-stream and restarted: every seq still arrives, in order.
 */
import { startPostgres, startRsyslog, waitUntil, type StartedPostgres, type StartedRsyslog, type SyslogReceived } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../infra/database/database.js';
import type { AuditSink } from '../audit-sink.js';
import type { AuditExporters } from './audit-exporters.js';
import { deliveryStates } from './export-store.js';
import { events, firstOccurrences, range, startExporters, startSink, tempDir, TenantConfigs } from './test/siem-harness.js';

let postgres: StartedPostgres;
let rsyslog: StartedRsyslog;
let database: Database;
let sink: AuditSink;
let role: AuditExporters | undefined;
const exportDir = tempDir();

beforeAll(async () => {
  [postgres, rsyslog] = await Promise.all([startPostgres(), startRsyslog()]);
  database = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('siem_syslog') });
  sink = await startSink(database.prisma);
});

afterAll(async () => {
  await role?.stop().catch(() => {});
  await sink?.stop();
  await database?.close();
  await Promise.all([postgres?.stop(), rsyslog?.stop()]);
  exportDir.remove();
});

/** The seq rsyslog parsed from the structured data of a message. */
const seqOf = (m: SyslogReceived) => Number(/ seq="(\d+)"/.exec(m.structuredData)?.[1]);

describe('SIEM export to rsyslog', () => {
  const configs = new TenantConfigs();
  const A = configs.createTenant(1);
  const N = 300;
  // every tenth event carries characters CEF, LEEF and structured data must escape
  const nasty = (n: number) => (n % 10 === 0 ? { tool: `t|o=o\\l ${n}`, decision: { outcome: 'denied' as const, reason: 'policy.tool_denied', ruleId: 'r]"1', message: `line\nbreak\ttab = | ${n}` } } : {});

  it('delivers CEF over TCP and LEEF over TLS in order, and nothing is skipped when rsyslogd is killed mid-stream', async () => {
    configs.createExporter(A, {
      name: 'syslog-cef',
      destination: { kind: 'syslog', host: rsyslog.host, port: rsyslog.tcpPort, transport: 'tcp', payload: 'cef' },
      delivery: { batchSize: 20, maxAttempts: 30 },
    });
    const tls = configs.createExporter(A, {
      name: 'syslog-leef',
      destination: { kind: 'syslog', host: rsyslog.host, port: rsyslog.tlsPort, transport: 'tls', payload: 'leef', caCertificatePem: rsyslog.caPem, serverName: 'localhost', facility: 10 },
      delivery: { batchSize: 25, maxAttempts: 30 },
    });
    role = await startExporters(database.prisma, configs, exportDir.path);

    await sink.ingest(events(1, 1, 100, nasty));
    const byInput = async (input: string) => (await rsyslog.received()).filter((m) => m.input === input);
    await waitUntil('some events over both listeners', async () => (await byInput('tcp')).length > 20 && (await byInput('tls')).length > 20);
    await rsyslog.crash();
    const ingesting = (async () => {
      for (let n = 101; n <= N; n += 50) await sink.ingest(events(1, n, n + 49, nasty));
    })();
    await waitUntil('failed attempts while rsyslogd is down', () => (role!.metrics.snapshot(tls)?.errors ?? 0) >= 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await rsyslog.resume();
    await ingesting;

    await waitUntil('every event over both listeners', async () => firstOccurrences((await byInput('tcp')).map(seqOf)).length === N && firstOccurrences((await byInput('tls')).map(seqOf)).length === N, { timeoutMs: 60_000 });
    const tcp = await byInput('tcp');
    const tlsReceived = await byInput('tls');
    expect(firstOccurrences(tcp.map(seqOf))).toEqual(range(1, N));
    expect(firstOccurrences(tlsReceived.map(seqOf))).toEqual(range(1, N));

    // rsyslog parsed each as RFC 5424: version 1, our header fields, structured data, the payload as MSG
    const cef = tcp.find((m) => seqOf(m) === 10)!;
    expect(cef).toMatchObject({ version: '1', pri: String(13 * 8 + 4), hostname: 'proxy-a', appName: 'mcpgate', procId: '-', msgId: 'audit' });
    expect(cef.structuredData).toMatch(new RegExp(`^\\[mcpgate@32473 tenant="${A}" seq="10" eventId="[0-9a-f-]{36}"\\]$`));
    expect(cef.msg.startsWith('CEF:0|mcpgate|mcpgate|1|tools/call|tools/call t\\|o=o\\\\l 10 denied|7|')).toBe(true);
    expect(cef.msg).toContain('cs2=t|o\\=o\\\\l 10');
    // rsyslog shows the raw tab CEF leaves in a value as #011 (its control character escaping)
    expect(cef.msg).toContain('msg=line\\nbreak#011tab \\= | 10');
    const leef = tlsReceived.find((m) => seqOf(m) === 10)!;
    expect(leef).toMatchObject({ pri: String(10 * 8 + 4), msgId: 'audit' });
    expect(leef.msg.startsWith('LEEF:2.0|mcpgate|mcpgate|1|tools/call:denied|^|')).toBe(true);
    const attributes = Object.fromEntries(leef.msg.slice(leef.msg.indexOf('|^|') + 3).split(/(?<!\\)\^/).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    expect(attributes).toMatchObject({ seq: '10', resource: 't|o=o\\\\l 10', msg: 'line\\nbreak\\ttab = | 10', ruleId: 'r]"1', tenantId: A });
    expect(tcp.find((m) => seqOf(m) === 1)!.pri).toBe(String(13 * 8 + 6));

    const states = await deliveryStates(database.prisma, A, [...configs.tenant(A)!.auditExporters.keys()]);
    for (const state of states.values()) expect(state).toMatchObject({ cursorSeq: N, deadLetters: 0 });
  });

  it('refuses a TLS receiver whose certificate the exporter does not trust, and says so without secrets', async () => {
    const id = configs.createExporter(A, {
      name: 'syslog-untrusted',
      destination: { kind: 'syslog', host: rsyslog.host, port: rsyslog.tlsPort, transport: 'tls', payload: 'cef', serverName: 'localhost' },
      delivery: { batchSize: 50, maxAttempts: 2 },
    });
    await role!.settled();
    const state = await waitUntil('a dead letter', async () => {
      const s = (await deliveryStates(database.prisma, A, [id])).get(id);
      return s && s.deadLetters > 0 ? s : undefined;
    });
    expect(state.lastError).toMatch(/TLS handshake failed \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
  });
});
