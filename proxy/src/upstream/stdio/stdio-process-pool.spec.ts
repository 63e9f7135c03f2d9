import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioProcessPool, StdioUpstreamError, type StdioChild, type StdioExitInfo, type StdioLaunch } from './stdio-process-pool.js';

const node = process.execPath;
const everything: StdioLaunch = {
  command: node,
  args: [createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
  env: {},
};
/** Starts in a fraction of server-everything's time: answers initialize and ping, nothing else. */
const TINY_SERVER = `
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  const result = m.method === 'initialize' ? { protocolVersion: m.params.protocolVersion, capabilities: {}, serverInfo: { name: 'tiny', version: '1' } } : {};
  if (m.id !== undefined) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
});`;
const tiny: StdioLaunch = { command: node, args: ['-e', TINY_SERVER], env: {} };
/** A responder cheap enough for hundreds of cycles (a node child costs ~100 ms of CPU to start): answers initialize. */
const SH_SERVER = `while IFS= read -r line; do printf '%s\\n' '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"sh","version":"1"}}}'; done`;
const shServer: StdioLaunch = { command: 'sh', args: ['-c', SH_SERVER], env: {} };
const shServerWithGrandchild: StdioLaunch = { command: 'sh', args: ['-c', `sleep 1000 & ${SH_SERVER}`], env: {} };
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const script = (source: string, env: Record<string, string> = {}): StdioLaunch => ({ command: node, args: ['-e', source], env });

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'spec', version: '1' } } } as const;

/** Sends a request and resolves with the response carrying its id. */
function call(child: StdioChild, request: JSONRPCMessage & { id: number }): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const off = child.onMessage((message) => {
      if ('id' in message && message.id === request.id && !('method' in message)) {
        off();
        resolve(message as unknown as Record<string, unknown>);
      }
    });
    child.send(request).catch((error: unknown) => {
      off();
      reject(error);
    });
  });
}

const exitOf = (child: StdioChild) => new Promise<StdioExitInfo>((resolve) => child.onExit(resolve));

/** Our direct children, read from /proc (running `ps` would list itself). */
function childrenOfThisProcess(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, , ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === process.pid ? [Number(pid)] : [];
      } catch {
        return []; // exited meanwhile
      }
    });
}

/** Processes still running (not zombies) in any of these process groups. */
function runningInGroups(pgids: ReadonlySet<number>): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return pgids.has(Number(pgrp)) && state !== 'Z' ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}

/** ESRCH, or a zombie waiting for an init that does not reap: either way nothing runs. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function errorOf(promise: Promise<unknown>): Promise<StdioUpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StdioUpstreamError);
  return error as StdioUpstreamError;
}

describe(StdioProcessPool.name, () => {
  const pools: StdioProcessPool[] = [];
  const regionKey = process.env['MCPGATE_REGION_KEY'];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.closeAll()));
    if (regionKey === undefined) delete process.env['MCPGATE_REGION_KEY'];
    else process.env['MCPGATE_REGION_KEY'] = regionKey;
  });
  const make = (options: Partial<ConstructorParameters<typeof StdioProcessPool>[0]> = {}) => {
    const logs: Record<string, unknown>[] = [];
    const sut = new StdioProcessPool({ maxProcesses: 8, idleTimeoutMs: 60_000, killGraceMs: 500, log: (line) => logs.push(line), ...options });
    pools.push(sut);
    return { sut, logs };
  };

  it('runs server-everything over stdio: initialize, initialized, tools/list with echo, and an echo call', async () => {
    const { sut } = make();
    const child = await sut.acquire('session-1/everything', everything);

    const init = await call(child, initialize);
    expect(init).toMatchObject({ result: { protocolVersion: '2025-06-18', serverInfo: { name: expect.any(String) } } });
    await child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const list = await call(child, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    expect((list['result'] as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toContain('echo');
    const echo = await call(child, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } });
    expect(JSON.stringify(echo['result'])).toContain('hi');

    await sut.release('session-1/everything');
    expect(child.alive).toBe(false);
    expect(gone(child.pid)).toBe(true);
    expect(sut.size()).toBe(0);
  });

  it('gives the child only PATH, HOME, the locale and its launch env: the proxy’s secrets stay out', async () => {
    process.env['MCPGATE_REGION_KEY'] = 'secret';
    const { sut } = make();
    const child = await sut.acquire('k', { ...everything, env: { GITHUB_TOKEN: 'ghp_upstream' } });
    await call(child, initialize);
    await child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const result = await call(child, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-env', arguments: {} } });

    const env = JSON.parse((result['result'] as { content: { text: string }[] }).content[0]!.text) as Record<string, string>;
    expect(env).not.toHaveProperty('MCPGATE_REGION_KEY');
    expect(JSON.stringify(env)).not.toContain('secret');
    expect(env['GITHUB_TOKEN']).toBe('ghp_upstream');
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(Object.keys(env).filter((name) => !['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'GITHUB_TOKEN'].includes(name))).toEqual([]);
  });

  it('shares one child per key, also between concurrent acquires', async () => {
    const { sut } = make();
    const [a, b] = await Promise.all([sut.acquire('k', tiny), sut.acquire('k', tiny)]);
    const c = await sut.acquire('k', tiny);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(sut.size()).toBe(1);
  });

  /** `sh` leading a node grandchild that announces its pid once running (optionally ignoring SIGTERM). */
  const withGrandchild = (then: string, ignoreSigterm: boolean): StdioLaunch => {
    const grandchild = `${ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} console.log(JSON.stringify({ jsonrpc: '2.0', method: 'ready', params: { pid: process.pid } })); setInterval(() => {}, 1000);`;
    return { command: 'sh', args: ['-c', `${shellQuote(node)} -e ${shellQuote(grandchild)} & ${then}`], env: {} };
  };
  const grandchildPid = (child: StdioChild) => new Promise<number>((resolve) => child.onMessage((message) => resolve((message as unknown as { params: { pid: number } }).params.pid)));

  it('cancels a start that a release overtook: the acquire fails with closed and nothing is left running', async () => {
    const { sut, logs } = make();
    const starting = sut.acquire('k', tiny);
    await sut.release('k');

    expect((await errorOf(starting)).code).toBe('closed');
    expect(sut.size()).toBe(0);
    expect(logs.filter((l) => l['message'] === 'stdio upstream started')).toEqual([]);
    const again = await sut.acquire('k', tiny);
    expect(again.alive).toBe(true);
  });

  it('kills the whole process group on release, including a grandchild that ignores SIGTERM', async () => {
    const { sut } = make({ killGraceMs: 300 });
    const child = await sut.acquire('k', withGrandchild('wait', true));
    const pid = await grandchildPid(child);
    expect(gone(pid)).toBe(false);

    const started = Date.now();
    await sut.release('k');
    expect(gone(pid)).toBe(true);
    expect(gone(child.pid)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // it took the SIGKILL
  });

  it('cleans up the rest of the group when the leader dies by itself', async () => {
    const { sut } = make({ killGraceMs: 300 });
    const child = await sut.acquire('k', withGrandchild('read line; exit 7', false));
    const pid = await grandchildPid(child);
    const exited = exitOf(child);
    await child.send({ jsonrpc: '2.0', method: 'notifications/bye' });

    expect(await exited).toEqual({ code: 7, signal: null, reason: 'crashed' });
    expect(gone(pid)).toBe(true);
    expect(sut.size()).toBe(0);
  });

  it('refuses a child beyond maxProcesses with code limit, and starts it once one is released', async () => {
    const { sut } = make({ maxProcesses: 2 });
    await sut.acquire('a', tiny);
    await sut.acquire('b', tiny);

    expect((await errorOf(sut.acquire('c', tiny))).code).toBe('limit');
    expect(sut.size()).toBe(2);
    await sut.release('a');
    await expect(sut.acquire('c', tiny)).resolves.toMatchObject({ key: 'c', alive: true });
  });

  it('reports a command that cannot start as code spawn, without crashing or counting it', async () => {
    const { sut, logs } = make();
    const missing = await errorOf(sut.acquire('a', { command: 'mcpgate-no-such-command', args: [], env: {} }));
    expect(missing.code).toBe('spawn');
    expect(missing.message).toContain('mcpgate-no-such-command');
    expect(missing.message).toContain('not found');

    const badCwd = await errorOf(sut.acquire('b', { ...tiny, cwd: '/nonexistent/mcpgate' }));
    expect(badCwd).toMatchObject({ code: 'spawn', message: expect.stringContaining('/nonexistent/mcpgate does not exist') });
    expect(sut.size()).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', message: 'stdio upstream could not start', key: 'a', errorCode: 'ENOENT' }));
  });

  it('forwards stderr line by line, redacting launch env values, truncating long lines and rate limiting', async () => {
    const { sut, logs } = make();
    const child = await sut.acquire(
      'k',
      script(
        `console.error('token is ' + process.env.API_TOKEN + ', short ' + process.env.SHORT);
         console.error('x'.repeat(1995) + process.env.API_TOKEN + 'y'.repeat(5000));
         for (let i = 0; i < 200; i++) console.error('line ' + i);`,
        { API_TOKEN: 'tok-1234567890', SHORT: 'abc' },
      ),
    );
    await exitOf(child);
    const stderr = logs.filter((line) => line['stream'] === 'stderr').map((line) => line['line'] as string);

    expect(stderr[0]).toBe('token is [redacted], short abc');
    expect(stderr[1]).toHaveLength(2_000);
    expect(stderr[1]).toBe('x'.repeat(1995) + '[reda');
    expect(JSON.stringify(logs)).not.toContain('tok-1234567890');
    expect(stderr.length).toBe(50);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', suppressed: 152 }));
  });

  it('logs and skips stdout lines that are not JSON-RPC, and delivers messages written just before exit', async () => {
    const { sut, logs } = make();
    const child = await sut.acquire('k', script(`console.log('starting up'); console.log('{"not":"jsonrpc"}'); console.log(JSON.stringify({ jsonrpc: '2.0', method: 'ready' })); process.exit(0)`));
    const events: string[] = [];
    child.onMessage((message) => events.push('method' in message ? message.method : 'other'));
    child.onExit((info) => events.push(`exit:${info.reason}`));
    await exitOf(child);

    expect(events).toEqual(['ready', 'exit:crashed']);
    expect(logs.filter((line) => line['stream'] === 'stdout').map((line) => line['line'])).toEqual(['starting up', '{"not":"jsonrpc"}']);
  });

  it('kills a child whose stdout line exceeds 16 MiB, with code exited', async () => {
    const { sut, logs } = make();
    const child = await sut.acquire('k', script(`process.stdout.write('x'.repeat(17 * 1024 * 1024)); setInterval(() => {}, 1000)`));

    expect(await exitOf(child)).toMatchObject({ reason: 'line-too-long', signal: 'SIGTERM' });
    expect((await errorOf(child.send({ jsonrpc: '2.0', method: 'ping', id: 1 }))).code).toBe('exited');
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('stdout line over') }));
  });

  it('backs off restarts of a crashing child: initial, doubling, capped at the maximum', async () => {
    const { sut } = make({ restartBackoff: { initialMs: 200, maxMs: 400 } });
    const crashing = script('setTimeout(() => process.exit(3), 20)');
    const gaps: number[] = [];
    let child = await sut.acquire('k', crashing);
    for (let i = 0; i < 3; i++) {
      expect(await exitOf(child)).toMatchObject({ code: 3, reason: 'crashed' });
      const exitedAt = Date.now();
      child = await sut.acquire('k', crashing);
      gaps.push(Date.now() - exitedAt);
    }
    expect(gaps[0]).toBeGreaterThanOrEqual(180);
    expect(gaps[1]).toBeGreaterThanOrEqual(380);
    expect(gaps[2]).toBeGreaterThanOrEqual(380);
    expect(gaps[2]).toBeLessThan(1_500);

    const other = Date.now();
    await sut.acquire('other', tiny);
    expect(Date.now() - other).toBeLessThan(1_000); // backoff is per key
  });

  it('releases a child left idle, and keeps one that is touched', async () => {
    const { sut } = make({ idleTimeoutMs: 300 });
    const idle = await sut.acquire('idle', tiny);
    const busy = await sut.acquire('busy', tiny);
    const started = Date.now();
    const ticker = setInterval(() => sut.touch('busy'), 50);
    try {
      expect(await exitOf(idle)).toMatchObject({ reason: 'idle' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      await sleep(200);
      expect(busy.alive).toBe(true);
      expect(sut.size()).toBe(1);
    } finally {
      clearInterval(ticker);
    }
    expect(await exitOf(busy)).toMatchObject({ reason: 'idle' });
    expect(sut.size()).toBe(0);
  });

  it('closeAll stops every child and its group, then refuses new ones', async () => {
    const { sut } = make();
    const children = await Promise.all([sut.acquire('a', tiny), sut.acquire('b', script('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)')), sut.acquire('c', everything)]);
    const closing = sut.acquire('d', { command: 'mcpgate-no-such-command', args: [], env: {} }).catch(() => undefined);

    await sut.closeAll();
    await closing;
    expect(children.map((child) => gone(child.pid))).toEqual([true, true, true]);
    expect(childrenOfThisProcess()).toEqual([]);
    expect((await errorOf(sut.acquire('e', tiny))).code).toBe('closed');
    expect((await errorOf(children[0]!.send({ jsonrpc: '2.0', method: 'ping', id: 1 }))).code).toBe('closed');
  });

  it('kills its children’s groups when the proxy process dies without closeAll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpgate-stdio-'));
    let pgid = 0;
    try {
      const main = join(dir, 'crashing-proxy.mts');
      writeFileSync(
        main,
        `import { StdioProcessPool } from ${JSON.stringify(fileURLToPath(new URL('./stdio-process-pool.ts', import.meta.url)))};
         const sut = new StdioProcessPool({ maxProcesses: 2, idleTimeoutMs: 0, log: () => {} });
         const child = await sut.acquire('k', { command: 'sh', args: ['-c', 'sleep 1000 & wait'], env: {} });
         console.log(child.pid);
         throw new Error('proxy bug');`,
      );
      const proxy = spawnSync(node, ['--import', 'tsx', main], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8', timeout: 20_000 });

      expect(proxy.stderr).toContain('proxy bug');
      pgid = Number(proxy.stdout.trim());
      expect(pgid).toBeGreaterThan(0);
      await expect.poll(() => runningInGroups(new Set([pgid])), { timeout: 2_000 }).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (pgid > 0 && runningInGroups(new Set([pgid])).length > 0) process.kill(-pgid, 'SIGKILL'); // only when the test failed
    }
  });

  it('leaks nothing over 300 acquire / initialize / release cycles: no process, listener, timer or handle left', async () => {
    const { sut } = make({ maxProcesses: 4 });
    const count = () => process.getActiveResourcesInfo().reduce<Record<string, number>>((counts, type) => ({ ...counts, [type]: (counts[type] ?? 0) + 1 }), {});
    const before = count();
    const exitHooks = process.listenerCount('exit');
    const pids: number[] = [];
    let cycles = 0;
    const lane = async (name: string) => {
      while (cycles < 300) {
        cycles += 1;
        const key = `${name}/${cycles}`;
        // every tenth child also starts a grandchild, so group kills are part of the cycle
        const child = await sut.acquire(key, cycles % 10 === 0 ? shServerWithGrandchild : shServer);
        pids.push(child.pid);
        const listeners = [child.onExit(() => undefined), child.onMessage(() => undefined)];
        expect(await call(child, initialize)).toMatchObject({ id: 1, result: { serverInfo: { name: 'sh' } } });
        await sut.release(key);
        expect(child.alive).toBe(false);
        listeners.forEach((off) => off());
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(lane));

    expect(pids).toHaveLength(300);
    expect(sut.size()).toBe(0);
    expect(childrenOfThisProcess()).toEqual([]);
    expect(runningInGroups(new Set(pids))).toEqual([]);
    expect(process.listenerCount('exit')).toBe(exitHooks);
    await sleep(50); // handles destroyed by the last release finish closing (CloseReq)
    const after = count();
    for (const [type, n] of Object.entries(after)) expect({ type, n }).toEqual({ type, n: Math.min(n, before[type] ?? 0) });
  });
});
