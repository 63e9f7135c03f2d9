import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir, openDatabase } from './database.js';

const migrationsOnDisk = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

const tenantRow = (id: string, slug: string) => ({
  id,
  slug,
  displayName: `Tenant ${slug}`,
  status: 'active',
  regions: ['eu-west-1'],
  version: 1,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
});

describe('openDatabase on embedded PGlite', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies the migrations and reads and writes through Prisma', async () => {
    const sut = await openDatabase({ kind: 'pglite' });
    try {
      const applied = await sut.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`;
      expect(applied.map((r) => r.migration_name)).toEqual(migrationsOnDisk);
      await sut.prisma.tenant.create({ data: tenantRow('ten_aaaaaaaaaaaa', 'acme') });
      expect(await sut.prisma.tenant.findUnique({ where: { slug: 'acme' } })).toMatchObject({ regions: ['eu-west-1'] });
      await expect(sut.prisma.tenant.create({ data: tenantRow('ten_bbbbbbbbbbbb', 'acme') })).rejects.toThrow(/Unique constraint/);
    } finally {
      await sut.close();
    }
  });

  it('keeps data in its folder across a close and reopen, and does not migrate twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-pglite-'));
    dirs.push(dataDir);
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await first.prisma.tenant.create({ data: tenantRow('ten_cccccccccccc', 'kept') });
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect(await second.prisma.tenant.count()).toBe(1);
      const migrations = await second.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
      expect(Number(migrations[0]?.n)).toBe(migrationsOnDisk.length);
    } finally {
      await second.close();
    }
  });
});
