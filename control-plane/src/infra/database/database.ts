import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.js';
import { controlPlaneRoot } from '../package-root.js';

/** Where the read models live: a PostgreSQL server, or embedded PGlite (a folder, or memory). */
export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir?: string };

export interface Database {
  readonly prisma: PrismaClient;
  readonly target: DatabaseTarget['kind'];
  /** The server's URL (PostgreSQL only), for tools that need a connection of their own (COPY). */
  readonly connectionString?: string;
  close(): Promise<void>;
}

/** A database could not be opened or migrated; `cause` holds the driver's or engine's error. */
export class DatabaseError extends Error {
  constructor(
    readonly reason: 'database.unreachable' | 'database.migration_failed',
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

export const migrationsDir = join(controlPlaneRoot, 'prisma', 'migrations');

interface WasmEngineModule {
  applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory, dir: string): Promise<string[]>;
  pgAdapterFactory(url: string): Promise<SqlMigrationAwareDriverAdapterFactory>;
}
const wasmEngine = async (): Promise<WasmEngineModule> =>
  (await import(pathToFileURL(join(controlPlaneRoot, 'scripts', 'prisma', 'wasm-engine.mjs')).href)) as WasmEngineModule;

/**
 * Applies pending migrations from prisma/migrations, exactly as `prisma migrate deploy` does
 * (same WebAssembly engine, same `_prisma_migrations` rows and checksums), in process, so the
 * embedded default and tests need no CLI and no native engine. Returns the names applied.
 */
export const applyMigrations = async (factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> => {
  try {
    return await (await wasmEngine()).applyMigrations(factory, migrationsDir);
  } catch (cause) {
    throw new DatabaseError('database.migration_failed', `applying migrations from ${migrationsDir} failed`, { cause });
  }
};

/** Opens the read-model database, applying pending migrations first unless `migrate` is false. */
export const openDatabase = async (target: DatabaseTarget, { migrate = true } = {}): Promise<Database> => {
  if (target.kind === 'pglite') {
    const pglite = await PGlite.create(target.dataDir);
    if (migrate) await applyMigrations(new PrismaPGlite(pglite));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      prisma,
      target: 'pglite',
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  if (migrate) await applyMigrations(await (await wasmEngine()).pgAdapterFactory(target.url));
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (cause) {
    await prisma.$disconnect();
    throw new DatabaseError('database.unreachable', 'cannot reach the read-model database', { cause });
  }
  return { prisma, target: 'postgres', connectionString: target.url, close: () => prisma.$disconnect() };
};
