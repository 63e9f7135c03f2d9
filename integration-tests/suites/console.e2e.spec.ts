/**
 * The admin console in a real browser (Debian's Chromium through playwright-core) against a real
 * embedded control plane serving the console's production build, with a real proxy in the same
 * process wired as `npm start` wires it (deploy/src/main.ts: in-memory snapshot channel, proxy
 * reports, audit events straight into the audit sink) and server-everything over stdio as the
 * upstream. The whole admin story: development login and OIDC login (oidc-provider), create a
 * tenant, register a server, build a virtual server, issue a key, use it from the MCP SDK client
 * through the proxy, watch the call in the audit explorer's live tail, open its detail, simulate
 * then apply a policy that denies the tool, see the next call denied with its reason, revoke the
 * key and see the next call refused, verify the audit chain, see the rollout enforced and the admin
 * activity with before/after. axe-core on every page (no serious or critical violation) and a
 * screenshot of every page under test-results/console/. Needs /usr/bin/chromium
 * (scripts/infra/up.sh installs it).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { controlPlaneConfigFromEnv, ProxyConfig, type AuditEvent } from '@mcpgate/contracts';
import { InMemorySnapshotPublisher, startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { startProxy, type RunningProxy } from '@mcpgate/proxy';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
// the control plane's own test IdP (oidc-provider), shared rather than copied; it is not part of the
// control plane's public surface, hence the boundary exception (as oauth-end-to-end does with the proxy's)
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TestIdp } from '../../control-plane/src/api/test/test-idp.js';
import { connectAgent } from '../src/proxy-harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const screenshots = join(root, 'test-results', 'console');
const CHROMIUM = '/usr/bin/chromium';
// ENVIRONMENT.md: the flags Debian's Chromium needs on these machines (playwright-core launches it
// with a fresh temporary profile, the --user-data-dir, each time)
const REGION = 'eu-west-1';
const EVERYTHING = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The console as users get it: the production build, rebuilt so the test sees the current source.
 * Into a directory of this run (served through MCPGATE_CONSOLE_DIR), so a build elsewhere in the
 * workspace cannot swap the assets under the browser.
 */
const buildConsole = async (outDir: string) => {
  await promisify(execFile)(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: join(root, 'admin-web'), timeout: 180_000 });
};

/** The names in a zip archive's central directory (PKWARE APPNOTE 4.3.12/4.3.16); throws when it is not a zip. */
const zipEntryNames = (zip: Buffer): string[] => {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const names: string[] = [];
  for (let offset = zip.readUInt32LE(eocd + 16), i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
};

describe.skipIf(!existsSync(CHROMIUM))('admin console in a browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-console-'));
  let controlPlane: RunningControlPlane;
  let proxy: RunningProxy;
  let idp: TestIdp;
  const agents: Client[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  /** axe-core on the page as it is now; returns the serious and critical violations. */
  const axe = async () => {
    const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
    // while a modal dialog is open the page behind it is inert and dimmed by the overlay: check the dialog
    // (the dialog lives in a portal beside the app shell, so leaving the shell out leaves the dialog)
    if (await page.locator('[role="dialog"][aria-modal="true"]').isVisible()) builder.exclude('header').exclude('nav').exclude('main');
    const result = await builder.analyze();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(', ')})`);
  };
  /** Every page gets an accessibility check and a screenshot, in the light and the dark theme. */
  const checkPage = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.mouse.move(0, 0); // no hover tooltips left over from the last click
    await expect.poll(() => page.getByRole('status').filter({ hasText: /Loading/ }).count()).toBe(0);
    // no transition in flight: a dialog fading out is half transparent, and axe would judge its blended colours
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity));
    expect(await axe(), `accessibility of ${name} (light)`).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0)); // the fixed header stays where it belongs in a full-page shot
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  };
  /** Waits until exactly one element matches and is visible (Playwright's strict mode). */
  const visible = (locator: ReturnType<Page['locator']>) => locator.waitFor({ state: 'visible' });
  const gotoSection = async (label: string) => {
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: label, exact: true }).click();
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    const consoleDir = join(dataDir, 'console');
    await buildConsole(consoleDir);
    process.env['MCPGATE_CONSOLE_DIR'] = consoleDir;
    // the IdP needs the control plane's callback URL before the control plane knows its IdP: pick the port first
    const port = 20000 + Math.floor(Math.random() * 20000);
    const base = `http://127.0.0.1:${port}`;
    idp = await TestIdp.start('mcpgate-okta', 'okta-secret', () => `${base}/auth/oidc/okta/callback`, () => `${base}/`);
    const providers = [{ id: 'okta', preset: 'okta', issuer: idp.issuer, clientId: 'mcpgate-okta', clientSecret: 'okta-secret', scopes: ['openid', 'profile', 'email', 'groups'], platformAdminGroups: ['mcpgate-platform'] }];
    // as `npm start` composes them (deploy/src/main.ts): snapshots over an in-process channel, the proxy's
    // reports to the rollout tracker, its audit events straight into the audit sink
    const channel = new InMemorySnapshotPublisher();
    controlPlane = await startControlPlane(controlPlaneConfigFromEnv({ MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: String(port), MCPGATE_OIDC_PROVIDERS: JSON.stringify(providers) }), { snapshotPublisher: channel });
    const regionKey = controlPlane.developmentRegionKey(REGION);
    if (!regionKey) throw new Error('the control plane did not start in development mode');
    const sink = controlPlane.audit;
    proxy = await startProxy(
      ProxyConfig.parse({ region: REGION, proxyId: 'console-e2e-proxy', listen: { host: '127.0.0.1', port: 0 }, dataDir: join(dataDir, 'proxy'), trustedSigningKeys: Object.fromEntries(controlPlane.trustedSigningKeys), regionKey, reportIntervalSeconds: 2 }),
      {
        snapshotFeed: (deliver) => channel.subscribe(deliver),
        reports: async (report) => void controlPlane.rollout.accept(report),
        audit: {
          emit: async (event: AuditEvent) => {
            const result = await sink.ingest([event]);
            if (result.quarantined > 0) throw new Error(`the audit sink quarantined ${event.eventId}`);
          },
        },
      },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 60_000 });
    context = await browser.newContext({ baseURL: controlPlane.url, viewport: { width: 1280, height: 860 }, colorScheme: 'light', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await Promise.allSettled(agents.map((a) => a.close()));
    await browser?.close();
    await proxy?.close();
    await controlPlane?.close();
    await idp?.stop();
    delete process.env['MCPGATE_CONSOLE_DIR'];
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A real MCP client (the SDK's Streamable HTTP transport) with a virtual key, through the proxy. */
  const agentWith = async (secret: string) => {
    const agent = await connectAgent(`${proxy.url}/t/acme/mcp/engineering`, secret);
    agents.push(agent);
    return agent;
  };
  /** The reason the proxy gives when it refuses a call, or 'allowed'. */
  const callEcho = async (agent: Client, message: string): Promise<string> => {
    try {
      const result = (await agent.callTool({ name: 'echo', arguments: { message } })) as { content: { text?: string }[] };
      expect(result.content[0]?.text).toContain(message);
      return 'allowed';
    } catch (error) {
      const { data, code } = error as { data?: { reason?: string }; code?: unknown };
      // a JSON-RPC refusal carries the reason; a refused credential is an HTTP status
      return data?.reason ?? (typeof code === 'number' && code >= 400 && code < 600 ? `http ${code}` : String((error as Error).message));
    }
  };

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

  it('walks the admin story: login, tenant, servers, virtual server, key, agent calls, live audit, policy denial, revocation, compliance, rollout, activity', async () => {
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
    // the transport filter lives in the URL: a shared link opens the filtered view
    await page.goto(`${new URL(page.url()).pathname}?transport=stdio`);
    await visible(page.getByRole('heading', { name: 'No server matches' }));
    await page.goBack();
    // ... and choosing it in the select puts it there (and back to the first page) in one navigation
    await page.getByRole('combobox', { name: 'Transport' }).click();
    await page.getByRole('option', { name: 'stdio', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'No server matches' }));
    expect(new URL(page.url()).searchParams.get('transport')).toBe('stdio');
    await page.getByRole('combobox', { name: 'Transport' }).click();
    await page.getByRole('option', { name: 'All transports', exact: true }).click();
    await visible(page.getByRole('cell', { name: 'streamable-http', exact: true }));
    expect(new URL(page.url()).searchParams.has('transport')).toBe(false);

    // a second upstream that really runs: the MCP reference server over stdio, as the quickstart registers it
    await page.getByRole('link', { name: 'Register server' }).first().click();
    await page.getByLabel('Name').fill('everything');
    await page.getByText('stdio command').click();
    await page.getByRole('textbox', { name: 'Command', exact: true }).fill(process.execPath);
    for (const arg of [EVERYTHING, 'stdio']) {
      await page.getByRole('combobox', { name: 'Arguments', exact: true }).fill(arg);
      await page.getByRole('combobox', { name: 'Arguments', exact: true }).press('Enter');
    }
    await page.getByRole('button', { name: 'Register server' }).click();
    await visible(page.getByRole('cell', { name: 'stdio', exact: true }));

    // virtual servers: pick the reference server's tools
    await gotoSection('Virtual servers');
    await visible(page.getByRole('heading', { name: 'No virtual servers' }));
    await page.getByRole('link', { name: 'New virtual server' }).click();
    await page.getByLabel('Name').fill('engineering');
    await page.getByLabel('everything (stdio)').check();
    await visible(page.getByText(/No proxy has listed the tools of everything yet/));
    await checkPage('07-virtual-server-new');
    await page.getByRole('button', { name: 'Create virtual server' }).click();
    await visible(page.getByRole('link', { name: 'engineering', exact: true }));
    await visible(page.getByText('everything: *'));
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

    // the agent's first call, watched in the audit explorer's live tail (graphql-ws)
    await gotoSection('Audit explorer');
    await visible(page.getByRole('heading', { name: 'Audit explorer' }));
    // (click, not check: the switch follows the URL, which the router updates in a transition)
    await page.getByRole('switch', { name: 'Live tail' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBe('1');
    await visible(page.getByText('live', { exact: true }));
    const agent = await agentWith(secret);
    expect((await agent.listTools()).tools.map((t) => t.name)).toContain('echo');
    expect(await callEcho(agent, 'hello from the console e2e')).toBe('allowed');
    const allowedRow = page.getByRole('row').filter({ hasText: 'echo' }).filter({ hasText: 'allowed' }).first();
    await visible(allowedRow);
    // it came through the tail, not a reload: the tail marks what it brought
    expect(await allowedRow.getAttribute('data-fresh')).toBe('true');
    await checkPage('11-audit-live-tail');
    await allowedRow.getByRole('link').click();
    await visible(page.getByRole('heading', { name: 'Tool call echo' }));
    await visible(page.getByRole('cell', { name: 'policy.default_allow' }));
    await visible(page.getByRole('heading', { name: 'Hash chain' }));
    await checkPage('12-audit-detail');

    // the server's live state: endpoint health and the catalogue the proxy listed
    await gotoSection('Upstream servers');
    await page.getByRole('link', { name: 'everything', exact: true }).click();
    await visible(page.getByRole('table', { name: 'Tools' }).getByText('echo', { exact: true }));
    await visible(page.getByRole('table', { name: 'Endpoint health' }).getByText('console-e2e-proxy'));
    await checkPage('13-server-detail');

    // the virtual server's tool picker and the catalogue the key would see
    await gotoSection('Virtual servers');
    await page.getByRole('link', { name: 'engineering', exact: true }).click();
    await visible(page.getByRole('checkbox', { name: 'echo', exact: true }));
    expect(await page.getByRole('checkbox', { name: 'echo', exact: true }).isChecked()).toBe(true);
    await page.getByRole('combobox', { name: 'As seen by' }).click();
    await page.getByRole('option', { name: 'key ci-agent' }).click();
    await visible(page.getByRole('table', { name: 'Catalogue preview' }).getByRole('row').filter({ hasText: 'echo' }).filter({ hasText: 'callable' }).first());
    await checkPage('14-virtual-server-tools');

    // policies: write one that denies echo, simulate it, save it, and the next call is denied
    await gotoSection('Policies');
    await visible(page.getByRole('heading', { name: 'No policies' }));
    await checkPage('15-policies-empty');
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByLabel('Name').fill('baseline');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await visible(page.getByRole('heading', { name: 'Policy baseline' }));
    await checkPage('16-policy-editor');
    const editor = page.getByLabel('Policy document');
    await editor.fill('{ "toolRules": [{ "id": "Bad Id", "effect": "deny", "subjects": {}, "tools": ["echo"] }] }');
    await expect.poll(() => page.getByRole('list', { name: 'Problems in the document' }).textContent()).toContain('toolRules.0.id');
    await editor.fill(JSON.stringify({ toolRules: [{ id: 'no-echo', effect: 'deny', subjects: {}, tools: ['echo'] }] }));
    await page.getByRole('button', { name: 'Simulate first' }).click();
    // by default over the calls the audit trail recorded: the agent's echo calls would now be denied
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByLabel('Simulation totals').textContent()).toMatch(/[1-9]\d* would change \([1-9]\d* newly denied/);
    await expect.poll(() => page.getByRole('table', { name: 'Recorded calls that would change' }).textContent()).toContain('echo');
    await checkPage('17-policy-simulation');
    await page.getByRole('tab', { name: 'Editor' }).click();
    // the same rule, and a budget for the whole tenant: the calls made so far today count against it
    await editor.fill(JSON.stringify({ toolRules: [{ id: 'no-echo', effect: 'deny', subjects: {}, tools: ['echo'] }], budgets: [{ id: 'daily-calls', scope: 'tenant', period: 'day', maxCalls: 1000 }] }));
    await page.getByLabel('Change note').fill('deny echo');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await visible(page.getByText('Version 2'));
    await page.getByRole('tab', { name: 'History and diff' }).click();
    await visible(page.getByRole('cell', { name: 'deny echo', exact: true }));
    // one pick at a time, each seen in its box before the next (on a slow machine a click on an
    // option still opening can miss: then the pick is made again), and the first pick still there
    // once the second is made
    const pick = async (box: ReturnType<Page['locator']>, option: RegExp) => {
      for (let attempt = 1; ; attempt++) {
        await box.click();
        await page.getByRole('option', { name: option }).click();
        try {
          await expect.poll(() => box.inputValue(), { timeout: 3_000 }).toMatch(option);
          return;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Escape');
        }
      }
    };
    const compareFrom = page.getByRole('combobox', { name: 'Compare from', exact: true });
    const compareTo = page.getByRole('combobox', { name: 'to', exact: true });
    await pick(compareFrom, /^v1 /);
    await pick(compareTo, /^v2 /);
    await expect.poll(() => compareFrom.inputValue()).toMatch(/^v1 /);
    await visible(page.getByText(/\+ toolRules no-echo/));
    await checkPage('18-policy-history');
    await gotoSection('Policies');
    await page.getByRole('link', { name: 'Effective policy' }).click();
    await visible(page.getByRole('cell', { name: 'no-echo', exact: true }));
    await checkPage('19-effective-policy');
    // the budget and what the tenant used of it today, counted from the audit trail
    await gotoSection('Policies');
    await page.getByRole('link', { name: 'Budgets', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Policy baseline · daily-calls' }));
    await expect.poll(() => page.getByRole('progressbar').first().getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/^0\.\d% of the budget used$|^[1-9][\d.]*% of the budget used$/);
    await checkPage('19b-budgets');
    // the proxy enforces the new snapshot within moments
    await expect.poll(() => callEcho(agent, 'after the policy'), { timeout: 20_000, interval: 500 }).toBe('policy.tool_denied');

    // the denial in the explorer, filtered in the URL, with the rule that decided it
    await gotoSection('Audit explorer');
    await page.getByRole('combobox', { name: 'Outcome', exact: true }).click();
    await page.getByRole('option', { name: 'Denied' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('outcome')).toBe('denied');
    const deniedRow = page.getByRole('row').filter({ hasText: 'echo' }).filter({ hasText: 'policy.tool_denied' }).first();
    await visible(deniedRow);
    await checkPage('20-audit-denied');
    await deniedRow.getByRole('link').click();
    await visible(page.getByRole('cell', { name: 'no-echo', exact: true }));
    await checkPage('21-audit-denied-detail');
    await page.getByRole('link', { name: 'Back to the explorer' }).click();
    await page.getByRole('tab', { name: 'Charts' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('charts');
    await visible(page.getByRole('heading', { name: 'Latency percentiles' }));
    await visible(page.getByRole('img', { name: /policy\.tool_denied \(no-echo\): 1/ }));
    await checkPage('22-audit-charts');

    // the catalogue preview now names the rule that hides echo from the key
    await gotoSection('Virtual servers');
    await page.getByRole('link', { name: 'engineering', exact: true }).click();
    await page.getByRole('combobox', { name: 'As seen by' }).click();
    await page.getByRole('option', { name: 'key ci-agent' }).click();
    await visible(page.getByRole('table', { name: 'Catalogue preview' }).getByRole('row').filter({ hasText: 'policy.tool_denied (no-echo)' }).first());

    // revoke the key in the browser: the next call is refused
    await gotoSection('Virtual keys');
    await page.getByRole('button', { name: 'Revoke ci-agent' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke ci-agent?' });
    await revoke.getByLabel('Reason').fill('the e2e is done with it');
    await revoke.getByRole('button', { name: 'Revoke key' }).click();
    await visible(page.getByRole('cell', { name: 'revoked', exact: true }));
    await expect.poll(() => callEcho(agent, 'after revocation'), { timeout: 20_000, interval: 500 }).toBe('http 401');

    // compliance: the chain verifies
    await gotoSection('Compliance');
    await page.getByRole('button', { name: 'Verify the whole trail' }).click();
    await visible(page.getByText('The audit trail is intact', { exact: true }));
    await visible(page.getByText(/records checked/));
    // an evidence pack for the period: progress while it runs, then a download with its sha256
    await page.getByRole('button', { name: 'Generate evidence pack' }).click();
    const download = page.getByRole('link', { name: /^Download zip/ });
    await download.waitFor({ state: 'visible', timeout: 90_000 });
    await visible(page.getByText(/^sha256 [0-9a-f]{64}$/));
    await checkPage('23-compliance');
    const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const zip = await readFile((await saved.path())!);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zipEntryNames(zip)).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig']));
    const sha = (await page.getByText(/^sha256 [0-9a-f]{64}$/).textContent())!.slice('sha256 '.length);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(sha);

    // rollout: the proxy enforces the latest snapshot
    await gotoSection('Rollout');
    await visible(page.getByRole('cell', { name: 'console-e2e-proxy' }));
    await visible(page.getByText('Enforced everywhere'));
    await checkPage('24-rollout');

    // admin activity: who changed what, with before and after
    await gotoSection('Admin activity');
    await page.getByRole('button', { name: /^Show VirtualKeyRevoked/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('event')).toBeTruthy();
    const diff = page.getByRole('table', { name: 'Before and after VirtualKeyRevoked' });
    await visible(diff.getByRole('row').filter({ hasText: 'status' }).filter({ hasText: '"revoked"' }).first());
    await checkPage('25-activity');
    // a change made elsewhere while the page is open is announced live and shown on request
    await visible(page.getByText('live', { exact: true }));
    const tenantId = /\/t\/([^/]+)\//.exec(new URL(page.url()).pathname)![1]!;
    await controlPlane.commands.execute(tenantId, { type: 'RenameTenant', data: { tenantId, displayName: 'Console E2E (renamed)' } }, { actor: { kind: 'system', component: 'console-e2e' } });
    await page.getByRole('button', { name: /^1 new change/ }).click();
    await page.getByRole('button', { name: /^Show TenantRenamed/ }).click();
    await visible(page.getByRole('table', { name: 'Before and after TenantRenamed' }).getByRole('row').filter({ hasText: 'Console E2E (renamed)' }).first());

    // members and identity providers
    await gotoSection('Members and roles');
    await visible(page.getByRole('heading', { name: 'Nobody has a role here yet' }));
    await page.getByLabel('Identity provider id').fill('okta');
    await page.getByRole('textbox', { name: /^Group/ }).fill('platform-team');
    await page.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'tenant-admin' }).click();
    await page.getByRole('button', { name: 'Grant role' }).click();
    await visible(page.getByRole('cell', { name: 'group platform-team (IdP okta)', exact: true }));
    await checkPage('26-members');
    await gotoSection('Identity providers');
    await visible(page.getByRole('heading', { name: 'No identity providers' }));
    await checkPage('27-identity-providers');

    // the same pages in the dark theme keep AA contrast
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await gotoSection('Virtual keys');
    await visible(page.getByRole('cell', { name: 'ci-agent', exact: true }));
    await checkPage('28-keys-dark');
    await gotoSection('Audit explorer');
    await visible(page.getByRole('table', { name: 'Audit records' }));
    await checkPage('29-audit-dark');
    await gotoSection('Admin activity');
    await visible(page.getByRole('table', { name: 'Admin changes' }));
    await checkPage('30-activity-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();

    // an expired session sends the user to the login page and back to where they were
    await context.clearCookies();
    await gotoSection('Upstream servers');
    await visible(page.getByText('Your session ended'));
    expect(new URL(page.url()).searchParams.get('returnTo')).toMatch(/^\/t\/[^/]+\/servers$/);
    await page.getByRole('button', { name: 'Use the development login' }).click();
    await visible(page.getByRole('heading', { name: 'Upstream servers' }));

    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('signs in through the OIDC provider (authorization code + PKCE) in the browser', async () => {
    const other = await browser.newContext({ baseURL: controlPlane.url, viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
    try {
      const p = await other.newPage();
      idp.nextUser = { sub: 'grace', claims: { name: 'Grace Hopper', email: 'grace@example.com', groups: ['mcpgate-platform'] } };
      await p.goto('/console/t/none/audit');
      await expect.poll(() => new URL(p.url()).pathname).toBe('/console/login');
      await p.getByRole('link', { name: 'Sign in with okta' }).click();
      // the IdP signs grace in and sends the browser back: a platform admin through the group mapping
      await visible(p.getByRole('button', { name: /platform admin \(account menu\)/ }));
      await p.goto('/console/tenants');
      await visible(p.getByRole('cell', { name: 'acme', exact: true }).or(p.getByText('(acme)')).first());
      await p.screenshot({ path: join(screenshots, '31-oidc-signed-in-dark.png'), fullPage: true });
    } finally {
      await other.close();
    }
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
