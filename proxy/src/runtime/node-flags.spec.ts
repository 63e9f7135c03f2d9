import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROXY_NODE_FLAGS } from './node-flags.js';

const startScriptOf = (packageJson: URL): string => (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;

describe('PROXY_NODE_FLAGS', () => {
  it.each([
    ["the proxy package's npm start", new URL('../../package.json', import.meta.url)],
    ["the repository's npm start (single-process launcher)", new URL('../../../package.json', import.meta.url)],
  ])('are what %s runs node with', (_, packageJson) => {
    const start = startScriptOf(packageJson);
    for (const flag of PROXY_NODE_FLAGS) expect(start).toMatch(new RegExp(`\\bnode ${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
  });
});
