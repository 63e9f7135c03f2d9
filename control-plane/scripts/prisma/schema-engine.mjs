#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (which this project's machines
// cannot download). prisma.config.ts points the CLI at it through
// PRISMA_SCHEMA_ENGINE_BINARY; the CLI then talks to it exactly as to the binary:
// same argv, JSON-RPC 2.0 one message per line on stdin/stdout. Each request is
// served by the WebAssembly build of the same engine over @prisma/adapter-pg.
// PostgreSQL only. Set SCHEMA_ENGINE_SHIM_DEBUG=1 to trace on stderr.
import fs from 'node:fs';
import readline from 'node:readline';
import {
  adapterErrorOf,
  createPgDatabase,
  createSchemaEngine,
  dropPgDatabase,
  loadSchemaEngineWasm,
  parsePgUrl,
  pgAdapterFactory,
  withPgClient,
} from './wasm-engine.mjs';

const log = (...a) => {
  if (process.env.SCHEMA_ENGINE_SHIM_DEBUG) process.stderr.write(`[schema-engine-shim] ${a.join(' ')}\n`);
};

// A Rust panic inside an engine callback surfaces here, outside any request.
// Report it the way the binary does (JSON log line on stderr, exit code 101).
process.on('uncaughtException', (e) => {
  const message = globalThis.PRISMA_WASM_PANIC_REGISTRY?.get?.() || e?.stack || String(e);
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level: 'ERROR', fields: { message, is_panic: true }, target: 'schema_engine::logger' }) + '\n');
  process.exit(101);
});

// ---------- argv: the native binary's flags ----------
const argv = process.argv.slice(2);
const opts = { datamodels: [], datasource: undefined, cli: undefined, version: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--version' || a === '-V') opts.version = true;
  else if (a === '--datamodels') opts.datamodels.push(argv[++i]);
  else if (a === '--datasource') opts.datasource = JSON.parse(argv[++i]);
  else if (a === '--enabled-preview-features' || a === '--extension-types') i++; // not taken by the Wasm engine
  else if (a === 'cli') opts.cli = argv[++i];
}

function pgErrorToPrisma(e, url) {
  let cfg;
  try {
    cfg = parsePgUrl(url);
  } catch {
    // an unparsable URL: report the driver's error without a database name
  }
  switch (e?.code) {
    case '3D000': return { error_code: 'P1003', message: `Database \`${cfg?.database}\` does not exist` };
    case '28P01':
    case '28000': return { error_code: 'P1000', message: `Authentication failed against database server, the provided database credentials for \`${cfg?.url.username}\` are not valid.` };
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT': return { error_code: 'P1001', message: `Can't reach database server at \`${e.address ? `${e.address}:${e.port}` : cfg?.url.host}\`` };
    default: return { error_code: /^P\d{4}$/.test(e?.code ?? '') ? e.code : undefined, message: e?.message ?? String(e) };
  }
}

// ---------- `schema-engine cli <command>`: used before migrate/db push to check/create the database ----------
async function runCliCommand(command) {
  const url = opts.datasource?.url;
  // Same shape as the binary's tracing output: the CLI skips the first stderr line,
  // then looks for an ERROR line from schema_engine::logger.
  const line = (level, fields) =>
    process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: 'schema_engine::logger' }) + '\n');
  try {
    if (command === 'can-connect-to-database') await withPgClient(parsePgUrl(url).connectionString, (c) => c.query('SELECT 1'));
    else if (command === 'create-database') await createPgDatabase(url);
    else if (command === 'drop-database') await dropPgDatabase(url);
    else throw new Error(`Unknown cli command ${command}`);
    process.exit(0);
  } catch (e) {
    line('INFO', { message: 'schema-engine wasm stand-in' });
    line('ERROR', pgErrorToPrisma(e, url));
    process.exit(1);
  }
}

// ---------- JSON-RPC server ----------
let enginePromise;
let errorRegistry;
function getEngine() {
  enginePromise ??= (async () => {
    const datamodels = opts.datamodels.length ? opts.datamodels.map((f) => [f, fs.readFileSync(f, 'utf8')]) : undefined;
    const url = opts.datasource?.url;
    const factory = url
      ? await pgAdapterFactory(url, { shadowDatabaseUrl: opts.datasource?.shadowDatabaseUrl })
      : {
          // The Wasm engine queries the database as soon as it is created, so every
          // command needs one, even `migrate diff --from-empty --to-schema`.
          provider: 'postgres',
          adapterName: 'no-database',
          connect: async () => { throw new Error('The schema engine stand-in needs datasource.url in prisma.config.ts'); },
          connectToShadowDb: async () => { throw new Error('No datasource url configured'); },
        };
    const created = await createSchemaEngine(factory, { datamodels, log: (m) => log('engine:', m) });
    errorRegistry = created.errorRegistry;
    return created.engine;
  })();
  return enginePromise;
}

const send = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
let outgoingId = 1_000_000;

async function dispatch(method, params) {
  if (method === 'createDatabase') return createPgDatabase(params?.datasource?.url ?? opts.datasource?.url);
  const engine = await getEngine();
  switch (method) {
    case 'getDatabaseVersion':
      return engine.version(params ?? null);
    case 'diff': {
      const { stdout, ...rest } = await engine.diff(params);
      // The binary hands diff output to the CLI as a `print` request; do the same.
      if (stdout) send({ jsonrpc: '2.0', id: outgoingId++, method: 'print', params: { content: stdout.replace(/\n$/, '') } });
      return rest;
    }
    case 'reset':
      await engine.reset(params ?? { filter: { externalTables: [], externalEnums: [] } });
      return {};
    case 'dbExecute':
      await engine.dbExecute(params);
      return {};
    case 'evaluateDataLoss':
    case 'createMigration':
      // For these two the Wasm engine reads the schema of the migrations folder only
      // from a per-instance cache and never replays it on the shadow database itself
      // ("PostgreSQL shadow DB must be provided through an external factory").
      // diagnoseMigrationHistory() (with the shadow database) fills that cache.
      try {
        return await engine[method](params);
      } catch (e) {
        if (!/shadow DB must be provided through an external factory/.test(e?.message ?? '')) throw e;
        log('filling the migration schema cache before', method);
        await engine.diagnoseMigrationHistory({ migrationsList: params.migrationsList, optInToShadowDatabase: true, filters: params.filters });
        return await engine[method](params);
      }
    default:
      if (typeof engine[method] !== 'function') throw new Error(`Unknown schema engine method: ${method}`);
      return (await engine[method](params)) ?? {}; // call on the instance: wasm-bindgen needs `this`
  }
}

function toRpcError(e) {
  const original = adapterErrorOf(errorRegistry, e);
  const isPanic = e?.name === 'RuntimeError';
  const message = isPanic ? globalThis.PRISMA_WASM_PANIC_REGISTRY?.get?.() || e.message : e?.message ?? String(e);
  const data = original
    ? { is_panic: false, ...pgErrorToPrisma(original, opts.datasource?.url), meta: {} }
    : { is_panic: isPanic, message, error_code: e?.code, meta: e?.meta ?? {} };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

function serve() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve(); // one request at a time, like the binary
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (!msg.method) return; // the CLI's answer to one of our `print` requests
    queue = queue.then(async () => {
      log('->', msg.method, JSON.stringify(msg.params ?? null).slice(0, 300));
      try {
        send({ jsonrpc: '2.0', id: msg.id, result: (await dispatch(msg.method, msg.params)) ?? null });
      } catch (e) {
        log('error', e?.stack ?? e);
        send({ jsonrpc: '2.0', id: msg.id, error: toRpcError(e) });
      }
    });
  });
  rl.on('close', async () => {
    await queue;
    try {
      (await enginePromise)?.free();
    } catch {
      // the engine never started: nothing to free
    }
    process.exit(0);
  });
}

if (opts.version) {
  const runtime = await loadSchemaEngineWasm();
  process.stdout.write(`schema-engine-cli ${runtime.version()}\n`);
  process.exit(0);
} else if (opts.cli) {
  await runCliCommand(opts.cli);
} else {
  serve();
}
