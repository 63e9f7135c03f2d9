import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The MCP SDK's stdio framing and message schema, loaded with the first child: a proxy with no
 * stdio upstream never holds them (the SDK's schemas are about a megabyte of heap).
 */
interface StdioProtocol {
  readonly serialize: (message: JSONRPCMessage) => string;
  readonly parse: (value: unknown) => { success: true; data: JSONRPCMessage } | { success: false };
}
let stdioProtocol: Promise<StdioProtocol> | undefined;
const loadStdioProtocol = (): Promise<StdioProtocol> =>
  (stdioProtocol ??= Promise.all([import('@modelcontextprotocol/sdk/shared/stdio.js'), import('@modelcontextprotocol/sdk/types.js')]).then(([stdio, types]) => ({
    serialize: stdio.serializeMessage,
    parse: (value) => types.JSONRPCMessageSchema.safeParse(value),
  })));

/** How to start one stdio upstream; `env` is all the child gets besides PATH, HOME and the locale. */
export interface StdioLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/**
 * Why a child stopped: `released`, `idle` and `closed` are the pool's doing; `crashed` (the child
 * exited by itself) and `line-too-long` (it wrote a stdout line over 16 MiB) count toward the
 * restart backoff.
 */
export type StdioExitReason = 'released' | 'idle' | 'closed' | 'crashed' | 'line-too-long';

export interface StdioExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  readonly reason: StdioExitReason;
}

/** One supervised child speaking newline-delimited JSON-RPC on stdin/stdout. */
export interface StdioChild {
  readonly key: string;
  readonly pid: number;
  /** Writes one message; rejects with a StdioUpstreamError once the child is gone. */
  send(message: JSONRPCMessage): Promise<void>;
  /** Returns the unsubscribe function. Every message the child wrote reaches listeners before exit listeners run. */
  onMessage(listener: (message: JSONRPCMessage) => void): () => void;
  /** Runs once the whole process group is gone; a listener added later runs at once (asynchronously). */
  onExit(listener: (info: StdioExitInfo) => void): () => void;
  readonly alive: boolean;
}

export type StdioUpstreamErrorCode = 'limit' | 'spawn' | 'exited' | 'closed';

/**
 * The pool's domain error: `limit` (maxProcesses reached), `spawn` (the command could not start),
 * `exited` (the child died by itself or was killed for misbehaving), `closed` (released, idle or
 * the pool shut down). The proxy's JSON-RPC mapper turns these into wire errors.
 */
export class StdioUpstreamError extends Error {
  constructor(
    readonly code: StdioUpstreamErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StdioUpstreamError';
  }
}

export interface StdioProcessPoolOptions {
  /** Children alive, starting or being stopped, across all keys: the bound on this replica's processes. */
  readonly maxProcesses: number;
  /** A child with no touch, send or incoming message for this long is released; 0 disables. */
  readonly idleTimeoutMs: number;
  /** Structured log sink; never receives launch.env values. */
  readonly log: (line: Record<string, unknown>) => void;
  /** Wait before restarting a key whose child died by itself: initial, doubling to max. Default 500 ms → 30 s. */
  readonly restartBackoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Time between SIGTERM and SIGKILL of a process group. Default 2 s. */
  readonly killGraceMs?: number;
}

/** Environment variables a child inherits from the proxy; everything else (keys, tokens) stays out. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'] as const;
const MAX_STDOUT_LINE_BYTES = 16 * 1024 * 1024;
const MAX_LOG_LINE_CHARS = 2_000;
const LOG_LINES_PER_SECOND = 50;
/** Env values at most this long are not redacted: they would match ordinary words. */
const MIN_REDACTED_LENGTH = 6;
/** A child that ran this long before dying starts its backoff afresh. */
const HEALTHY_RUN_MS = 60_000;
const MAX_BACKOFF_KEYS = 10_000;
/** After SIGKILL, how long to wait for the group to disappear before logging that it did not. */
const KILL_WAIT_MS = 5_000;
/** After the group is gone, how long the pipes may take to deliver what is left in them. */
const DRAIN_WAIT_MS = 250;
const GROUP_POLL_MS = 10;
const ZOMBIE_CHECK_EVERY = 2;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Supervises stdio upstream MCP servers: one child per key (agent session × upstream) on the
 * replica hosting the session. Each child leads its own process group so that killing it also
 * kills what it started (`npx` → node, `sh -c`); children get a minimal environment, their stderr
 * goes to the log redacted and rate limited, crash loops are slowed by a per-key backoff, and
 * idle children are stopped.
 */
export class StdioProcessPool {
  private readonly entries = new Map<string, Entry>();
  private readonly backoff: RestartBackoff;
  private readonly killGraceMs: number;
  private readonly shutdown = new AbortController();
  private closing: Promise<void> | undefined;
  private exitHooked = false;
  /** Last resort when the proxy exits without closeAll (uncaught exception, process.exit): SIGKILL every group, synchronously. */
  private readonly killAllOnExit = () => {
    for (const entry of this.entries.values()) entry.child?.signalGroup('SIGKILL');
  };

  constructor(private readonly options: StdioProcessPoolOptions) {
    const { maxProcesses, idleTimeoutMs } = options;
    const backoff = options.restartBackoff ?? { initialMs: 500, maxMs: 30_000 };
    this.killGraceMs = options.killGraceMs ?? 2_000;
    if (!Number.isInteger(maxProcesses) || maxProcesses < 1) throw new RangeError(`maxProcesses must be a positive integer, got ${maxProcesses}`);
    if (!(idleTimeoutMs >= 0)) throw new RangeError(`idleTimeoutMs must be >= 0, got ${idleTimeoutMs}`);
    if (!(backoff.initialMs >= 0 && backoff.maxMs >= backoff.initialMs)) throw new RangeError('restartBackoff needs 0 <= initialMs <= maxMs');
    if (!(this.killGraceMs >= 0)) throw new RangeError(`killGraceMs must be >= 0, got ${this.killGraceMs}`);
    this.backoff = new RestartBackoff(backoff.initialMs, backoff.maxMs);
  }

  /**
   * The live child for `key`, or a new one from `launch` (concurrent calls for one key share one
   * start). Waits out the key's restart backoff first. Rejects with `limit`, `spawn` or `closed`.
   */
  async acquire(key: string, launch: StdioLaunch): Promise<StdioChild> {
    for (;;) {
      if (this.shutdown.signal.aborted) throw new StdioUpstreamError('closed', 'the stdio process pool is shut down');
      const entry = this.entries.get(key);
      if (!entry) break;
      if (entry.starting) return entry.starting;
      if (entry.child.alive) {
        entry.child.touch();
        return entry.child;
      }
      await entry.child.terminated;
    }
    if (this.entries.size >= this.options.maxProcesses) {
      throw new StdioUpstreamError('limit', `${this.entries.size} stdio upstream processes are running, the maximum on this replica`);
    }
    // the slot is taken before start() runs, so concurrent acquires and release() see it
    let settle!: { resolve: (child: Child) => void; reject: (error: unknown) => void };
    const starting = new Promise<Child>((resolve, reject) => (settle = { resolve, reject }));
    const entry: StartingEntry = { starting, abort: new AbortController() };
    this.entries.set(key, entry);
    this.hookExit();
    this.start(key, launch, entry.abort.signal).then(
      (child) => {
        if (this.entries.get(key) === entry) this.entries.set(key, { child });
        settle.resolve(child);
      },
      (error: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        this.hookExit();
        settle.reject(error);
      },
    );
    return starting;
  }

  /** Stops the key's child: SIGTERM to its process group, SIGKILL after killGraceMs; resolves once all of it is gone. */
  async release(key: string): Promise<void> {
    return this.stop(key, 'released');
  }

  /** Marks the key's child as in use, restarting its idle timer. */
  touch(key: string): void {
    const entry = this.entries.get(key);
    if (entry && !entry.starting) entry.child.touch();
  }

  /** Children alive, starting or being stopped. */
  size(): number {
    return this.entries.size;
  }

  /** Shutdown: stops every child and refuses new ones; resolves when no process of the pool is left. */
  closeAll(): Promise<void> {
    this.closing ??= (async () => {
      this.shutdown.abort();
      await Promise.all([...this.entries.keys()].map((key) => this.stop(key, 'closed')));
    })();
    return this.closing;
  }

  /** Keeps the process 'exit' hook registered exactly while the pool holds children. */
  private hookExit(): void {
    const wanted = this.entries.size > 0;
    if (wanted === this.exitHooked) return;
    this.exitHooked = wanted;
    if (wanted) process.on('exit', this.killAllOnExit);
    else process.off('exit', this.killAllOnExit);
  }

  private async stop(key: string, reason: StdioExitReason): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.starting) {
      entry.abort.abort();
      // the start may have finished already (spawning is synchronous), so stop what it started
      await (await entry.starting.catch(() => undefined))?.stop(reason);
      return;
    }
    await entry.child.stop(reason);
  }

  /** `signal` aborts when the key is released or the pool closes while this start is under way. */
  private async start(key: string, launch: StdioLaunch, signal: AbortSignal): Promise<Child> {
    const waitMs = this.backoff.waitMs(key, Date.now());
    if (waitMs > 0) {
      this.options.log({ level: 'warn', message: 'stdio upstream crashed recently; waiting before restarting it', key, waitMs });
      try {
        await sleep(waitMs, undefined, { signal });
      } catch {
        throw new StdioUpstreamError('closed', `start of stdio upstream ${key} cancelled`);
      }
    }
    const protocol = await loadStdioProtocol();
    if (signal.aborted) throw new StdioUpstreamError('closed', `start of stdio upstream ${key} cancelled`);

    const redact = redactor(launch.env);
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, launch.env);

    let proc: ChildProcessWithoutNullStreams;
    try {
      proc = spawn(launch.command, [...launch.args], { cwd: launch.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      throw this.spawnFailed(key, launch, error);
    }
    if (proc.pid === undefined) {
      // the spawn failed synchronously in libuv; Node reports it as an 'error' event on the next tick
      const error = await new Promise<unknown>((resolve) => proc.once('error', resolve));
      for (const stream of [proc.stdin, proc.stdout, proc.stderr]) stream.destroy();
      throw this.spawnFailed(key, launch, error);
    }

    const child = new Child(key, proc, proc.pid, {
      protocol,
      log: this.options.log,
      redact,
      idleTimeoutMs: this.options.idleTimeoutMs,
      killGraceMs: this.killGraceMs,
      onIdle: (idle) => {
        if (this.entries.get(key)?.child === idle) void idle.stop('idle');
      },
      onTerminated: (done, info, uptimeMs) => {
        const entry = this.entries.get(key);
        if (entry?.child === done) this.entries.delete(key);
        this.hookExit();
        if (info.reason === 'crashed' || info.reason === 'line-too-long') this.backoff.failed(key, uptimeMs, Date.now());
        else if (uptimeMs >= HEALTHY_RUN_MS) this.backoff.forget(key);
        const unexpected = info.reason === 'crashed' || info.reason === 'line-too-long';
        this.options.log({ level: unexpected ? 'warn' : 'info', message: unexpected ? 'stdio upstream exited unexpectedly' : 'stdio upstream stopped', key, pid: done.pid, ...info, uptimeMs });
      },
    });
    this.options.log({ level: 'info', message: 'stdio upstream started', key, pid: proc.pid, command: launch.command, args: launch.args.map((arg) => redact(arg).line), envNames: Object.keys(launch.env) });
    if (signal.aborted) {
      await child.stop('closed');
      throw new StdioUpstreamError('closed', `start of stdio upstream ${key} cancelled`);
    }
    return child;
  }

  private spawnFailed(key: string, launch: StdioLaunch, error: unknown): StdioUpstreamError {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === 'ENOENT'
        ? launch.cwd && !existsSync(launch.cwd)
          ? `working directory ${launch.cwd} does not exist`
          : 'command not found (absolute path, or on PATH)'
        : code === 'EACCES'
          ? 'permission denied (not executable?)'
          : error instanceof Error
            ? error.message
            : String(error);
    this.backoff.failed(key, 0, Date.now());
    this.options.log({ level: 'error', message: 'stdio upstream could not start', key, command: launch.command, errorCode: code, reason: why });
    return new StdioUpstreamError('spawn', `cannot start stdio upstream "${launch.command}": ${why}`, { cause: error });
  }
}

interface StartingEntry {
  readonly starting: Promise<Child>;
  readonly abort: AbortController;
  readonly child?: undefined;
}
type Entry = StartingEntry | { readonly child: Child; readonly starting?: undefined };

interface ChildOptions {
  readonly protocol: StdioProtocol;
  readonly log: (line: Record<string, unknown>) => void;
  readonly redact: Redactor;
  readonly idleTimeoutMs: number;
  readonly killGraceMs: number;
  readonly onIdle: (child: Child) => void;
  readonly onTerminated: (child: Child, info: StdioExitInfo, uptimeMs: number) => void;
}

/** One running child and its process group, from spawn until every process of the group is gone. */
class Child implements StdioChild {
  /** Resolves once the group is gone, the pipes are drained and exit listeners have run. */
  readonly terminated: Promise<void>;
  private readonly messageListeners = new Set<(message: JSONRPCMessage) => void>();
  private readonly exitListeners = new Set<(info: StdioExitInfo) => void>();
  private readonly startedAt = Date.now();
  private readonly leaderExited: Promise<{ code: number | null; signal: string | null }>;
  private readonly stdoutLines = new LineSplitter(MAX_STDOUT_LINE_BYTES);
  private readonly stderrLines: TextLines;
  private readonly budget: LogBudget;
  private readonly idleTimer: NodeJS.Timeout | undefined;
  private leaderRunning = true;
  private stopReason: StdioExitReason | undefined;
  private exitInfo: StdioExitInfo | undefined;
  private resolveTerminated!: () => void;

  constructor(
    readonly key: string,
    private readonly proc: ChildProcessWithoutNullStreams,
    readonly pid: number,
    private readonly options: ChildOptions,
  ) {
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    this.stderrLines = new TextLines(MAX_LOG_LINE_CHARS + options.redact.longest);
    this.budget = new LogBudget(LOG_LINES_PER_SECOND, (suppressed) =>
      options.log({ level: 'warn', message: `suppressed ${suppressed} lines of stdio upstream output`, key, pid, suppressed }),
    );
    this.leaderExited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        this.leaderRunning = false;
        resolve({ code, signal });
      }),
    );
    proc.on('error', (error) => options.log({ level: 'warn', message: 'stdio upstream process error', key, pid, error: error.message }));
    proc.stdin.on('error', () => undefined); // EPIPE once the child is gone; send() reports it through its write callback
    proc.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    proc.stderr.on('data', (chunk: Buffer) => this.stderrLines.push(chunk, (line) => this.forward('stderr', line)));
    proc.stderr.on('end', () => this.stderrLines.end((line) => this.forward('stderr', line)));
    if (options.idleTimeoutMs > 0) {
      this.idleTimer = setTimeout(() => options.onIdle(this), Math.min(options.idleTimeoutMs, MAX_TIMER_MS)).unref();
    }
    void this.leaderExited.then(() => {
      if (!this.stopReason) void this.stop('crashed');
    });
  }

  get alive(): boolean {
    return this.leaderRunning && this.stopReason === undefined;
  }

  touch(): void {
    this.idleTimer?.refresh();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.alive) throw this.goneError();
    this.touch();
    await new Promise<void>((resolve, reject) =>
      this.proc.stdin.write(this.options.protocol.serialize(message), (error) => (error ? reject(this.goneError(error)) : resolve())),
    );
  }

  onMessage(listener: (message: JSONRPCMessage) => void): () => void {
    if (this.exitInfo) return () => undefined;
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onExit(listener: (info: StdioExitInfo) => void): () => void {
    const info = this.exitInfo;
    if (info) {
      queueMicrotask(() => this.guard(() => listener(info)));
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Idempotent; the first reason wins. Resolves when the whole group is gone. */
  stop(reason: StdioExitReason): Promise<void> {
    if (this.stopReason === undefined) {
      this.stopReason = reason;
      void this.terminate();
    }
    return this.terminated;
  }

  private async terminate(): Promise<void> {
    this.proc.stdin.end(); // MCP's stdio shutdown starts by closing the server's input
    this.signalGroup('SIGTERM');
    const deadline = Date.now() + this.options.killGraceMs;
    await within(this.leaderExited, this.options.killGraceMs);
    if (!(await this.groupGoneBy(deadline))) {
      this.signalGroup('SIGKILL');
      if (!(await this.groupGoneBy(Date.now() + KILL_WAIT_MS))) {
        this.options.log({ level: 'error', message: 'stdio upstream process group survived SIGKILL', key: this.key, pgid: this.pid });
      }
    }
    const { code, signal } = (await within(this.leaderExited, KILL_WAIT_MS)) ?? { code: null, signal: null };
    // the group is gone, so the pipes hold only what was written before; let it arrive
    await within(Promise.all([closed(this.proc.stdout), closed(this.proc.stderr)]), DRAIN_WAIT_MS);
    for (const stream of [this.proc.stdin, this.proc.stdout, this.proc.stderr]) stream.destroy();
    clearTimeout(this.idleTimer);
    this.budget.close();
    const info: StdioExitInfo = { code, signal, reason: this.stopReason ?? 'crashed' };
    this.exitInfo = info;
    this.messageListeners.clear();
    this.options.onTerminated(this, info, Date.now() - this.startedAt);
    const listeners = [...this.exitListeners];
    this.exitListeners.clear();
    for (const listener of listeners) this.guard(() => listener(info));
    this.resolveTerminated();
  }

  /** Signals every process of the child's group; a group already gone is fine. */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
        this.options.log({ level: 'error', message: `cannot send ${signal} to stdio upstream process group`, key: this.key, pgid: this.pid, error: (error as Error).message });
      }
    }
  }

  /**
   * Polls (there is no event for a process group emptying) until no process of the group runs.
   * Orphaned grandchildren stay zombies until init reaps them, and kill(-pgid, 0) still finds
   * zombies, so /proc is checked too (every few polls; only zombies left counts as gone).
   */
  private async groupGoneBy(deadline: number): Promise<boolean> {
    for (let poll = 0; ; poll += 1) {
      if (!groupExists(this.pid)) return true;
      // while the leader runs, the group is not gone: no need to look further
      if (!this.leaderRunning && poll % ZOMBIE_CHECK_EVERY === 0 && (await onlyZombiesIn(this.pid))) return true;
      if (Date.now() >= deadline) return !this.leaderRunning && onlyZombiesIn(this.pid);
      await sleep(GROUP_POLL_MS);
    }
  }

  private onStdout(chunk: Buffer): void {
    if (this.stopReason === 'line-too-long') return;
    this.touch();
    const fits = this.stdoutLines.push(chunk, (line) => this.onLine(line));
    if (!fits) {
      this.options.log({ level: 'error', message: `stdio upstream wrote a stdout line over ${MAX_STDOUT_LINE_BYTES} bytes; killing it`, key: this.key, pid: this.pid });
      this.stdoutLines.clear();
      void this.stop('line-too-long');
    }
  }

  private onLine(bytes: Buffer): void {
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.forward('stdout', text, 'stdio upstream wrote a stdout line that is not JSON; skipped');
      return;
    }
    const message = this.options.protocol.parse(parsed);
    if (!message.success) {
      this.forward('stdout', text, 'stdio upstream wrote a stdout line that is not a JSON-RPC message; skipped');
      return;
    }
    for (const listener of [...this.messageListeners]) this.guard(() => listener(message.data));
  }

  private forward(stream: 'stdout' | 'stderr', text: string, message = 'stdio upstream stderr'): void {
    if (!this.budget.take(Date.now())) return;
    const { line, truncated } = this.options.redact(text);
    this.options.log({ level: stream === 'stderr' ? 'info' : 'warn', message, key: this.key, pid: this.pid, stream, line, ...(truncated ? { truncated } : {}) });
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.log({ level: 'error', message: 'stdio upstream listener threw', key: this.key, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private goneError(cause?: Error): StdioUpstreamError {
    const reason = this.stopReason ?? 'crashed';
    const intended = reason === 'released' || reason === 'idle' || reason === 'closed';
    return new StdioUpstreamError(intended ? 'closed' : 'exited', `stdio upstream ${this.key} (pid ${this.pid}) is gone: ${reason}`, cause ? { cause } : undefined);
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** True when every process left in the group is a zombie; false when unsure (no procfs). */
async function onlyZombiesIn(pgid: number): Promise<boolean> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57);
  } catch {
    return false;
  }
  const states = await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
        // after "pid (comm) ": state ppid pgrp …; comm may hold spaces and parentheses
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
        return Number(pgrp) === pgid ? state : undefined;
      } catch {
        return undefined; // exited meanwhile
      }
    }),
  );
  return states.every((state) => state === undefined || state === 'Z');
}

/** Races `promise` against a timer that is cleared either way, so nothing lingers. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function closed(stream: Readable): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
}

type Redactor = ((text: string) => { line: string; truncated: boolean }) & { readonly longest: number };

/**
 * Replaces launch.env values (each line of multi-line values, longer than 5 chars) with
 * `[redacted]`, then truncates to MAX_LOG_LINE_CHARS: redacting first means a secret cut by the
 * truncation cannot leak its beginning.
 */
function redactor(env: Readonly<Record<string, string>>): Redactor {
  const secrets = [...new Set(Object.values(env).flatMap((value) => value.split(/\r?\n/)))]
    .filter((value) => value.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
  const longest = secrets[0]?.length ?? 0;
  const redact = (text: string) => {
    // beyond this, no secret can start before the truncation point
    const cut = text.length > MAX_LOG_LINE_CHARS + longest;
    let line = cut ? text.slice(0, MAX_LOG_LINE_CHARS + longest) : text;
    for (const secret of secrets) if (line.includes(secret)) line = line.split(secret).join('[redacted]');
    const truncated = cut || line.length > MAX_LOG_LINE_CHARS;
    return { line: truncated ? line.slice(0, MAX_LOG_LINE_CHARS) : line, truncated };
  };
  return Object.assign(redact, { longest });
}

/** Splits stdout into lines without ever holding more than `maxLineBytes` of an unfinished line. */
class LineSplitter {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Returns false, having emitted the complete lines before it, when a line exceeds the bound. */
  push(chunk: Buffer, onLine: (line: Buffer) => void): boolean {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      if (this.length + piece.length > this.maxLineBytes) return false;
      const line = this.length === 0 ? piece : Buffer.concat([...this.chunks, piece]);
      this.clear();
      onLine(line);
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.length + rest.length > this.maxLineBytes) return false;
      this.chunks.push(rest);
      this.length += rest.length;
    }
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}

/** Splits stderr into text lines, keeping at most `keep` chars of each (the rest is dropped, not buffered). */
class TextLines {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly keep: number) {}

  push(chunk: Buffer, onLine: (line: string) => void): void {
    const text = this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      const line = this.pending.replace(/\r$/, '');
      this.pending = '';
      if (line !== '') onLine(line);
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  end(onLine: (line: string) => void): void {
    this.append(this.decoder.end());
    if (this.pending !== '') onLine(this.pending);
    this.pending = '';
  }

  private append(text: string): void {
    // one char more than kept marks the line as longer, so the redactor reports it truncated
    const room = this.keep + 1 - this.pending.length;
    if (room > 0) this.pending += text.length > room ? text.slice(0, room) : text;
  }
}

/** At most `perSecond` forwarded lines per child; the rest are counted and reported once per window. */
class LogBudget {
  private windowStart = 0;
  private used = 0;
  private suppressed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly perSecond: number,
    private readonly report: (suppressed: number) => void,
  ) {}

  take(now: number): boolean {
    if (now - this.windowStart >= 1_000) {
      this.flush();
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used < this.perSecond) {
      this.used += 1;
      return true;
    }
    this.suppressed += 1;
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.windowStart + 1_000 - now)).unref();
    return false;
  }

  close(): void {
    this.flush();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.report(suppressed);
  }
}

/**
 * Per-key restart delays after unexpected exits: initial, doubling to max, back to initial after a
 * healthy run. Bounded as an LRU so that many short-lived sessions cannot grow it without limit.
 */
class RestartBackoff {
  private readonly keys = new Map<string, { readonly delayMs: number; readonly notBefore: number }>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  failed(key: string, uptimeMs: number, now: number): void {
    const previous = this.keys.get(key);
    const delayMs = previous && uptimeMs < HEALTHY_RUN_MS ? Math.min(this.maxMs, Math.max(1, previous.delayMs * 2)) : this.initialMs;
    this.keys.delete(key);
    this.keys.set(key, { delayMs, notBefore: now + delayMs });
    if (this.keys.size > MAX_BACKOFF_KEYS) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
  }

  forget(key: string): void {
    this.keys.delete(key);
  }

  waitMs(key: string, now: number): number {
    const entry = this.keys.get(key);
    return entry ? Math.max(0, entry.notBefore - now) : 0;
  }
}
