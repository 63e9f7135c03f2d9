/**
 * Child processes of the benchmark: started with the parent's Node and tsx, read through /proc,
 * and always stopped, on success, on error and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Lines the child wrote on stderr (the proxy logs there), counted; the last ones kept. */
  readonly stderr: { count: number; readonly tail: string[] };
  /** The child's own `process.memoryUsage()`, in MB. */
  memoryUsage(): Promise<HeapUse>;
  /** Closes stdin (the child exits cleanly), then SIGTERM and SIGKILL if it lingers. */
  stop(): Promise<void>;
}

/** What a child reports of its memory, in MB: the JS heap, memory outside it (buffers), and RSS. */
export interface HeapUse {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** The part of the heap that survived collections (old space), and the young generation's size. */
  readonly oldSpaceUsed: number;
  readonly newSpaceSize: number;
}

const running = new Set<ChildProcess>();

/** Kills every child still running; safe to call from an exit handler. */
export const killAllChildren = (): void => {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  running.clear();
};

const SHOWN_STDERR_LINES = 20;

/**
 * Starts `script` in its own Node process (this one's Node): compiled JavaScript as it is, a .ts
 * file through tsx. Resolves once the child printed its URL.
 */
export const startChild = (name: string, script: string, input: unknown, nodeArgs: readonly string[] = []): Promise<Child> =>
  new Promise((resolve, reject) => {
    const loader = script.endsWith('.ts') ? ['--conditions=@mcpgate/source', '--import', 'tsx'] : [];
    const proc = spawn(process.execPath, [...loader, ...nodeArgs, script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    running.add(proc);
    const stderr = { count: 0, tail: [] as string[] };
    let stderrRest = '';
    proc.stderr!.on('data', (chunk: Buffer) => {
      const lines = (stderrRest + chunk.toString('utf8')).split('\n');
      stderrRest = lines.pop()!;
      for (const line of lines) {
        stderr.count += 1;
        stderr.tail.push(line);
        if (stderr.tail.length > 20) stderr.tail.shift();
        if (stderr.count <= SHOWN_STDERR_LINES) process.stderr.write(`\r\x1b[K[${name}] ${line.slice(0, 400)}\n`);
        else if (stderr.count === SHOWN_STDERR_LINES + 1) process.stderr.write(`\r\x1b[K[${name}] (more stderr lines are counted, not shown)\n`);
      }
    });
    let stdoutRest = '';
    let ready = false;
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 60 s`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      reject(error);
    };
    proc.on('error', fail);
    const exited = new Promise<void>((done) =>
      proc.once('exit', (code, signal) => {
        running.delete(proc);
        if (!ready) fail(new Error(`${name} exited before it listened (${signal ?? `code ${code}`}):\n${stderr.tail.join('\n')}`));
        done();
      }),
    );
    const memoryWaiters: ((use: HeapUse) => void)[] = [];
    const onLine = (line: string) => {
      if (ready) {
        // anything else on stdout (e.g. --trace-gc) is shown, not parsed
        const memory = line.startsWith('{"memory":') ? (JSON.parse(line) as { memory: Record<keyof HeapUse, number> }).memory : undefined;
        if (!memory) process.stderr.write(`\r\x1b[K[${name}] ${line}\n`);
        else {
          const mb = (bytes: number) => +(bytes / 1024 ** 2).toFixed(1);
          memoryWaiters.shift()?.({
            rss: mb(memory.rss),
            heapTotal: mb(memory.heapTotal),
            heapUsed: mb(memory.heapUsed),
            external: mb(memory.external),
            arrayBuffers: mb(memory.arrayBuffers),
            oldSpaceUsed: mb(memory.oldSpaceUsed),
            newSpaceSize: mb(memory.newSpaceSize),
          });
        }
        return;
      }
      if (!line.startsWith('{"url":')) return void process.stderr.write(`\r\x1b[K[${name}] ${line}\n`);
      ready = true;
      clearTimeout(timer);
      const announced = JSON.parse(line) as { url: string; pid: number };
      resolve({
        name,
        pid: announced.pid,
        url: announced.url,
        stderr,
        memoryUsage: () =>
          new Promise((answer, refuse) => {
            if (proc.exitCode !== null) return refuse(new Error(`${name} has exited`));
            memoryWaiters.push(answer);
            proc.stdin!.write('memory\n');
          }),
        stop: async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          proc.stdin!.end();
          const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((done) => setTimeout(() => done(false), ms).unref())]);
          if (await within(10_000)) return;
          proc.kill('SIGTERM');
          if (await within(3_000)) return;
          proc.kill('SIGKILL');
          await exited;
        },
      });
    };
    proc.stdout!.on('data', (chunk: Buffer) => {
      stdoutRest += chunk.toString('utf8');
      for (let newline = stdoutRest.indexOf('\n'); newline >= 0; newline = stdoutRest.indexOf('\n')) {
        const line = stdoutRest.slice(0, newline);
        stdoutRest = stdoutRest.slice(newline + 1);
        onLine(line);
      }
    });
    proc.stdin!.on('error', () => {});
    proc.stdin!.write(`${JSON.stringify(input)}\n`);
  });

/** Resident and peak resident memory of a process, in MB (from /proc/<pid>/status). */
export const memoryOf = (pid: number): { rssMb: number; peakRssMb: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: +(kb('VmRSS') / 1024).toFixed(1), peakRssMb: +(kb('VmHWM') / 1024).toFixed(1) };
};

const CLOCK_TICKS_PER_SECOND = 100;
/** User + system CPU a process has used, in ms (from /proc/<pid>/stat; 10 ms resolution). */
export const cpuMsOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name, which is in parentheses and may contain spaces
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
};

/** CPU time the whole machine spent busy (all cores, not idle or waiting on I/O), in ms (from /proc/stat). */
export const machineBusyMs = (): number => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
};

/** Open file descriptors of a process (sockets included). */
export const openFdsOf = (pid: number): number => readdirSync(join('/proc', String(pid), 'fd')).length;
