import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../infra/database/database.js';
import type { Principal } from './principal.js';
import { SessionStore } from './session-store.js';

const ada: Principal = {
  actor: { kind: 'user', issuer: 'https://idp.example', subject: 'ada' },
  idpId: 'okta',
  groups: ['admins'],
  platform: new Set(['platform:tenants:manage']),
};

describe(SessionStore.name, () => {
  let db: Database;
  let clock = Date.UTC(2026, 10, 25, 9, 0, 0);
  const timeouts = { idleMs: 30 * 60_000, absoluteMs: 2 * 3_600_000, touchEveryMs: 60_000 };
  const minutes = (n: number) => (clock += n * 60_000);

  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores only the hash of the id, and gives the principal back to another store on the same database', async () => {
    const sut = new SessionStore(db.prisma, timeouts, () => clock);
    const session = await sut.create(ada, 'https://idp.example/logout');
    const rows = await db.prisma.adminSession.findMany();
    expect(JSON.stringify(rows)).not.toContain(session.id);
    const replica = new SessionStore(db.prisma, timeouts, () => clock);
    const seen = await replica.get(session.id);
    expect(seen).toMatchObject({ id: session.id, endSessionUrl: 'https://idp.example/logout', principal: { actor: ada.actor, idpId: 'okta', groups: ['admins'] } });
    expect([...seen!.principal.platform]).toEqual(['platform:tenants:manage']);
    await replica.destroy(session.id);
    expect(await sut.get(session.id)).toBeUndefined();
  });

  it('slides the idle timeout on use, ends an idle session, and never outlives the absolute limit', async () => {
    const sut = new SessionStore(db.prisma, timeouts, () => clock);
    const busy = await sut.create(ada);
    const idle = await sut.create(ada);
    for (let i = 0; i < 5; i += 1) {
      minutes(20);
      expect(await sut.get(busy.id), `use ${i}`).toBeDefined();
    }
    expect(await sut.get(idle.id)).toBeUndefined();
    minutes(20); // 120 minutes after login: the absolute limit
    expect(await sut.get(busy.id)).toBeUndefined();
    expect(await db.prisma.adminSession.count({ where: { expiresAt: { gt: new Date(clock) } } })).toBe(0);
    expect(await sut.get('never-issued')).toBeUndefined();
    expect(await sut.get(undefined)).toBeUndefined();
  });
});
