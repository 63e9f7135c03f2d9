import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface Chunk {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/**
 * Reports the JavaScript a first visit downloads (the entry chunk and its static imports, gzipped)
 * and fails the build above `budgetKb`. Route chunks load on demand and do not count.
 */
export const initialSizeBudget = (budgetKb: number): Plugin => ({
  name: 'mcpgate-initial-size',
  apply: 'build',
  generateBundle(_options, bundle) {
    const chunks = bundle as unknown as Record<string, Chunk>;
    const initial = new Set<string>();
    const visit = (fileName: string) => {
      if (initial.has(fileName)) return;
      initial.add(fileName);
      for (const imported of chunks[fileName]?.imports ?? []) visit(imported);
    };
    for (const chunk of Object.values(chunks)) if (chunk.type === 'chunk' && chunk.isEntry) visit(chunk.fileName);
    const bytes = [...initial].reduce((sum, name) => sum + gzipSync(chunks[name]?.code ?? '').length, 0);
    const kb = bytes / 1024;
    this.info(`initial JavaScript: ${kb.toFixed(1)} KB gzipped in ${initial.size} chunks (budget ${budgetKb} KB)`);
    if (kb > budgetKb) this.error(`initial JavaScript is ${kb.toFixed(1)} KB gzipped, over the ${budgetKb} KB budget: split a route or drop a dependency`);
  },
});
