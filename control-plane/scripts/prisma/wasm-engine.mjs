// Prisma's schema engine (migrations, diff, introspection) as WebAssembly, driven
// through a driver adapter instead of the native `schema-engine` binary, which this
// project's machines cannot download. Used by scripts/prisma-schema-engine.mjs (the
// stand-in the Prisma CLI spawns) and by tests that migrate an in-process PGlite.
//
// Needs: prisma (ships build/schema_engine_bg.wasm), @prisma/schema-engine-wasm (the
// JS glue), @prisma/driver-adapter-utils, and for Postgres servers @prisma/adapter-pg + pg.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const importPkg = (id) => import(pathToFileURL(require.resolve(id)).href);

export const noFilters = Object.freeze({ externalTables: [], externalEnums: [] });

// The engine reports the reason of a Rust panic here before trapping (the Prisma CLI
// defines the same global); without it a panic crashes the process with a TypeError.
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: '',
  set_message(m) {
    this.message = `RuntimeError: ${m}`;
  },
  get() {
    return this.message;
  },
};

let runtimePromise;
/** Instantiate the Wasm engine once per process; returns the module (SchemaEngine, version()). */
export function loadSchemaEngineWasm({ log = () => {} } = {}) {
  runtimePromise ??= (async () => {
    const runtime = await importPkg('@prisma/schema-engine-wasm/schema_engine_bg');
    // The glue never clears the timers it starts (e.g. the 10 s migration-lock
    // timeout), which would keep a process alive for 10 s after applyMigrations.
    const imports = { ...runtime };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) {
        imports[name] = (fn, ms) => {
          const t = setTimeout(fn, ms >>> 0);
          t.unref?.();
          return t;
        };
      }
    }
    // Prefer the engine build shipped with the installed CLI (same version as the
    // CLI's JSON-RPC); fall back to the one inside @prisma/schema-engine-wasm.
    const candidates = [
      path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm'),
      path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm'),
    ];
    let lastError;
    for (const file of candidates) {
      try {
        const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {
          './schema_engine_bg.js': imports,
        });
        runtime.__wbg_set_wasm(instance.exports);
        instance.exports.__wbindgen_start();
        log(`schema engine wasm ${runtime.version()} from ${file}`);
        return runtime;
      } catch (e) {
        lastError = e;
        log(`cannot use ${file}: ${e.message}`);
      }
    }
    throw lastError;
  })();
  return runtimePromise;
}

/**
 * Create an engine bound to a driver adapter factory (e.g. `new PrismaPGlite(db)` or
 * the result of `pgAdapterFactory(url)`), bound with bindMigrationAwareSqlAdapterFactory.
 */
export async function createSchemaEngine(adapterFactory, { datamodels, log = () => {} } = {}) {
  const { bindMigrationAwareSqlAdapterFactory } = await importPkg('@prisma/driver-adapter-utils');
  const bound = adapterFactory.errorRegistry ? adapterFactory : bindMigrationAwareSqlAdapterFactory(adapterFactory);
  const runtime = await loadSchemaEngineWasm({ log });
  try {
    const engine = await runtime.SchemaEngine.new({ datamodels }, (msg) => log(msg), bound);
    return { engine, errorRegistry: bound.errorRegistry };
  } catch (e) {
    throw adapterErrorOf(bound.errorRegistry, e) ?? e;
  }
}

/**
 * The JS error behind an engine error that only says "External error id#N" (the
 * driver adapter's error, kept in the bound factory's registry).
 */
export function adapterErrorOf(errorRegistry, e) {
  const m = /External error id#(\d+)/.exec(e?.message ?? '');
  if (!m || !errorRegistry) return undefined;
  const entry = errorRegistry.consumeError?.(Number(m[1])) ?? errorRegistry.lookupError?.(e);
  return entry?.error;
}

/** The `migrationsList` argument of the engine, read from a prisma/migrations folder. */
export function readMigrationsList(dir, shadowDbInitScript = '') {
  const baseDir = path.resolve(dir);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const entries = fs.existsSync(baseDir) ? fs.readdirSync(baseDir, { withFileTypes: true }) : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript,
    migrationDirectories: entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b))
      .map((name) => {
        const file = path.join(baseDir, name, 'migration.sql');
        let content;
        try {
          content = { tag: 'ok', value: fs.readFileSync(file, 'utf8') };
        } catch (e) {
          content = { tag: 'error', value: e.message };
        }
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
  };
}

/** `prisma migrate deploy`, in process: apply pending migrations, recorded in _prisma_migrations. */
export async function applyMigrations(adapterFactory, migrationsDir = 'prisma/migrations') {
  const { engine } = await createSchemaEngine(adapterFactory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: readMigrationsList(migrationsDir),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

// ---------------------------------------------------------------------------
// PostgreSQL server through @prisma/adapter-pg
// ---------------------------------------------------------------------------

// adapter-pg throws UnsupportedNativeDataType on catalog column types it has no
// mapping for. The schema describer reads `"char"` columns (pg_constraint.contype,
// ...) and expects them as single characters, as the native engine delivers them;
// other unmapped catalog types (regclass, pg_node_tree, ...) are fine as text.
// pg has already parsed such values into strings by the time a result comes back,
// so relabel the columns: `"char"` as `"char"[]` (adapter-pg: CharacterArray, turned
// into Character again below when the values are plain strings), the rest as text.
const CHAR_OID = 18;
const CHAR_ARRAY_OID = 1002;
const TEXT_OID = 25;
const ADAPTER_PG_KNOWN_OIDS = new Set([
  16, 17, 19, 20, 21, 23, 25, 26, 114, 142, 650, 700, 701, 790, 869, 1042, 1043, 1082, 1083, 1114, 1184,
  1266, 1560, 1562, 1700, 2950, 3802,
  143, 199, 651, 791, 1000, 1001, 1002, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1041, 1115,
  1182, 1183, 1185, 1231, 1561, 1563, 2951, 3807,
]);
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
const COLUMN_TYPE_CHARACTER_ARRAY = 70; // ColumnTypeEnum.CharacterArray

let clientClass;
export async function catalogTextPgClient() {
  if (clientClass) return clientClass;
  const pg = (await importPkg('pg')).default;
  const fix = (res) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const f of r?.fields ?? []) {
        if (f.dataTypeID === CHAR_OID) f.dataTypeID = CHAR_ARRAY_OID;
        else if (f.dataTypeID < 16384 && !ADAPTER_PG_KNOWN_OIDS.has(f.dataTypeID)) f.dataTypeID = TEXT_OID;
      }
    }
    return res;
  };
  clientClass = class CatalogTextClient extends pg.Client {
    query(config, values, callback) {
      if (typeof values === 'function') return super.query(config, (err, res) => values(err, res && fix(res)));
      if (typeof callback === 'function') return super.query(config, values, (err, res) => callback(err, res && fix(res)));
      const out = super.query(config, values);
      return out && typeof out.then === 'function' ? out.then(fix) : out;
    }
  };
  return clientClass;
}

/** Undo the `"char"` relabelling above at the adapter level (see catalogTextPgClient). */
function withCharColumns(queryable) {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const rs = await queryRaw(query);
    rs.columnTypes = rs.columnTypes.map((t, i) =>
      t === COLUMN_TYPE_CHARACTER_ARRAY && rs.rows.every((row) => row[i] === null || typeof row[i] === 'string')
        ? COLUMN_TYPE_CHARACTER
        : t,
    );
    return rs;
  };
  if (typeof queryable.startTransaction === 'function') {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (...args) => withCharColumns(await startTransaction(...args));
  }
  return queryable;
}

/** Split a Prisma postgresql:// URL into what pg understands and the `schema` param. */
export function parsePgUrl(url) {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) {
    throw Object.assign(new Error(`Only postgresql:// URLs are supported here, got ${u.protocol}`), { code: 'P1013' });
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  // Like the native engine, run with search_path = the URL's `schema` (migration SQL
  // is not schema-qualified).
  if (schema && !u.searchParams.has('options')) u.searchParams.set('options', `-c search_path="${schema.replace(/"/g, '""')}"`);
  return { connectionString: u.toString(), schema, database: decodeURIComponent(u.pathname.slice(1)) || 'postgres', url: u };
}

export async function withPgClient(connectionString, fn) {
  const pg = (await importPkg('pg')).default;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoteIdent = (s) => `"${String(s).replace(/"/g, '""')}"`;

/**
 * A migration-aware adapter factory for a PostgreSQL server. Its shadow database is
 * a temporary database created and dropped around each use (what the native engine
 * does), or `shadowDatabaseUrl`, emptied first. adapter-pg's own connectToShadowDb()
 * is not used: given a connection string, its `{ ...config, database }` still
 * connects to the main database, and it drops the temporary one before closing its pool.
 */
export async function pgAdapterFactory(url, { shadowDatabaseUrl } = {}) {
  const { PrismaPg } = await importPkg('@prisma/adapter-pg');
  const Client = await catalogTextPgClient();
  const main = parsePgUrl(url);
  const factory = new PrismaPg({ connectionString: main.connectionString, Client }, { schema: main.schema });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => withCharColumns(await connect());
  factory.connectToShadowDb = async () => {
    if (shadowDatabaseUrl) {
      const shadow = parsePgUrl(shadowDatabaseUrl);
      const schema = quoteIdent(shadow.schema ?? 'public');
      await withPgClient(shadow.connectionString, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`));
      return withCharColumns(await new PrismaPg({ connectionString: shadow.connectionString, Client }, { schema: shadow.schema }).connect());
    }
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await withPgClient(main.connectionString, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const u = new URL(main.connectionString);
    u.pathname = `/${name}`;
    const adapter = withCharColumns(await new PrismaPg({ connectionString: u.toString(), Client }, { schema: main.schema }).connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await withPgClient(main.connectionString, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
    };
    return adapter;
  };
  return factory;
}

export async function createPgDatabase(url) {
  const cfg = parsePgUrl(url);
  const admin = new URL(cfg.connectionString);
  admin.pathname = '/postgres';
  await withPgClient(admin.toString(), (c) => c.query(`CREATE DATABASE ${quoteIdent(cfg.database)}`));
  return { databaseName: cfg.database };
}

export async function dropPgDatabase(url) {
  const cfg = parsePgUrl(url);
  const admin = new URL(cfg.connectionString);
  admin.pathname = '/postgres';
  await withPgClient(admin.toString(), (c) => c.query(`DROP DATABASE ${quoteIdent(cfg.database)}`));
}
