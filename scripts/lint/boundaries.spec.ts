/**
 * Proves the architecture rules in eslint.config.mjs bite: each case lints a one-line file at a
 * path inside a project and expects the rule that must reject it. If a rule is switched off,
 * misconfigured, or silently skipped (the Nx rule skips itself without a project graph), a case fails.
 */
import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
let eslint: ESLint;

const violations = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(`${code}\nexport const used = 1;\n`, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
};

describe('lint boundaries', () => {
  beforeAll(() => {
    // the Nx rule reads the cached project graph; make sure it exists, as `nx run-many -t lint` does
    execFileSync(process.execPath, [`${root}node_modules/nx/dist/bin/nx.js`, 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'pipe' });
    eslint = new ESLint({ cwd: root });
  });

  it.each([
    ['proxy/src/uses-nest.ts', "import { Module } from '@nestjs/common';", /no-restricted-imports: .*'@nestjs\/common'/],
    ['proxy/src/uses-prisma.ts', "import { PrismaClient } from '@prisma/client';", /no-restricted-imports/],
    ['contracts/src/uses-node.ts', "import { readFileSync } from 'node:fs';", /no-restricted-imports: .*'node:fs'/],
    ['contracts/src/uses-bare-node.ts', "import { createHash } from 'crypto';", /no-restricted-imports: .*'crypto'/],
    ['contracts/src/uses-kafka.ts', "import { Kafka } from 'kafkajs';", /no-restricted-imports/],
    ['admin-web/src/uses-node.tsx', "import { readFile } from 'node:fs/promises';", /no-restricted-imports/],
    ['control-plane/src/uses-harness.ts', "import { startKafka } from '@mcpgate/testing';", /no-restricted-imports: .*test harness/],
    ['proxy/src/uses-control-plane.ts', "import { startControlPlane } from '@mcpgate/control-plane';", /@nx\/enforce-module-boundaries/],
    ['contracts/src/uses-harness.ts', "import { waitUntil } from '@mcpgate/testing';", /@nx\/enforce-module-boundaries/],
    ['contracts/src/uses-app.ts', "import { startControlPlane } from '@mcpgate/control-plane';", /@nx\/enforce-module-boundaries/],
    ['control-plane/src/value-import.ts', "import { Database } from './infra/database/database.js';\nexport type T = Database;", /consistent-type-imports/],
    ['control-plane/src/CamelCase.ts', "export const x = 1;", /unicorn\/filename-case/],
  ])('rejects %s', async (file, code, rule) => {
    const found = await violations(file, code);
    expect(found.some((v) => rule.test(v)), found.join('\n') || 'no violation reported').toBe(true);
  });

  it.each([
    ['control-plane/src/allowed.ts', "import { TenantId } from '@mcpgate/contracts';\nexport const id = TenantId;"],
    ['control-plane/src/infra/allowed.int.spec.ts', "import { startPostgres } from '@mcpgate/testing';\nexport const s = startPostgres;"],
    ['proxy/src/allowed.ts', "import { createServer } from 'node:http';\nexport const s = createServer;"],
    ['deploy/src/allowed.ts', "import { startControlPlane } from '@mcpgate/control-plane';\nexport const s = startControlPlane;"],
  ])('accepts %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
