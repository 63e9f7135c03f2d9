import type { AuditEvent } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidAuditEventError, MemoryAuditEmitter } from './audit-emitter.js';

let n = 0;
const event = (extra: Partial<AuditEvent> = {}): AuditEvent => {
  n += 1;
  return {
    schemaVersion: 1,
    eventId: `0193a3c2-7c1e-7000-8000-${String(n).padStart(12, '0')}`,
    time: '2026-11-25T10:00:00.000Z',
    tenantId: 'ten_acme0000000000',
    region: 'eu-west-1',
    proxyId: 'proxy-1',
    principal: { kind: 'virtual-key', keyId: 'vk_alice00000', keyPrefix: 'mcpg_abcd1234' },
    method: 'tools/call',
    tool: 'github__create_issue',
    argumentsHash: 'a'.repeat(64),
    decision: { outcome: 'allowed', reason: 'policy.default_allow' },
    latencyMs: 12.5,
    policyVersion: { logPosition: '0:42', contentHash: 'b'.repeat(64) },
    ...extra,
  };
};

describe(MemoryAuditEmitter.name, () => {
  it('keeps valid events in order, with schema defaults filled in', async () => {
    const sut = new MemoryAuditEmitter();
    const first = event();
    const oauth = event({ principal: { kind: 'oauth', issuer: 'https://idp.example', subject: 'alice' } as AuditEvent['principal'] });
    await sut.emit(first);
    await sut.emit(oauth);
    expect(sut.events).toEqual([first, { ...oauth, principal: { kind: 'oauth', issuer: 'https://idp.example', subject: 'alice', groups: [] } }]);
  });

  it('rejects an invalid event with a clear error and keeps nothing', async () => {
    const sut = new MemoryAuditEmitter();
    const invalid = { ...event(), eventId: 'not-a-uuid', decision: { outcome: 'maybe', reason: 'x' } } as unknown as AuditEvent;
    const error = await sut.emit(invalid).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidAuditEventError);
    expect(error).toMatchObject({ code: 'INTERNAL', reason: 'audit.invalid_event' });
    expect((error as Error).message).toMatch(/eventId/);
    expect((error as Error).message).toMatch(/decision\.outcome/);
    expect(sut.events).toEqual([]);
  });

  it('without validation keeps events exactly as given (the in-process default: typed events, checked by the sink)', async () => {
    const sut = new MemoryAuditEmitter({ validate: false });
    const oauth = event({ principal: { kind: 'oauth', issuer: 'https://idp.example', subject: 'alice' } as AuditEvent['principal'] });
    await sut.emit(oauth);
    expect(sut.events).toEqual([oauth]);
    expect(sut.events[0]).toBe(oauth);
  });

  it('keeps only the newest maxEvents, oldest first, across many wraps of its ring', async () => {
    const sut = new MemoryAuditEmitter({ maxEvents: 3 });
    const all = Array.from({ length: 10 }, () => event());
    for (const e of all) await sut.emit(e);
    expect(sut.events).toEqual(all.slice(-3));
    await expect(sut.waitFor((e) => e.eventId === all[8]!.eventId, 20)).resolves.toEqual(all[8]);
    await expect(sut.waitFor((e) => e.eventId === all[0]!.eventId, 20)).rejects.toThrow(/no matching audit event/);
  });

  it('fails the next emits as told, like a spool that cannot be written, then recovers', async () => {
    const sut = new MemoryAuditEmitter();
    sut.failNext(new Error('disk full'));
    sut.failNext(new Error('still full'));
    await expect(sut.emit(event())).rejects.toThrow('disk full');
    await expect(sut.emit(event())).rejects.toThrow('still full');
    const kept = event();
    await sut.emit(kept);
    expect(sut.events).toEqual([kept]);
  });

  it('does not spend an injected failure on an invalid event', async () => {
    const sut = new MemoryAuditEmitter();
    sut.failNext(new Error('disk full'));
    await expect(sut.emit({ ...event(), latencyMs: -1 })).rejects.toBeInstanceOf(InvalidAuditEventError);
    await expect(sut.emit(event())).rejects.toThrow('disk full');
  });

  it('waits for a matching event, past or future, and times out when none comes', async () => {
    const sut = new MemoryAuditEmitter();
    const denied = event({ decision: { outcome: 'denied', reason: 'limits.rate_limited', ruleId: 'policy:default:r1' } });
    await sut.emit(event());
    const pending = sut.waitFor((e) => e.decision.outcome === 'denied', 1000);
    await sut.emit(denied);
    await expect(pending).resolves.toEqual(denied);
    await expect(sut.waitFor((e) => e.decision.outcome === 'denied', 1000)).resolves.toEqual(denied);
    await expect(sut.waitFor((e) => e.decision.outcome === 'failed', 20)).rejects.toThrow(/no matching audit event within 20 ms \(2 events seen\)/);
  });

  it('fails only the wait whose predicate throws, not the emit', async () => {
    const sut = new MemoryAuditEmitter();
    const pending = sut.waitFor(() => {
      throw new Error('bad predicate');
    }, 1000);
    await expect(sut.emit(event())).resolves.toBeUndefined();
    await expect(pending).rejects.toThrow('bad predicate');
  });

  it('keeps at most maxEvents, dropping the oldest', async () => {
    const sut = new MemoryAuditEmitter({ maxEvents: 2 });
    const events = [event(), event(), event()];
    for (const e of events) await sut.emit(e);
    expect(sut.events).toEqual(events.slice(1));
  });
});
