// @vitest-environment node
import { generate } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** CI fails when src/generated/ no longer matches the operations in src/ and control-plane/schema.graphql. */
describe('generated GraphQL client', () => {
  it('is what codegen makes from the current schema and operations (else: npm run codegen -w @mcpgate/admin-web)', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as { filename: string; content: string }[];
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) {
        expect(readFileSync(join(root, output.filename), 'utf8'), `${output.filename} is stale`).toBe(output.content);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
