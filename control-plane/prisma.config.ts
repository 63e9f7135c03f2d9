// Prisma CLI configuration for the control plane's read models.
// These machines cannot download Prisma's native schema engine, so the CLI is pointed at a stand-in
// (scripts/prisma/schema-engine.mjs) that serves the same JSON-RPC with the WebAssembly build of the
// same engine shipped on npm. See scripts/prisma/README.md. A non-empty PRISMA_SCHEMA_ENGINE_BINARY wins.
import { accessSync, chmodSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

const engine = fileURLToPath(new URL('./scripts/prisma/schema-engine.mjs', import.meta.url));
try {
  accessSync(engine, constants.X_OK);
} catch {
  chmodSync(engine, 0o755); // the CLI spawns it directly; a checkout may lose the x bit
}
process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ||= engine;

const url = process.env['DATABASE_URL'];

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // generate needs no database; migrate/db commands need DATABASE_URL (and create a temporary
  // shadow database unless SHADOW_DATABASE_URL is set)
  ...(url ? { datasource: { url, shadowDatabaseUrl: process.env['SHADOW_DATABASE_URL'] } } : {}),
});
