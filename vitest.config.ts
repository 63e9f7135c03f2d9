import { createRequire } from 'node:module';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * One Vitest run covers the whole repo. Each package has two projects:
 *   <pkg>:unit — `*.spec.ts` beside the code, no I/O beyond the process;
 *   <pkg>:int  — `*.int.spec.ts` (and integration-tests' suites) against real Kafka / Postgres /
 *                processes through Testcontainers; needs `npm run infra:up` first.
 * Run one: `npx vitest run --project control-plane:unit`.
 */
const packages = ['contracts', 'testing', 'control-plane', 'proxy', 'admin-web', 'deploy', 'integration-tests'];
// Workspace packages resolve to their TypeScript sources in tests, so nothing has to be built first.
const conditions = ['@mcpgate/source', ...defaultServerConditions];

// graphql must be one instance: NestJS and Apollo load its CommonJS build, so tests must too
// (Vite would otherwise pick the ESM build through its "module" field: two realms, "Cannot use
// GraphQLObjectType from another module or realm"). Plain Node resolves the CommonJS build anyway.
const graphqlCommonJs = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: { conditions, alias: [{ find: /^graphql$/, replacement: graphqlCommonJs }] },
  ssr: { resolve: { conditions } },
  test: {
    passWithNoTests: true,
    projects: [
      // repo-wide checks (lint boundaries) that belong to no single package
      { extends: true, test: { name: 'workspace:unit', root: '.', include: ['scripts/**/*.spec.ts'], testTimeout: 60_000 } },
      ...packages.flatMap((dir) => [
      {
        extends: true,
        test: {
          name: `${dir}:unit`,
          root: dir,
          include: ['src/**/*.spec.{ts,tsx}'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**', '**/dist/**'],
          // generous: embedded PGlite and a whole embedded control plane take seconds to start on a
          // loaded 2-core machine
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // the console's component tests render React into a DOM (jsdom) with jest-dom matchers
          ...(dir === 'admin-web' ? { environment: 'jsdom', setupFiles: ['./src/test/setup.ts'] } : {}),
        },
      },
      {
        extends: true,
        test: {
          name: `${dir}:int`,
          root: dir,
          include: ['src/**/*.int.spec.ts', 'suites/**/*.int.spec.ts', 'suites/**/*.e2e.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          env: { TESTCONTAINERS_HOST_OVERRIDE: 'localhost', TESTCONTAINERS_RYUK_DISABLED: 'true', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
        },
      },
      ]),
    ],
  },
});
