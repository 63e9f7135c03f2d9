/**
 * What a leak or resilience suite measures about the test process itself (the proxy runs in it):
 * descendant processes from /proc, open file descriptors, and a bounded-concurrency runner. Linux
 * only, like the suites that use it.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it. */
export interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  /** R, S, Z (zombie), … */
  readonly state: string;
  readonly comm: string;
}

const readStat = (pid: number): ProcInfo | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // "pid (comm) state ppid …": comm may contain spaces and parentheses
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ', 2);
    return { pid, ppid: Number(ppid), state: state ?? '?', comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined; // exited meanwhile
  }
};

/** Every live or zombie descendant of `root` (default: this process), from one /proc scan. */
export const descendantsOf = (root = process.pid): ProcInfo[] => {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((info): info is ProcInfo => info !== undefined);
  const children = new Map<number, ProcInfo[]>();
  for (const info of all) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcInfo[] = [];
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
};

/** True while `pid` is a process (zombies included) whose parent is this process. */
export const isOwnChild = (pid: number): boolean => existsSync(`/proc/${pid}`) && readStat(pid)?.ppid === process.pid;

/** Open file descriptors of this process. */
export const openFds = (): number => readdirSync('/proc/self/fd').length;

/** What the descriptors of this process point at, counted by kind (socket, pipe, anon_inode:[eventfd], a path …). */
export const fdKinds = (): Record<string, number> => {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync('/proc/self/fd')) {
    let kind = 'closed';
    try {
      kind = readlinkSync(`/proc/self/fd/${fd}`).replace(/:\[\d+\]$/, '');
    } catch {
      // closed meanwhile (the readdir's own descriptor, for one)
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
};

/**
 * Runs `task(0..count-1)` with at most `concurrency` at once; resolves when all have settled and
 * returns the failures (index and error), never rejects.
 */
export const runBounded = async (count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ index: number; error: unknown }[]> => {
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      try {
        await task(i);
      } catch (error) {
        failures.push({ index: i, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return failures;
};
