import { describe, expect, it } from 'vitest';
import { admitEvent, admitRecord } from './audit-record.js';
import { auditEvent } from './test/audit-fixtures.js';

describe(admitEvent.name, () => {
  it('accepts a valid event: canonical JSON (sorted keys), lowercase id, query columns copied from it', () => {
    const event = { ...auditEvent(1, 3), eventId: '00000001-0000-4000-8000-0000000000AB' };
    const sut = admitEvent(event);
    if (!sut.ok) throw new Error(sut.error);
    expect(sut.event.eventId).toBe('00000001-0000-4000-8000-0000000000ab');
    expect(sut.event.eventJson.startsWith('{"arguments":')).toBe(true);
    expect(JSON.parse(sut.event.eventJson)).toEqual(event);
    expect(sut.event.columns).toMatchObject({ principalKind: 'oauth', principalSubject: 'user-3', principalKeyId: null, outcome: 'allowed', policyLogPosition: '0:1003' });
  });

  it('stores the time in UTC, truncated to milliseconds, whatever offset and precision the proxy sent', () => {
    const sut = admitEvent(auditEvent(1, 1, { time: '2026-11-01T02:00:00.123456+02:00' }));
    expect(sut.ok && sut.event.columns.time).toBe('2026-11-01T00:00:00.123Z');
  });

  it('keeps a time already in toISOString form as it is, and still reads a day no month has as the contract does', () => {
    for (const time of ['2026-11-01T23:59:59.999Z', '2024-02-29T12:00:00.000Z', '2000-02-29T00:00:00.000Z']) {
      const sut = admitEvent(auditEvent(1, 1, { time }));
      expect(sut.ok && sut.event.columns.time).toBe(time);
    }
    const sut = admitEvent(auditEvent(1, 1, { time: '2026-11-01T00:00:00Z' }));
    expect(sut.ok && sut.event.columns.time).toBe('2026-11-01T00:00:00.000Z');
    expect(admitEvent(auditEvent(1, 1, { time: '2025-02-29T00:00:00.000Z' })).ok).toBe(false);
  });

  it('refuses what the contract refuses, naming the field and never the value', () => {
    const sut = admitEvent({ ...auditEvent(1, 1), tenantId: 'secret-looking-value' });
    expect(sut).toEqual({ ok: false, error: expect.stringContaining('tenantId') });
    expect(JSON.stringify(sut)).not.toContain('secret-looking-value');
  });

  it('refuses NUL characters and lone surrogates, which jsonb cannot store, but not an escaped backslash', () => {
    expect(admitEvent({ ...auditEvent(1, 1), arguments: { a: 'x\u0000y' } })).toMatchObject({ ok: false, error: expect.stringContaining('NUL') });
    expect(admitEvent({ ...auditEvent(1, 1), arguments: { a: '\ud800' } })).toMatchObject({ ok: false });
    expect(admitEvent({ ...auditEvent(1, 1), arguments: { a: '\\u0000 is how NUL is written' } })).toMatchObject({ ok: true });
    expect(admitEvent({ ...auditEvent(1, 1), arguments: { a: '😀' } })).toMatchObject({ ok: true });
  });
});

describe(admitRecord.name, () => {
  const escaped = (args: Record<string, string>) => JSON.stringify({ ...auditEvent(1, 1), arguments: args }).replace(/@([0-9a-f]{4})/g, '\\u$1');

  it('quarantines empty records, records that are not UTF-8 and records that are not JSON', () => {
    expect(admitRecord(null)).toEqual({ ok: false, error: 'empty record' });
    expect(admitRecord(Buffer.from('{not json'))).toEqual({ ok: false, error: 'not JSON' });
    const valid = Buffer.from(JSON.stringify(auditEvent(1, 1)));
    expect(admitRecord(Buffer.concat([valid.subarray(0, -1), Buffer.from([0xff, 0x7d])]))).toEqual({ ok: false, error: 'not UTF-8' });
  });

  it('keeps the bytes as received: what is hashed and stored', () => {
    const raw = Buffer.from(JSON.stringify({ ...auditEvent(1, 1), aFieldOfALaterVersion: true }, null, 1));
    const sut = admitRecord(raw);
    expect(sut.ok && sut.event.eventBytes).toBe(raw);
    expect(sut.ok && sut.event.eventJson).toBe(raw.toString('utf8'));
  });

  it('refuses escaped NUL characters and lone surrogates, but takes an escaped surrogate pair and an escaped backslash', () => {
    expect(admitRecord(Buffer.from(escaped({ a: 'x@0000y' })))).toMatchObject({ ok: false, error: expect.stringContaining('NUL') });
    expect(admitRecord(Buffer.from(escaped({ a: '@d800' })))).toMatchObject({ ok: false });
    expect(admitRecord(Buffer.from(escaped({ a: '@dc00@d800' })))).toMatchObject({ ok: false });
    expect(admitRecord(Buffer.from(escaped({ '@0000': 'in a key' })))).toMatchObject({ ok: false });
    expect(admitRecord(Buffer.from(escaped({ a: '@d83d@de00' })))).toMatchObject({ ok: true });
    expect(admitRecord(Buffer.from(JSON.stringify({ ...auditEvent(1, 1), arguments: { a: '\\u0000 is how NUL is written' } })))).toMatchObject({ ok: true });
  });
});
