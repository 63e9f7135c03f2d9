import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
// the validator lives in the contracts (the proxy's spool uses it too); its fixtures are the sink's
import { AuditEvent, compiledVerdict, isCanonicalAuditEvent, validateAuditEvent } from '@mcpgate/contracts';
import { auditEvent } from './test/audit-fixtures.js';
import { astral, mutations as mutationsOf, type Json } from '../core/test/json-mutations.js';

const adminEvent = (actor: Json): Json => ({
  ...(JSON.parse(JSON.stringify(auditEvent(1, 2))) as { [key: string]: Json }),
  kind: 'admin',
  principal: { kind: 'admin', actor },
  method: 'admin/VirtualKeyRevoked',
  change: { type: 'VirtualKeyRevoked', streamId: 'virtual-key-vk_abcdefghij', streamVersion: 3, correlationId: 'c-1', data: { reason: 'rotated' }, before: { state: 'active' } },
});

/** Valid events of every principal and record kind. */
const valid: Json[] = [
  JSON.parse(JSON.stringify(auditEvent(1, 1))) as Json, // virtual key
  JSON.parse(JSON.stringify(auditEvent(1, 3))) as Json, // oauth
  { ...(JSON.parse(JSON.stringify(auditEvent(1, 4))) as { [key: string]: Json }), principal: { kind: 'anonymous' }, kind: 'tool-call' },
  adminEvent({ kind: 'user', subject: 'u-1', issuer: 'https://idp.example.com', displayName: 'Ada' }),
  adminEvent({ kind: 'service-account', serviceAccountId: 'sa_abcdefghijkl' }),
  adminEvent({ kind: 'system', component: 'retention' }),
];

/** Values a field is replaced with: wrong types, edge lengths (in UTF-16 units and in code points), edge numbers. */
const replacements: Json[] = [
  null, true, 0, -1, 1.5, 2 ** 53, '', 'x', 'A'.repeat(65), 'a'.repeat(201), 'a'.repeat(257), 'a'.repeat(513), 'a'.repeat(2001),
  astral(20), astral(22), astral(64), astral(66), astral(256), astral(258), astral(512), astral(514), [], ['x'], {}, { kind: 'anonymous' },
  '2026-11-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-01T00:00:00.123+02:00', '00000001-0000-4000-8000-000000000001', '00000001-0000-0000-8000-000000000001',
  'ten_abcdefghij', 'vk_abcdefghij', 'policy.allowed', 'Policy.allowed', '0:12', 'a'.repeat(64), 'A'.repeat(64), 'c'.repeat(32), 'eu-west-1', '-eu',
];

const mutations = (root: Json) => mutationsOf(root, replacements);

describe('compiled AuditEvent validator', () => {
  it('accepts every kind of valid event, as zod does', () => {
    for (const event of valid) {
      expect(AuditEvent.safeParse(event).success).toBe(true);
      expect(compiledVerdict(event)).toBe(true);
    }
  });

  it('gives zod’s verdict on every mutation of every field of every kind of event', () => {
    let accepted = 0;
    let refused = 0;
    const disagreements: string[] = [];
    for (const event of valid) {
      for (const [mutated, change] of mutations(event)) {
        const zod = AuditEvent.safeParse(mutated).success;
        if (compiledVerdict(mutated) !== zod) disagreements.push(`zod ${zod ? 'accepts' : 'refuses'} ${change}`);
        if (zod) accepted += 1;
        else refused += 1;
      }
    }
    expect(disagreements).toEqual([]);
    // the corpus exercises both verdicts, in numbers
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(3_000);
  });

  it('calls an event canonical only when zod accepts it and returns it unchanged, on every mutation of every kind of event', () => {
    let canonical = 0;
    const wrong: string[] = [];
    for (const event of valid) {
      for (const [mutated, change] of [[event, 'none'] as const, ...mutations(event)]) {
        if (!isCanonicalAuditEvent(mutated)) continue;
        canonical += 1;
        const parsed = AuditEvent.safeParse(mutated);
        if (!parsed.success || !isDeepStrictEqual(parsed.data, mutated)) wrong.push(change);
      }
    }
    expect(wrong).toEqual([]);
    expect(canonical).toBeGreaterThan(500);
    // an oauth principal without its defaulted groups is valid input, but not canonical: zod fills them in
    const oauth = JSON.parse(JSON.stringify(auditEvent(1, 3))) as { principal: { groups?: unknown } };
    delete oauth.principal.groups;
    expect([compiledVerdict(oauth), isCanonicalAuditEvent(oauth)]).toEqual([true, false]);
  });

  it('counts string lengths in code points and refuses an admin principal on a tool call, as the contract does', () => {
    const event = JSON.parse(JSON.stringify(auditEvent(1, 1))) as { [key: string]: Json };
    expect(compiledVerdict({ ...event, tool: astral(512) })).toBe(true); // 256 code points, 512 UTF-16 units
    expect(compiledVerdict({ ...event, tool: astral(514) })).toBe(false);
    expect(compiledVerdict({ ...event, principal: { kind: 'admin', actor: { kind: 'system', component: 'x' } } })).toBe(false);
  });

  it('explains a refusal with zod’s messages, naming fields and never values', () => {
    const sut = validateAuditEvent({ ...auditEvent(1, 1), tenantId: 'secret-looking-value' });
    expect(sut).toEqual({ ok: false, error: expect.stringContaining('tenantId') });
    expect(JSON.stringify(sut)).not.toContain('secret-looking-value');
  });
});
