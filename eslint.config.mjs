// Lint rules that make the architecture enforceable rather than prose (see CONVENTIONS.md):
// Nx module boundaries by tag, banned imports per project, type-only imports, node: protocol,
// kebab-case file names.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import unicorn from 'eslint-plugin-unicorn';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];
const serverFrameworks = ['@nestjs/*', '@apollo/*', '@as-integrations/*', '@prisma/*', 'prisma', '@electric-sql/*'];

/** Which project (by tag) may import which other project. */
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:test-harness', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:control-plane', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:data-plane', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['type:contracts'] },
  {
    sourceTag: 'type:launcher',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:control-plane', 'scope:data-plane', 'scope:web'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:control-plane', 'scope:data-plane', 'scope:web', 'type:launcher'],
  },
];

/**
 * Packages each project may never import, enforced with no-restricted-imports so that a ban holds
 * whether or not the package is installed anywhere in the workspace. `always` applies to every file
 * of the project, `inProduction` only to non-test files (tests may use Node and the test harness).
 */
const harness = ['@mcpgate/testing', '@mcpgate/testing/*'];
const bannedImports = {
  contracts: {
    why: 'contracts is runtime-neutral: no Node built-ins, Kafka, ORM or server frameworks',
    always: { paths: [], patterns: ['kafkajs', 'pg', ...serverFrameworks] },
    inProduction: { paths: nodeBuiltins, patterns: ['node:*'] },
  },
  proxy: {
    why: 'the proxy is a lightweight Node service: no NestJS, Apollo, Prisma or embedded Postgres; no test harness outside tests',
    always: { paths: [], patterns: serverFrameworks },
    inProduction: { paths: [], patterns: harness },
  },
  'admin-web': {
    why: 'the console talks only to the GraphQL API: no Node, Kafka, ORM or server frameworks; no test harness outside tests',
    always: { paths: [], patterns: ['kafkajs', 'pg', ...serverFrameworks] },
    inProduction: { paths: nodeBuiltins, patterns: ['node:*', ...harness] },
  },
  'control-plane': { why: 'the test harness is for tests only', always: { paths: [], patterns: [] }, inProduction: { paths: [], patterns: harness } },
  deploy: { why: 'the test harness is for tests only', always: { paths: [], patterns: [] }, inProduction: { paths: [], patterns: harness } },
};
// tests and benchmarks may use Node and the test harness
const testFiles = ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**', '**/bench/**'];
const restrict = (why, { paths, patterns }) => [
  'error',
  { paths: paths.map((name) => ({ name, message: why })), patterns: patterns.length ? [{ group: patterns, message: why }] : [] },
];
const bannedImportConfigs = Object.entries(bannedImports).flatMap(([project, { why, always, inProduction }]) => [
  {
    files: [`${project}/**/*.{ts,tsx,mts}`],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': restrict(why, {
        paths: [...always.paths, ...inProduction.paths],
        patterns: [...always.patterns, ...inProduction.patterns],
      }),
    },
  },
  { files: testFiles.map((glob) => `${project}/${glob}`), rules: { 'no-restricted-imports': restrict(why, always) } },
]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-bench/**', '**/generated/**', '.nx/**', '**/coverage/**', '**/test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,mjs,js}'],
    plugins: { '@nx': nx, unicorn },
    languageOptions: { globals: globals.node },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'unicorn/prefer-node-protocol': 'error',
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      eqeqeq: ['error', 'always'],
    },
  },
  ...bannedImportConfigs,
  // admin-web's build tooling runs on Node, not in the browser: only the `always` bans apply there
  {
    files: ['admin-web/*.config.ts', 'admin-web/codegen.ts', 'admin-web/build/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(bannedImports['admin-web'].why, bannedImports['admin-web'].always) },
  },
);
