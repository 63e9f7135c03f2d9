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

/**
 * Bare imports other than the workspace's own packages are left to Node, as absolute paths
 * resolved from the importing file: the bundle lives under the root's node_modules/.cache, from
 * where Node would not find a package that npm installed under a workspace package rather than at
 * the root (a version of it other than the root's, e.g. `control-plane/node_modules/ajv`).
 */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(builder) {
    const resolving = Symbol('packages-external');
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@mcpgate/') || args.pluginData === resolving) return undefined;
      const resolved = await builder.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: resolving });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
  },
};

/** Bundles each `<name>.ts` of this folder to `<outDir>/<name>.mjs` (with a source map for profiles). */
export const buildChildren = async <Name extends string>(names: readonly Name[], outDir: string): Promise<Record<Name, string>> => {
  await build({
    entryPoints: names.map((name) => join(import.meta.dirname, `${name}.ts`)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // modules the proxy imports only when needed (Kafka's clients, the stdio protocol) stay
    // separate chunks, loaded when imported, as the per-file production build loads them
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
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
