import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Public } from './auth/permissions.js';

/**
 * Serves the admin console's production build (admin-web/dist) under /console/, with a fallback to
 * index.html for the single-page app's own routes. index.html is never cached (it names the current
 * hashed bundles); the hashed assets are cached for a year. MCPGATE_CONSOLE_DIR points elsewhere
 * (a container image); by default the build is found in the workspace this package runs from.
 */
export const CONSOLE_PATH = '/console/';

const findConsoleBuild = (): string | undefined => {
  const configured = process.env['MCPGATE_CONSOLE_DIR'];
  if (configured) return resolve(configured);
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'admin-web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // Mantine sets inline style attributes, so styles need 'unsafe-inline'; scripts come only from here
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

@Controller()
export class ConsoleController {
  private readonly root = findConsoleBuild();

  @Public()
  @Get()
  home(@Res() res: Response): void {
    res.redirect(302, CONSOLE_PATH);
  }

  @Public()
  @Get(['console', 'console/*path'])
  asset(@Param('path') path: string[] | undefined, @Res() res: Response): void {
    if (!this.root) {
      res.status(503).type('text/plain').send('The console is not built: run `npm run build -w @mcpgate/admin-web` (or `npm start`).\n');
      return;
    }
    const relative = (path ?? []).join('/');
    const isAsset = relative.startsWith('assets/') || /\.(?:svg|png|ico|txt|webmanifest)$/.test(relative);
    if (isAsset) {
      res.sendFile(relative, { root: this.root, dotfiles: 'deny', headers: { ...SECURITY_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' } }, (error) => {
        if (error && !res.headersSent) res.status(404).type('text/plain').send('not found\n');
      });
      return;
    }
    // every other path is one of the app's routes: the app itself decides what to show
    res.sendFile('index.html', { root: this.root, headers: { ...SECURITY_HEADERS, 'cache-control': 'no-store' } });
  }
}
