import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export interface ConformanceSuiteOptions {
  /** The MCP endpoint under test (Streamable HTTP), e.g. `http://127.0.0.1:41234/mcp`. */
  url: string;
  /** Which scenarios to run (the CLI's default is `active`); ignored when `scenario` is given. */
  suite?: 'active' | 'all' | 'pending';
  /** Run just this scenario, e.g. `tools-call-sampling`. */
  scenario?: string;
  /** The whole run's budget; the CLI's process group is killed when it runs out. */
  timeoutMs: number;
}

export interface ConformanceScenarioResult {
  name: string;
  passed: number;
  failed: number;
}

export interface ConformanceSuiteResult {
  /** Checks passed and failed over all scenarios (a scenario has one or more checks). */
  passed: number;
  failed: number;
  scenarios: ConformanceScenarioResult[];
  /** stdout and stderr of the CLI, ANSI colours removed. Not printed: CI counts tests from the log. */
  output: string;
  exitCode: number | null;
}

const CONFORMANCE_PACKAGE = '@modelcontextprotocol/conformance';
const MIN_NODE_MAJOR = 22; // the CLI imports fs.globSync

/**
 * Runs the official MCP conformance suite (`conformance server --url …`, the suite acting as the
 * client) against `url` and parses its summary. The CLI comes from the installed
 * `@modelcontextprotocol/conformance` package and runs on this process's Node binary.
 *
 * Resolves whether checks failed or not (look at `failed`); rejects when the run timed out or
 * printed no summary. Prints nothing: the caller prints its own one-line result.
 */
export async function runConformanceSuite(options: ConformanceSuiteOptions): Promise<ConformanceSuiteResult> {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < MIN_NODE_MAJOR) {
    throw new Error(`the MCP conformance CLI needs Node >= ${MIN_NODE_MAJOR}, this process runs Node ${process.versions.node}`);
  }
  const bin = conformanceBin();
  const args = [bin, 'server', '--url', options.url];
  if (options.scenario !== undefined) args.push('--scenario', options.scenario);
  else args.push('--suite', options.suite ?? 'active');

  const { output, exitCode, timedOut } = await new Promise<{ output: string; exitCode: number | null; timedOut: boolean }>(
    (resolvePromise, reject) => {
      // its own process group, so a timeout can kill whatever the CLI started as well
      const child = spawn(process.execPath, args, {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL'); // the group is already gone; make sure the child is too
          }
        }
      }, options.timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start the MCP conformance CLI (${bin})`, { cause: error }));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ output: stripVTControlCharacters(Buffer.concat(chunks).toString('utf8')), exitCode: code, timedOut });
      });
    },
  );

  const what = `conformance ${options.scenario === undefined ? `suite '${options.suite ?? 'active'}'` : `scenario '${options.scenario}'`} against ${options.url}`;
  if (timedOut) {
    throw new Error(`${what} timed out after ${options.timeoutMs} ms; output so far:\n${outputTail(output)}`);
  }
  const parsed = options.scenario === undefined ? parseSummary(output) : parseSingleScenario(output, options.scenario);
  if (!parsed) {
    throw new Error(`${what} printed no summary (exit code ${String(exitCode)}); output:\n${outputTail(output)}`);
  }
  return { ...parsed, output, exitCode };
}

/** The CLI entry point (`bin.conformance`) of the installed package. */
function conformanceBin(): string {
  let packageJsonPath: string;
  try {
    packageJsonPath = createRequire(import.meta.url).resolve(`${CONFORMANCE_PACKAGE}/package.json`);
  } catch (error) {
    throw new Error(`${CONFORMANCE_PACKAGE} is not installed (it is a devDependency of integration-tests)`, { cause: error });
  }
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['conformance'];
  if (bin === undefined) throw new Error(`${CONFORMANCE_PACKAGE} declares no 'conformance' bin in ${packageJsonPath}`);
  return resolve(dirname(packageJsonPath), bin);
}

type ParsedCounts = Pick<ConformanceSuiteResult, 'passed' | 'failed' | 'scenarios'>;

const SCENARIO_LINE = /^[✓✗]\s+(\S+):\s+(\d+) passed, (\d+) failed$/;
const TOTAL_LINE = /^Total:\s+(\d+) passed, (\d+) failed$/;
const SINGLE_SCENARIO_LINE = /^Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings$/;

/**
 * The block a suite run ends with:
 * ```
 * === SUMMARY ===
 * ✓ server-initialize: 1 passed, 0 failed
 * ✗ tools-call-sampling: 0 passed, 1 failed
 *
 * Total: 1 passed, 1 failed
 * ```
 */
function parseSummary(output: string): ParsedCounts | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const start = lines.lastIndexOf('=== SUMMARY ===');
  if (start < 0) return undefined;
  const scenarios: ConformanceScenarioResult[] = [];
  for (const line of lines.slice(start + 1)) {
    const scenario = SCENARIO_LINE.exec(line);
    if (scenario) {
      scenarios.push({ name: scenario[1] ?? '', passed: Number(scenario[2]), failed: Number(scenario[3]) });
      continue;
    }
    const total = TOTAL_LINE.exec(line);
    if (total) {
      const passed = Number(total[1]);
      const failed = Number(total[2]);
      const sum = (key: 'passed' | 'failed'): number => scenarios.reduce((acc, s) => acc + s[key], 0);
      if (sum('passed') !== passed || sum('failed') !== failed) {
        throw new Error(`conformance summary does not add up: scenarios ${sum('passed')}/${sum('failed')}, total ${passed}/${failed}`);
      }
      return { passed, failed, scenarios };
    }
  }
  return undefined;
}

/** A single-scenario run prints no SUMMARY block but `Passed: 1/1, 0 failed, 0 warnings`. */
function parseSingleScenario(output: string, name: string): ParsedCounts | undefined {
  for (const line of output.split(/\r?\n/).map((l) => l.trim()).reverse()) {
    const match = SINGLE_SCENARIO_LINE.exec(line);
    if (match) {
      const passed = Number(match[1]);
      const failed = Number(match[3]);
      return { passed, failed, scenarios: [{ name, passed, failed }] };
    }
  }
  return undefined;
}

/**
 * The last lines of the output for an error message, without lines shaped like a test count
 * (`Word: N passed, M failed`), which CI would read as this run's result.
 */
function outputTail(output: string, lines = 60): string {
  return output
    .split(/\r?\n/)
    .filter((line) => !/^\s*\S+:\s+\d+ passed, \d+ failed/.test(line))
    .slice(-lines)
    .join('\n');
}
