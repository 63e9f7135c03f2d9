import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The control plane's package folder, found by walking up from this file, so paths to shipped
 * non-code files (Prisma migrations, engine scripts) work from `src/` under a test runner and from
 * `dist/` alike.
 */
export const controlPlaneRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@mcpgate/control-plane') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the @mcpgate/control-plane package folder');
    dir = parent;
  }
})();
