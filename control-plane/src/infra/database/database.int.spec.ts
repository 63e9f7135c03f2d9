import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startPostgres, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneRoot } from '../package-root.js';
import { migrationsDir, openDatabase } from './database.js';

const run = promisify(execFile);
const prismaEntry = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');
/** Runs the real Prisma CLI, offline, as a developer or CI would. */
const prismaCli = (databaseUrl: string, ...args: string[]) =>
  run(process.execPath, [prismaEntry, ...args], {
    cwd: controlPlaneRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });

describe('read-model database on PostgreSQL', () => {
  let postgres: StartedPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('migrates in process, records checksums like the CLI, and reads and writes through Prisma', async () => {
    const sut = await openDatabase({ kind: 'postgres', url: await postgres.createDatabase('in_process') });
    try {
      const rows = await sut.prisma.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
        SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
      const onDisk = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
      for (const row of rows) {
        const sql = readFileSync(join(migrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).not.toBeNull();
      }

      await sut.prisma.$transaction([
        sut.prisma.tenant.create({
          data: { id: 'ten_pppppppppppp', slug: 'pg', displayName: 'PG', status: 'active', regions: ['us-east-1'], version: 1, createdAt: new Date(), updatedAt: new Date() },
        }),
        sut.prisma.projectionCheckpoint.create({ data: { projection: 'tenants', partition: 0, nextOffset: 42n } }),
      ]);
      await expect(
        sut.prisma.$transaction(async (tx) => {
          await tx.projectionCheckpoint.update({ where: { projection_partition: { projection: 'tenants', partition: 0 } }, data: { nextOffset: 43n } });
          throw new Error('projection failed half-way');
        }),
      ).rejects.toThrow('half-way');
      const checkpoint = await sut.prisma.projectionCheckpoint.findUniqueOrThrow({ where: { projection_partition: { projection: 'tenants', partition: 0 } } });
      expect(checkpoint.nextOffset).toBe(42n);
      expect(await sut.prisma.tenant.findUnique({ where: { slug: 'pg' } })).toMatchObject({ regions: ['us-east-1'] });
    } finally {
      await sut.close();
    }
  });

  it('runs the Prisma CLI offline: migrate deploy, status, dev and diff against a real server', async () => {
    const url = await postgres.createDatabase('cli');
    const deploy = await prismaCli(url, 'migrate', 'deploy');
    expect(deploy.stdout).toMatch(/applied|All migrations have been successfully applied/i);
    const status = await prismaCli(url, 'migrate', 'status');
    expect(status.stdout).toContain('Database schema is up to date');
    const dev = await prismaCli(url, 'migrate', 'dev', '--name', 'no_change');
    expect(dev.stdout).toMatch(/Already in sync/);
    // schema.prisma and the migrations folder agree (exit code 0; 2 would mean a missing migration)
    const diff = await prismaCli(url, 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code');
    expect(diff.stdout).toMatch(/No difference detected|empty migration/i);
  });

  it('reports an unreachable server as a typed error instead of hanging', async () => {
    const dead = new URL(postgres.url);
    dead.port = '1';
    await expect(openDatabase({ kind: 'postgres', url: dead.toString() })).rejects.toMatchObject({ name: 'DatabaseError', reason: 'database.migration_failed' });
    await expect(openDatabase({ kind: 'postgres', url: dead.toString() }, { migrate: false })).rejects.toMatchObject({ reason: 'database.unreachable' });
  });
});
