import { generateKeyPairSync, sign } from 'node:crypto';
import type { BudgetUsageReport, SignedSnapshot } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { BudgetUsageReports } from './budget-usage-reports.js';

const TENANT = 'ten_acme0000000000';
const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

const report = (over: Partial<BudgetUsageReport> = {}): BudgetUsageReport => ({
  schemaVersion: 1,
  kind: 'budget-usage',
  tenantId: TENANT,
  throughSeq: '10',
  asOf: '2026-11-26T10:00:00.000Z',
  usage: [{ budgetId: 'key:vk_a:daily', subject: 'vk_a', periodStart: '2026-11-26', calls: 7, cost: 0 }],
  ...over,
});
const signed = (value: unknown, by = keys.privateKey, keyId = 'cp-1'): SignedSnapshot => {
  const payload = JSON.stringify(value);
  return { payload, signature: { alg: 'Ed25519', keyId, value: sign(null, Buffer.from(payload), by).toString('base64') } };
};
const setup = () => {
  const refused: string[] = [];
  const sut = new BudgetUsageReports(new Map([['cp-1', keys.publicKey]]), (_tenant, reason) => refused.push(reason));
  return { sut, refused };
};

describe(BudgetUsageReports.name, () => {
  it('answers the reported usage of a budget, subject and period once a signed report arrived, and nothing for others', () => {
    const { sut } = setup();
    expect(sut.reportedUsage(TENANT)).toBeUndefined();
    expect(sut.offer(TENANT, signed(report()))).toEqual({ accepted: true });
    const usage = sut.reportedUsage(TENANT)!;
    expect(usage('key:vk_a:daily', 'vk_a', '2026-11-26')).toEqual({ calls: 7, cost: 0 });
    expect(usage('key:vk_a:daily', 'vk_a', '2026-11-25')).toBeUndefined();
    expect(usage('key:vk_a:daily', 'vk_b', '2026-11-26')).toBeUndefined();
    expect(sut.reportedUsage('ten_other000000000')).toBeUndefined();
  });

  it.each([
    ['a record that is not an envelope', () => ({ payload: 1 }), 'usage.invalid'],
    ['a key it does not trust', () => signed(report(), other.privateKey, 'cp-9'), 'usage.unknown_key'],
    ['a signature that does not match', () => signed(report(), other.privateKey), 'usage.bad_signature'],
    ['a policy snapshot signed by the same key', () => signed({ schemaVersion: 1, tenantId: TENANT, keys: [] }), 'usage.invalid'],
    ['a payload changed after signing', () => ({ ...signed(report()), payload: JSON.stringify(report({ usage: [] })) }), 'usage.bad_signature'],
  ])('refuses %s and keeps the last good report', (_case, record, reason) => {
    const { sut, refused } = setup();
    sut.offer(TENANT, signed(report()));
    expect(sut.offer(TENANT, record())).toMatchObject({ accepted: false, reason });
    expect(refused).toEqual([reason]);
    expect(sut.reportedUsage(TENANT)!('key:vk_a:daily', 'vk_a', '2026-11-26')).toEqual({ calls: 7, cost: 0 });
  });

  it("refuses a report filed under another tenant's key", () => {
    const { sut } = setup();
    expect(sut.offer('ten_other000000000', signed(report()))).toMatchObject({ accepted: false, reason: 'usage.wrong_tenant' });
    expect(sut.reportedUsage('ten_other000000000')).toBeUndefined();
  });

  it('takes a report that counted more of the trail, or the same trail later (a new period), and ignores an older one without alarm', () => {
    const { sut, refused } = setup();
    sut.offer(TENANT, signed(report()));
    expect(sut.offer(TENANT, signed(report({ throughSeq: '9', usage: [] })))).toMatchObject({ accepted: false, reason: 'usage.stale' });
    expect(sut.offer(TENANT, signed(report({ asOf: '2026-11-26T09:59:59.000Z', usage: [] })))).toMatchObject({ accepted: false, reason: 'usage.stale' });
    expect(refused).toEqual([]);
    expect(sut.offer(TENANT, signed(report()))).toEqual({ accepted: true }); // the same report again
    expect(sut.offer(TENANT, signed(report({ throughSeq: '12', usage: [{ ...report().usage[0]!, calls: 9 }] })))).toEqual({ accepted: true });
    expect(sut.reportedUsage(TENANT)!('key:vk_a:daily', 'vk_a', '2026-11-26')).toEqual({ calls: 9, cost: 0 });
    expect(sut.offer(TENANT, signed(report({ throughSeq: '12', asOf: '2026-11-27T00:00:01.000Z', usage: [] })))).toEqual({ accepted: true });
    expect(sut.reportedUsage(TENANT)!('key:vk_a:daily', 'vk_a', '2026-11-26')).toBeUndefined();
    expect(sut.status()).toMatchObject({ accepted: 3, rejected: { 'usage.stale': 2 }, tenants: [{ tenantId: TENANT, throughSeq: '12', entries: 0 }] });
  });
});
