/**
 * The wire between the benchmark and its child processes: the parent writes one JSON line (the
 * child's input) on stdin and keeps stdin open; the child answers with one JSON line on stdout
 * once it listens. Later lines on stdin are commands (`memory`: the child answers with its
 * `process.memoryUsage()`). The child exits cleanly when stdin closes (the parent stopped it, or
 * died).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';

/** Old space holds what survived garbage collections; new space is mostly short-lived garbage. */
const spaces = () => {
  const stats = getHeapSpaceStatistics();
  const space = (name: string) => stats.find((s) => s.space_name === name);
  return { oldSpaceUsed: space('old_space')?.space_used_size ?? 0, newSpaceSize: space('new_space')?.space_size ?? 0 };
};

/** The first line on stdin, parsed; later lines are served as commands. */
export const readInput = <T>(): Promise<T> =>
  new Promise((resolve, reject) => {
    let buffered = '';
    let first = true;
    process.stdin.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!first) {
          if (line === 'memory') process.stdout.write(`${JSON.stringify({ memory: { ...process.memoryUsage(), ...spaces() } })}\n`);
          continue;
        }
        first = false;
        try {
          resolve(JSON.parse(line) as T);
        } catch (error) {
          reject(new Error('the benchmark child got no JSON input line', { cause: error }));
        }
      }
    });
  });

/** Tells the parent where the child listens. */
export const announce = (ready: { readonly url: string } & Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...ready, pid: process.pid })}\n`);
};

/**
 * Runs `stop` once when the parent closes stdin or sends SIGTERM/SIGINT, then exits with 0, so that
 * `--cpu-prof` gets to write its profile (a process killed by a signal writes none).
 */
export const exitWithParent = (stop: () => Promise<void> | void): void => {
  let stopping = false;
  const exit = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 5_000);
    force.unref();
    void Promise.resolve()
      .then(stop)
      .catch((error: unknown) => process.stderr.write(`stopping failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  };
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  process.on('SIGTERM', exit);
  process.on('SIGINT', exit);
};

/**
 * Serves a benchmark HTTP server on loopback with long keep-alive (the load tool reuses its
 * connections), announces its URL, and closes it when the parent stops the child.
 */
export const serveUntilParentExits = async (server: Server, beforeClose: () => void = () => {}): Promise<void> => {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  announce({ url: `http://127.0.0.1:${port}` });
  exitWithParent(() => {
    beforeClose();
    server.closeAllConnections();
    server.close();
  });
};
