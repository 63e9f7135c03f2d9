import { describe, expect, it } from 'vitest';
import { auditEvent } from '../../test/audit-fixtures.js';
import type { ExportRecord } from '../export-record.js';
import { escapeCefHeader, escapeCefValue, formatCef } from './cef.js';
import { ECS_VERSION, formatBulk, toEcs } from './ecs.js';
import { escapeLeefValue, formatLeef } from './leef.js';
import { OCSF_API_ACTIVITY_CLASS, toOcsfApiActivity } from './ocsf.js';
import { formatSplunkHec } from './splunk-hec.js';
import { escapeSdValue, formatSyslogMessage, headerField, octetCounted } from './syslog.js';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const record = (n: number, patch: Record<string, unknown> = {}): ExportRecord => {
  const event = { ...auditEvent(1, n), ...patch } as ExportRecord['event'];
  return { tenantId: event.tenantId, seq: n, hash: 'd'.repeat(64), event };
};
// a denial whose texts hold every character the formats must escape
const nasty = record(7, {
  tool: 'evil|tool=x\\y',
  proxyId: 'proxy a"]',
  decision: { outcome: 'denied', reason: 'policy.tool_denied', ruleId: 'r1', message: 'line one\nline two\r\ttab | pipe = equals \\ back' },
});

describe(formatSplunkHec.name, () => {
  it('writes one HEC event object per record with epoch-seconds time and string-only indexed fields', () => {
    const sut = formatSplunkHec([record(1), nasty], { sourcetype: 'mcpgate:audit', source: 'mcpgate', index: 'security' });
    const objects = sut.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toHaveLength(2);
    expect(objects[0]).toMatchObject({ time: Date.parse(record(1).event.time) / 1000, host: 'proxy-a', source: 'mcpgate', sourcetype: 'mcpgate:audit', index: 'security' });
    expect(objects[1]!['event']).toMatchObject({ seq: 7, hash: 'd'.repeat(64), event: { eventId: nasty.event.eventId, tool: 'evil|tool=x\\y' } });
    for (const o of objects) for (const v of Object.values(o['fields'] as Record<string, unknown>)) expect(typeof v).toBe('string');
  });
});

describe(toEcs.name, () => {
  it('maps a record to ECS field names with allowed values', () => {
    const sut = toEcs(nasty);
    expect(sut).toMatchObject({
      '@timestamp': nasty.event.time,
      ecs: { version: ECS_VERSION },
      event: { id: nasty.event.eventId, kind: 'event', category: ['api'], type: ['access', 'denied'], outcome: 'failure', action: 'tools/call', reason: 'policy.tool_denied', sequence: 7 },
      user: { id: 'vk_key00000007' },
      observer: { name: 'proxy a"]', vendor: 'mcpgate' },
      organization: { id: nasty.tenantId },
      rule: { id: 'r1' },
      trace: { id: 'c'.repeat(32) },
      mcpgate: { seq: 7, tool: 'evil|tool=x\\y', hash: 'd'.repeat(64) },
    });
    expect((sut['event'] as { duration: number }).duration).toBe(Math.round(nasty.event.latencyMs * 1e6));
    expect(toEcs(record(3))).toMatchObject({ event: { outcome: 'success', type: ['access', 'allowed'] }, user: { id: 'user-3', domain: 'https://idp.example.com' } });
  });

  it('writes a bulk body of create actions keyed by event id, one JSON per line, ending in a newline', () => {
    const sut = formatBulk([record(1), nasty], 'mcpgate-audit');
    expect(sut.endsWith('\n')).toBe(true);
    const lines = sut.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ create: { _index: 'mcpgate-audit', _id: record(1).event.eventId } });
    expect(lines[3]).toMatchObject({ event: { id: nasty.event.eventId } });
  });
});

describe(formatCef.name, () => {
  it('escapes pipes and backslashes in the header, and backslash, equals and line breaks in values', () => {
    expect(escapeCefHeader('a|b\\c\nd')).toBe('a\\|b\\\\c d');
    expect(escapeCefValue('a=b\\c\nd\re')).toBe('a\\=b\\\\c\\nd\\re');
    const sut = formatCef(nasty);
    expect(sut).not.toMatch(/[\r\n]/);
    const [cef, vendor, product, version, signature, name, severity, ...rest] = sut.split(/(?<!\\)\|/);
    expect([cef, vendor, product, version, signature, severity]).toEqual(['CEF:0', 'mcpgate', 'mcpgate', '1', 'tools/call', '7']);
    expect(name).toBe('tools/call evil\\|tool=x\\\\y denied');
    const extension = rest.join('|');
    expect(extension).toContain('cs2=evil|tool\\=x\\\\y');
    expect(extension).toContain('msg=line one\\nline two\\r\ttab | pipe \\= equals \\\\ back');
    expect(extension).toContain(`externalId=${nasty.event.eventId}`);
    expect(extension).toContain(`rt=${Date.parse(nasty.event.time)}`);
    // every key=value pair splits cleanly at unescaped `=`
    const keys = [...extension.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].map((m) => m[1]);
    expect(keys).toEqual(expect.arrayContaining(['rt', 'externalId', 'suser', 'act', 'outcome', 'reason', 'cs1Label', 'cs1', 'cn2']));
  });
});

describe(formatLeef.name, () => {
  it('writes LEEF 2.0 with a ^ delimiter and values that cannot break an attribute or a line', () => {
    expect(escapeLeefValue('a\tb\nc\\d^e')).toBe('a\\tb\\nc\\\\d\\^e');
    const sut = formatLeef(nasty);
    expect(sut).not.toMatch(/[\r\n]/);
    const header = sut.split('|').slice(0, 6);
    expect(sut).not.toMatch(/\t/);
    expect(header).toEqual(['LEEF:2.0', 'mcpgate', 'mcpgate', '1', 'tools/call:denied', '^']);
    const attributes = sut.slice(sut.indexOf('|^|') + 3).split(/(?<!\\)\^/);
    const parsed = Object.fromEntries(attributes.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    expect(parsed).toMatchObject({ cat: 'tool-call', sev: '7', usrName: 'vk_key00000007', resource: 'evil|tool=x\\\\y', seq: '7', devTime: nasty.event.time });
    expect(parsed['msg']).toBe('line one\\nline two\\r\\ttab | pipe = equals \\\\ back');
  });
});

describe(formatSyslogMessage.name, () => {
  it('writes an RFC 5424 message with PRI, structured data escaped and the payload as MSG, octet-counted', () => {
    expect(headerField('proxy a"]', 255)).toBe('proxy_a"]');
    expect(headerField('', 48)).toBe('-');
    expect(escapeSdValue('a"b]c\\')).toBe('a\\"b\\]c\\\\');
    const sut = formatSyslogMessage(nasty, 'CEF:0|x', 13);
    expect(sut).toBe(`<108>1 ${nasty.event.time} proxy_a"] mcpgate - audit [mcpgate@32473 tenant="${nasty.tenantId}" seq="7" eventId="${nasty.event.eventId}"] CEF:0|x`);
    expect(formatSyslogMessage(record(1), 'x', 13).startsWith('<110>1 ')).toBe(true);
    expect(octetCounted('ünï')).toBe('5 ünï');
  });
});

describe(toOcsfApiActivity.name, () => {
  it('is an OCSF API Activity event with its required attributes', () => {
    const sut = toOcsfApiActivity(nasty);
    expect(sut).toMatchObject({ class_uid: OCSF_API_ACTIVITY_CLASS, category_uid: 6, activity_id: 99, type_uid: 600399, severity_id: 3, status_id: 2, disposition_id: 2, time: Date.parse(nasty.event.time) });
    for (const required of ['activity_id', 'actor', 'api', 'category_uid', 'class_uid', 'cloud', 'metadata', 'severity_id', 'src_endpoint', 'time', 'type_uid']) expect(sut).toHaveProperty(required);
    expect(sut).toMatchObject({ api: { operation: 'tools/call' }, metadata: { version: '1.3.0', uid: nasty.event.eventId, product: { name: 'mcpgate' } }, cloud: { provider: 'mcpgate', region: 'eu-west-1' } });
    expect(toOcsfApiActivity(record(1))).toMatchObject({ status_id: 1, disposition_id: 1, severity_id: 1 });
    expect(toOcsfApiActivity(record(1, { method: 'tools/list' }))).toMatchObject({ activity_id: 2, type_uid: 600302 });
  });
});

describe('the cost of a priced call', () => {
  it('travels in every format that maps fields one by one, and is absent where the call had none', () => {
    const priced = record(3, { cost: 2.5 });
    expect(toEcs(priced)).toMatchObject({ mcpgate: { cost: 2.5 } });
    expect(toOcsfApiActivity(priced)).toMatchObject({ unmapped: { cost: 2.5 } });
    expect(formatCef(priced)).toContain('cfp1Label=cost cfp1=2.5');
    expect(formatLeef(priced)).toContain('cost=2.5');
    const unpriced = record(4);
    expect(toEcs(unpriced).mcpgate).not.toHaveProperty('cost');
    expect(toOcsfApiActivity(unpriced).unmapped).not.toHaveProperty('cost');
    expect(formatCef(unpriced)).not.toContain('cfp1');
    expect(formatLeef(unpriced)).not.toContain('cost=');
  });
});

describe(signWebhook.name, () => {
  it('signs timestamp, delivery id and body, and any change breaks the signature', () => {
    const sut = signWebhook('k3y', 1_764_000_000, 'd-1', '{"a":1}');
    expect(sut).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('k3y', 1_764_000_000, 'd-1', '{"a":1}', sut)).toBe(true);
    expect(verifyWebhookSignature('k3y', 1_764_000_001, 'd-1', '{"a":1}', sut)).toBe(false);
    expect(verifyWebhookSignature('k3y', 1_764_000_000, 'd-2', '{"a":1}', sut)).toBe(false);
    expect(verifyWebhookSignature('k3y', 1_764_000_000, 'd-1', '{"a":2}', sut)).toBe(false);
    expect(verifyWebhookSignature('other', 1_764_000_000, 'd-1', '{"a":1}', sut)).toBe(false);
  });
});
