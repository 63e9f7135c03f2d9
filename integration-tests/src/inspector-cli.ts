/**
 * The MCP inspector's CLI (`@modelcontextprotocol/inspector-cli` 1.0.3, `mcp-inspector-cli --cli`)
 * as an agent, with two workarounds built in. It imports `../package.json` when that exists
 * relative to the *cwd* (else `../../package.json` relative to itself, missing in a standalone
 * install: "Cannot find module …/@modelcontextprotocol/package.json"), so it runs from
 * `integration-tests/src`, whose parent has a package.json; and it gets a HOME of its own. Its bin
 * re-runs itself as `node` from PATH, so this Node's directory comes first on PATH.
 *
 * It picks its transport from the URL: a path ending in /mcp is Streamable HTTP, anything else
 * (e.g. /t/acme/mcp/<vs>) legacy SSE, so pass `--transport http` for a named virtual server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliEntry = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');
const cwd = dirname(fileURLToPath(import.meta.url));
const running = new Set<ChildProcess>();

export interface InspectorRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (the CLI prints the method's result), undefined when it is not JSON. */
  readonly json: unknown;
}

/** Runs `mcp-inspector-cli --cli <args…>` to its end (its process group is killed after `timeoutMs`). */
export const runInspectorCli = (args: readonly string[], timeoutMs = 30_000): Promise<InspectorRun> => {
  const home = mkdtempSync(join(tmpdir(), 'mcpgate-inspector-home-'));
  const child = spawn(process.execPath, [cliEntry, '--cli', ...args], {
    cwd,
    env: { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: home },
    // its own process group, so that the node it starts goes with it
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      rmSync(home, { recursive: true, force: true });
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
};

const killGroup = (child: ChildProcess) => {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

/** Kills every inspector run still going (for afterAll). */
export const stopInspectorClis = (): void => {
  for (const child of running) killGroup(child);
};
