/**
 * Compiles the benchmark's child processes to plain JavaScript before they start, the way the
 * proxy runs in production (compiled, no TypeScript loader in the process): tsx would add about
 * 40 MB of resident memory (its hooks, transpiled sources and source maps kept in memory) and
 * skew the memory goal. Project code (proxy/src, contracts/src, bench) is bundled from source;
 * npm packages stay external and load from node_modules as usual. esbuild is the one tsx
 * already installs.
 */
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';

/** Bare imports other than the workspace's own packages are left to Node. */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mcpgate/') ? undefined : { path: args.path, external: true }));
  },
};

/** Bundles each `<name>.ts` of this folder to `<outDir>/<name>.mjs` (with a source map for profiles). */
export const buildChildren = async <Name extends string>(names: readonly Name[], outDir: string): Promise<Record<Name, string>> => {
  await build({
    entryPoints: names.map((name) => join(import.meta.dirname, `${name}.ts`)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    conditions: ['@mcpgate/source'],
    sourcemap: 'external',
    plugins: [packagesExternal],
    logLevel: 'warning',
  });
  return Object.fromEntries(names.map((name) => [name, join(outDir, `${name}.mjs`)])) as Record<Name, string>;
};
