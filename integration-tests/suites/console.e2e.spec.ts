/**
 * The admin console in a real browser (Debian's Chromium through playwright-core) against a real
 * embedded control plane serving the console's production build: development login, create a
 * tenant, register an upstream server, build a virtual server, issue a key and see its secret once,
 * write a policy; axe-core on every page (no serious or critical violation) and a screenshot of
 * every page under test-results/console/. Needs /usr/bin/chromium (scripts/infra/up.sh installs it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const screenshots = join(root, 'test-results', 'console');
const CHROMIUM = '/usr/bin/chromium';
// ENVIRONMENT.md: the flags Debian's Chromium needs on these machines (playwright-core launches it
// with a fresh temporary profile, the --user-data-dir, each time)
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The console as users get it: the production build, rebuilt so the test sees the current source. */
const buildConsole = async () => {
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: join(root, 'admin-web'), timeout: 180_000 });
};

describe.skipIf(!existsSync(CHROMIUM))('admin console in a browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-console-'));
  let controlPlane: RunningControlPlane;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  /** axe-core on the page as it is now; returns the serious and critical violations. */
  const axe = async () => {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(', ')})`);
  };
  /** Every page gets an accessibility check and a screenshot, in the light and the dark theme. */
  const checkPage = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.mouse.move(0, 0); // no hover tooltips left over from the last click
    await expect.poll(() => page.getByRole('status').filter({ hasText: /Loading/ }).count()).toBe(0);
    expect(await axe(), `accessibility of ${name} (light)`).toEqual([]);
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  };
  /** Waits until exactly one element matches and is visible (Playwright's strict mode). */
  const visible = (locator: ReturnType<Page['locator']>) => locator.waitFor({ state: 'visible' });
  const gotoSection = async (label: string) => {
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: label, exact: true }).click();
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await buildConsole();
    controlPlane = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 60_000 });
    context = await browser.newContext({ baseURL: controlPlane.url, viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await controlPlane?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the build with SPA fallback, hashed assets cached and index.html never cached', async () => {
    const home = await fetch(`${controlPlane.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/console/');
    const deepLink = await fetch(`${controlPlane.url}/console/t/some-tenant/keys?status=active`);
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('cache-control')).toBe('no-store');
    const html = await deepLink.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${controlPlane.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${controlPlane.url}/console/assets/missing.js`)).status).toBe(404);
    // no way out of the build directory
    expect((await fetch(`${controlPlane.url}/console/assets/..%2f..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${controlPlane.url}/console/..%2f..%2fpackage.json`)).headers.get('content-type')).toContain('text/html');
  });

  it('walks the admin story: login, tenant, upstream server, virtual server, key, policy', async () => {
    onTestFailed(async () => {
      await page.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true });
    });
    // not signed in: the console sends the browser to its login page
    await page.goto('/console/');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/login');
    await checkPage('01-login');
    await page.getByLabel('User name').fill('ada');
    await page.getByRole('button', { name: 'Use the development login' }).click();

    // tenants: none yet
    await visible(page.getByRole('heading', { name: 'No tenants yet' }));
    await checkPage('02-tenants-empty');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tenant' });
    await dialog.getByLabel('Slug').fill('Not A Slug');
    await dialog.getByLabel('Display name').fill('Acme');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    // the API's validation error appears next to the field it concerns
    await visible(dialog.locator('.mantine-InputWrapper-error').first());
    await dialog.getByLabel('Slug').fill('acme');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await visible(page.getByRole('heading', { name: 'Acme', level: 1 }));
    await visible(page.getByText('Changes per day (last 14 days)'));
    await checkPage('03-tenant-overview');

    // upstream servers: register one, with a local check of a bad URL first
    await gotoSection('Upstream servers');
    await visible(page.getByRole('heading', { name: 'No upstream servers' }));
    await checkPage('04-servers-empty');
    await page.getByRole('link', { name: 'Register server' }).first().click();
    await page.getByLabel('Name').fill('github');
    await page.getByLabel('URL').fill('not a url');
    await page.getByRole('button', { name: 'Register server' }).click();
    await visible(page.getByText(/Invalid URL/i));
    await page.getByLabel('URL').fill('https://mcp.example.com/mcp');
    await checkPage('05-server-register');
    await page.getByRole('button', { name: 'Register server' }).click();
    await visible(page.getByRole('cell', { name: /primary: https:\/\/mcp\.example\.com\/mcp/ }));
    await visible(page.getByRole('cell', { name: 'streamable-http', exact: true }));
    await checkPage('06-servers');
    // the transport filter lives in the URL
    await page.getByRole('combobox', { name: 'Transport', exact: true }).click();
    await page.getByRole('option', { name: 'stdio' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('transport')).toBe('stdio');
    await visible(page.getByRole('heading', { name: 'No server matches' }));
    await page.goBack();

    // virtual servers: pick the server's tools
    await gotoSection('Virtual servers');
    await visible(page.getByRole('heading', { name: 'No virtual servers' }));
    await page.getByRole('link', { name: 'New virtual server' }).click();
    await page.getByLabel('Name').fill('engineering');
    await page.getByLabel('github (streamable-http)').check();
    await page.getByRole('combobox', { name: 'Tools of github' }).fill('create_*');
    await page.getByRole('combobox', { name: 'Tools of github' }).press('Enter');
    await checkPage('07-virtual-server-new');
    await page.getByRole('button', { name: 'Create virtual server' }).click();
    await visible(page.getByRole('link', { name: 'engineering', exact: true }));
    await visible(page.getByText('github: *, create_*'));
    await checkPage('08-virtual-servers');

    // virtual keys: the secret is shown once, with client configuration
    await gotoSection('Virtual keys');
    await visible(page.getByRole('heading', { name: 'No virtual keys' }));
    await page.getByRole('button', { name: 'Issue key' }).first().click();
    const issue = page.getByRole('dialog', { name: 'Issue a virtual key' });
    await issue.getByLabel('Name').fill('ci-agent');
    await issue.getByRole('button', { name: 'Issue key' }).click();
    const secret = (await page.getByTestId('issued-secret').textContent())!.trim();
    expect(secret).toMatch(/^mcpg_[A-Za-z0-9]{8}/);
    await visible(page.getByText(`claude mcp add --transport http mcpgate-engineering http://127.0.0.1:8080/t/acme/mcp/engineering --header "Authorization: Bearer ${secret}"`));
    await visible(page.getByRole('button', { name: 'Copy the secret' }));
    await checkPage('09-key-issued');
    await page.getByRole('button', { name: 'I have copied the secret' }).click();
    await visible(page.getByRole('cell', { name: 'ci-agent', exact: true }));
    await visible(page.getByRole('cell', { name: `${secret.slice(0, 13)}…` }));
    // shown once: nowhere on the page any more, and the API never returns it
    expect(await page.content()).not.toContain(secret);
    await checkPage('10-keys');

    // policies: write one, then look at its history, the simulation and the effective policy
    await gotoSection('Policies');
    await visible(page.getByRole('heading', { name: 'No policies' }));
    await checkPage('11-policies-empty');
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByLabel('Name').fill('baseline');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await visible(page.getByRole('heading', { name: 'Policy baseline' }));
    await checkPage('12-policy-editor');
    const editor = page.getByLabel('Policy document');
    await editor.fill('{ "toolRules": [{ "id": "Bad Id", "effect": "deny", "subjects": {}, "tools": ["echo"] }] }');
    await expect.poll(() => page.getByRole('list', { name: 'Problems in the document' }).textContent()).toContain('toolRules.0.id');
    await editor.fill(JSON.stringify({ toolRules: [{ id: 'no-echo', effect: 'deny', subjects: {}, tools: ['echo'] }] }));
    await page.getByRole('button', { name: 'Simulate first' }).click();
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Simulation results' }).textContent()).toContain('outcome changes');
    await checkPage('13-policy-simulation');
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.getByLabel('Change note').fill('deny echo');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await visible(page.getByText('Version 2'));
    await page.getByRole('tab', { name: 'History and diff' }).click();
    await visible(page.getByRole('cell', { name: 'deny echo', exact: true }));
    await page.getByRole('combobox', { name: 'Compare from', exact: true }).click();
    await page.getByRole('option', { name: /^v1 / }).click();
    await page.getByRole('combobox', { name: 'to', exact: true }).click();
    await page.getByRole('option', { name: /^v2 / }).click();
    await visible(page.getByText(/\+ toolRules no-echo/));
    await checkPage('14-policy-history');
    await gotoSection('Policies');
    await page.getByRole('link', { name: 'Effective policy' }).click();
    await visible(page.getByRole('cell', { name: 'no-echo', exact: true }));
    await checkPage('15-effective-policy');

    // members and identity providers
    await gotoSection('Members and roles');
    await visible(page.getByRole('heading', { name: 'Nobody has a role here yet' }));
    await page.getByLabel('Identity provider id').fill('okta');
    await page.getByRole('textbox', { name: /^Group/ }).fill('platform-team');
    await page.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'tenant-admin' }).click();
    await page.getByRole('button', { name: 'Grant role' }).click();
    await visible(page.getByRole('cell', { name: 'group platform-team (IdP okta)', exact: true }));
    await checkPage('16-members');
    await gotoSection('Identity providers');
    await visible(page.getByRole('heading', { name: 'No identity providers' }));
    await checkPage('17-identity-providers');

    // the same pages in the dark theme keep AA contrast
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await gotoSection('Virtual keys');
    await visible(page.getByRole('cell', { name: 'ci-agent', exact: true }));
    await checkPage('18-keys-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    // an expired session sends the user to the login page and back to where they were
    await context.clearCookies();
    await gotoSection('Upstream servers');
    await visible(page.getByText('Your session ended'));
    expect(new URL(page.url()).searchParams.get('returnTo')).toMatch(/^\/t\/[^/]+\/servers$/);
    await page.getByRole('button', { name: 'Use the development login' }).click();
    await visible(page.getByRole('heading', { name: 'Upstream servers' }));

    expect(consoleErrors).toEqual([]);
  });

  it('hides what a user may not do, and the API refuses it anyway', async () => {
    const other = await browser.newContext({ baseURL: controlPlane.url });
    try {
      const p = await other.newPage();
      await p.goto('/console/login');
      // an ordinary user: rights only through role bindings, and they have none
      const login = await p.evaluate(async () => (await fetch('/auth/dev-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'bob', platformAdmin: false }) })).status);
      expect(login).toBe(200);
      await p.goto('/console/tenants');
      await visible(p.getByText('You have no role in any tenant yet'));
      expect(await p.getByRole('button', { name: 'New tenant' }).count()).toBe(0);
      const code = await p.evaluate(async () => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { createTenant(input: { slug: "sneaky", displayName: "Sneaky", regions: ["eu-west-1"] }) { id } }' }),
        });
        return ((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
      });
      expect(code).toBe('FORBIDDEN');
    } finally {
      await other.close();
    }
  });
});
