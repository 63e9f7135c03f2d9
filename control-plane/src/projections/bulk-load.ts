import type { PrismaClient } from '../generated/prisma/client.js';

interface IndexRow {
  readonly index_name: string;
  readonly table_name: string;
  readonly definition: string;
}

interface Suspended {
  /** The stash's key: an index or constraint name, or `autovacuum:<table>`. */
  readonly name: string;
  readonly table: string;
  /** The statement that undoes the suspension (`CREATE INDEX …`, `ALTER TABLE … ADD CONSTRAINT …`, `ALTER TABLE … RESET …`). */
  readonly restore: string;
  /** The statement that suspends it, run after the stash row is written. */
  readonly suspend: string;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Prepares `tables` for a rebuild that loads every row in bulk, and returns what it suspended:
 * - their non-unique indexes are dropped, so rows load without maintaining them row by row; each is
 *   built once at the end from sorted rows, a fraction of the cost (a replay of 200,000 events used
 *   about a quarter less PostgreSQL CPU);
 * - the primary keys of `appendOnly` tables (rows written once and never looked up by key while the
 *   rebuild runs, like `admin_activity` keyed by random event ids) are dropped the same way, and
 *   added back at the end, which checks every key's uniqueness then;
 * - autovacuum is switched off on them, where no one has set it explicitly: it would otherwise
 *   vacuum and analyze the growing tables again and again while they load (on 1,000,000 events,
 *   several seconds of CPU taken from the rebuild); the restore switches it back on and the rebuild
 *   analyzes the tables once at the end.
 * Other primary and unique keys stay: updates find rows by id. The statements that undo each step
 * are stashed in `read_model_index_stash` in the transaction that makes it, so a rebuild that is
 * killed halfway leaves them to the next rebuild or projector start, which restore them first.
 */
export const suspendForBulkLoad = async (prisma: PrismaClient, tables: readonly string[], { appendOnly = [] }: { appendOnly?: readonly string[] } = {}): Promise<string[]> =>
  prisma.$transaction(async (tx) => {
    const indexes = await tx.$queryRawUnsafe<IndexRow[]>(
      `SELECT ci.relname AS index_name, ct.relname AS table_name, pg_get_indexdef(x.indexrelid) AS definition
         FROM pg_index x
         JOIN pg_class ci ON ci.oid = x.indexrelid
         JOIN pg_class ct ON ct.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = ct.relnamespace
        WHERE n.nspname = current_schema() AND ct.relname = ANY($1::text[]) AND NOT x.indisunique AND NOT x.indisprimary`,
      tables,
    );
    const primaryKeys = await tx.$queryRawUnsafe<IndexRow[]>(
      `SELECT c.conname AS index_name, ct.relname AS table_name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_class ct ON ct.oid = c.conrelid
         JOIN pg_namespace n ON n.oid = ct.relnamespace
        WHERE n.nspname = current_schema() AND ct.relname = ANY($1::text[]) AND c.contype = 'p'`,
      appendOnly.filter((table) => tables.includes(table)),
    );
    const autovacuumOn = await tx.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT ct.relname AS table_name
         FROM pg_class ct
         JOIN pg_namespace n ON n.oid = ct.relnamespace
        WHERE n.nspname = current_schema() AND ct.relname = ANY($1::text[]) AND ct.relkind = 'r'
          AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(ct.reloptions, '{}')) AS o WHERE o LIKE 'autovacuum_enabled=%')`,
      tables,
    );
    const steps: Suspended[] = [
      ...indexes.map(({ index_name, table_name, definition }) => ({ name: index_name, table: table_name, restore: definition, suspend: `DROP INDEX ${quoted(index_name)}` })),
      ...primaryKeys.map(({ index_name, table_name, definition }) => ({
        name: index_name,
        table: table_name,
        restore: `ALTER TABLE ${quoted(table_name)} ADD CONSTRAINT ${quoted(index_name)} ${definition}`,
        suspend: `ALTER TABLE ${quoted(table_name)} DROP CONSTRAINT ${quoted(index_name)}`,
      })),
      ...autovacuumOn.map(({ table_name }) => ({
        name: `autovacuum:${table_name}`,
        table: table_name,
        restore: `ALTER TABLE ${quoted(table_name)} RESET (autovacuum_enabled)`,
        suspend: `ALTER TABLE ${quoted(table_name)} SET (autovacuum_enabled = false)`,
      })),
    ];
    for (const { name, table, restore, suspend } of steps) {
      await tx.readModelIndexStash.upsert({
        where: { indexName: name },
        create: { indexName: name, tableName: table, definition: restore, droppedAt: new Date() },
        update: {},
      });
      await tx.$executeRawUnsafe(suspend);
    }
    return steps.map((step) => step.name);
  });

const indexExists = async (prisma: PrismaClient, indexName: string) =>
  (await prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1`, indexName)).length > 0;

const constraintExists = async (prisma: PrismaClient, table: string, name: string) =>
  (
    await prisma.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM pg_constraint c JOIN pg_class ct ON ct.oid = c.conrelid JOIN pg_namespace n ON n.oid = ct.relnamespace
        WHERE n.nspname = current_schema() AND ct.relname = $1 AND c.conname = $2`,
      table,
      name,
    )
  ).length > 0;

/** Runs one stashed statement so that running it again, or after another replica did, changes nothing. */
const restoreOne = async (prisma: PrismaClient, { indexName, tableName, definition }: { indexName: string; tableName: string; definition: string }) => {
  if (definition.startsWith('CREATE INDEX ')) {
    try {
      await prisma.$executeRawUnsafe(definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    } catch (error) {
      if (!(await indexExists(prisma, indexName))) throw error;
    }
  } else if (/^ALTER TABLE "(?:[^"]|"")+" ADD CONSTRAINT /.test(definition)) {
    if (await constraintExists(prisma, tableName, indexName)) return;
    try {
      await prisma.$executeRawUnsafe(definition);
    } catch (error) {
      if (!(await constraintExists(prisma, tableName, indexName))) throw error;
    }
  } else if (/^ALTER TABLE "(?:[^"]|"")+" RESET \(autovacuum_enabled\)$/.test(definition)) {
    await prisma.$executeRawUnsafe(definition);
  } else {
    throw new Error(`unexpected stashed statement for ${indexName}: ${definition}`);
  }
};

/**
 * Undoes everything `suspendForBulkLoad` stashed (indexes and keys created again if they do not
 * exist, autovacuum switched back on) and forgets it. Returns the names. Replicas starting together
 * may race here: an index or key another one created meanwhile counts as done.
 *
 * The statements run `concurrency` at a time, on as many connections: each index build is one
 * sort on one PostgreSQL core, so building them one after another left a 2-core server half idle
 * for the ten seconds a 1,000,000-event replay spends here. Index builds on one table share its
 * lock; adding a primary key waits for them. Every statement is tried; the first error is thrown
 * once all have settled, and what failed stays stashed for the next attempt.
 */
export const restoreAfterBulkLoad = async (prisma: PrismaClient, { concurrency = 2 }: { concurrency?: number } = {}): Promise<string[]> => {
  const stashed = await prisma.readModelIndexStash.findMany({ orderBy: { indexName: 'asc' } });
  const pending = [...stashed];
  const failures: unknown[] = [];
  const worker = async () => {
    for (let entry = pending.shift(); entry; entry = pending.shift()) {
      try {
        await restoreOne(prisma, entry);
        await prisma.readModelIndexStash.deleteMany({ where: { indexName: entry.indexName } });
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, stashed.length)) }, worker));
  if (failures.length > 0) throw failures[0];
  return stashed.map((entry) => entry.indexName);
};
