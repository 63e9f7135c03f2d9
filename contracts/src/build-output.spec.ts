/**
 * Guards the runtime neutrality of @mcpgate/contracts on what actually ships: builds the package
 * and checks every import in the emitted JavaScript. Lint checks the sources; this checks the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import manifest from '../package.json' with { type: 'json' };

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const outDir = mkdtempSync(join(tmpdir(), 'mcpgate-contracts-build-'));
const importsOf = (source: string) =>
  [...source.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );

describe('the built @mcpgate/contracts package', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('imports nothing but zod, Ajv (the schemas compiled, zod-compiled.ts) and its own modules: no Node built-ins, Nest, Kafka or ORM', () => {
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'pipe' });
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files).toContain('index.js');
    expect(files.some((f) => f.includes('.spec.'))).toBe(false);
    const external = new Set(files.flatMap((f) => importsOf(readFileSync(join(outDir, f), 'utf8'))).filter((s) => !s.startsWith('.')));
    expect([...external].sort()).toEqual(['ajv/dist/2020.js', 'zod']);
  });

  it('declares only its runtime-neutral dependencies and exposes its surface through an exports map', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['ajv', 'zod']);
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('detects a Node import in built output (the check above can fail)', () => {
    expect(importsOf("import { readFileSync } from 'node:fs';\nexport { x } from './x.js';")).toEqual(['node:fs', './x.js']);
  });
});
