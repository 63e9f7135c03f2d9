import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The process's Node options without a tsx loader (`--import tsx`, `--import=tsx`, `--require …tsx…`). */
const withoutTsx = (args: readonly string[]): string[] => {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if ((arg === '--import' || arg === '--require') && args[i + 1]?.includes('tsx')) i += 1;
    else if (!/^--(import|require)=.*tsx/.test(arg)) kept.push(arg);
  }
  return kept;
};

/**
 * Where a worker thread's module is, and the Node options to start it with: the compiled
 * `<name>.js` next to the calling module, without a tsx loader the process may have (the
 * benchmarks load it for the test harness only; a thread would otherwise put every module it loads
 * through it); or, when running from the TypeScript sources (tests, `tsx`), `<name>.ts` loaded
 * through tsx with the workspace's source condition. `base` is the caller's `import.meta.url`.
 */
export const threadEntry = (base: string, name: string): { url: URL; execArgv: string[] } => {
  const compiled = new URL(`./${name}.js`, base);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled, execArgv: withoutTsx(process.execArgv) };
  const underTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  return {
    url: new URL(`./${name}.ts`, base),
    execArgv: underTsx ? process.execArgv : [...process.execArgv, '--import', 'tsx', '--conditions=@mcpgate/source'],
  };
};
