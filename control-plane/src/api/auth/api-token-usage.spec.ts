import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenLastUse, userLastSignIn } from '../../audit/access-use.js';
import { openDatabase, type Database } from '../../infra/database/database.js';
import { ApiTokenUsage } from './api-token-usage.js';
import { recordLogin } from './record-login.js';

const at = (iso: string) => new Date(iso);
const token = (tokenId: string, tenantId = 'ten_usage000001') => ({ tenantId, serviceAccountId: 'sa_usage00000001', tokenId });

describe(ApiTokenUsage.name, () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('counts uses per token and day in memory, writes them in one upsert, and sums what two replicas write', async () => {
    const a = new ApiTokenUsage(db.prisma);
    const b = new ApiTokenUsage(db.prisma);
    a.record(token('tok_a'), at('2026-11-20T10:00:00Z'));
    a.record(token('tok_a'), at('2026-11-20T09:00:00Z'));
    b.record(token('tok_a'), at('2026-11-20T18:30:00.123Z'));
    b.record(token('tok_a'), at('2026-11-21T08:00:00Z'));
    a.record(token('tok_b'), at('2026-11-22T12:00:00Z'));
    expect(await db.prisma.apiTokenUse.count()).toBe(0); // nothing written before a flush
    await a.flush();
    await b.stop();
    const rows = await db.prisma.apiTokenUse.findMany({ orderBy: [{ tokenId: 'asc' }, { day: 'asc' }] });
    expect(rows.map((r) => [r.tokenId, r.day.toISOString().slice(0, 10), r.uses, r.firstUsedAt.toISOString(), r.lastUsedAt.toISOString()])).toEqual([
      ['tok_a', '2026-11-20', 3, '2026-11-20T09:00:00.000Z', '2026-11-20T18:30:00.123Z'],
      ['tok_a', '2026-11-21', 1, '2026-11-21T08:00:00.000Z', '2026-11-21T08:00:00.000Z'],
      ['tok_b', '2026-11-22', 1, '2026-11-22T12:00:00.000Z', '2026-11-22T12:00:00.000Z'],
    ]);
  });

  it('reads the last use ever, and before a point in time (on that day: the day’s last use if before it, else its first)', async () => {
    const ever = await tokenLastUse(db.prisma, 'ten_usage000001');
    expect(Object.fromEntries([...ever].map(([id, u]) => [id, [u.lastUsedAt.toISOString(), u.uses]]))).toEqual({
      tok_a: ['2026-11-21T08:00:00.000Z', 4],
      tok_b: ['2026-11-22T12:00:00.000Z', 1],
    });
    const before = await tokenLastUse(db.prisma, 'ten_usage000001', { before: at('2026-11-20T12:00:00Z') });
    expect([...before].map(([id, u]) => [id, u.lastUsedAt.toISOString()])).toEqual([['tok_a', '2026-11-20T09:00:00.000Z']]);
    expect((await tokenLastUse(db.prisma, 'ten_usage000001', { before: at('2026-11-21T00:00:00Z') })).get('tok_a')?.lastUsedAt.toISOString()).toBe('2026-11-20T18:30:00.123Z');
    expect([...(await tokenLastUse(db.prisma, 'ten_usage000001', { tokenIds: ['tok_b'] })).keys()]).toEqual(['tok_b']);
    expect((await tokenLastUse(db.prisma, 'ten_another0001')).size).toBe(0); // tenant-scoped
  });

  it('keeps the counts of a failed write for the next one', async () => {
    let down = true;
    const flaky = {
      $executeRawUnsafe: (query: string, ...values: unknown[]) => (down ? Promise.reject(new Error('database down')) : db.prisma.$executeRawUnsafe(query, ...values)),
      $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => db.prisma.$queryRawUnsafe<T>(query, ...values),
    };
    const usage = new ApiTokenUsage(flaky);
    usage.record(token('tok_c'), at('2026-11-23T10:00:00Z'));
    await usage.flush();
    usage.record(token('tok_c'), at('2026-11-23T11:00:00Z'));
    down = false;
    await usage.flush();
    const [row] = await db.prisma.apiTokenUse.findMany({ where: { tokenId: 'tok_c' } });
    expect([row?.uses, row?.firstUsedAt.toISOString(), row?.lastUsedAt.toISOString()]).toEqual([2, '2026-11-23T10:00:00.000Z', '2026-11-23T11:00:00.000Z']);
  });

  it('reads users’ last sign-in before a point in time', async () => {
    const ada = { actor: { kind: 'user' as const, issuer: 'https://idp.example', subject: 'ada' }, idpId: 'okta', groups: [], platform: new Set<never>() };
    const bob = { ...ada, actor: { ...ada.actor, subject: 'bob' } };
    await recordLogin(db.prisma, ada, at('2026-11-10T08:00:00Z'));
    await recordLogin(db.prisma, bob, at('2026-11-24T08:00:00Z'));
    const users = [ada.actor, bob.actor, { issuer: 'https://idp.example', subject: 'never' }];
    const seen = await userLastSignIn(db.prisma, users, at('2026-11-20T00:00:00Z'));
    expect([...seen].map(([k, d]) => [k, d.toISOString()])).toEqual([['https://idp.example ada', '2026-11-10T08:00:00.000Z']]);
  });
});
