import { createHash, randomBytes } from 'node:crypto';

/** CPU time a container has used so far, in seconds (cgroup v1 or v2), if readable. */
export type CpuProbe = () => Promise<number | undefined>;

export const containerCpu =
  (container: { exec(command: string[]): Promise<{ output: string; exitCode: number }> }): CpuProbe =>
  async () => {
    const v1 = await container.exec(['cat', '/sys/fs/cgroup/cpuacct/cpuacct.usage']);
    if (v1.exitCode === 0) return Number(v1.output.trim()) / 1e9;
    const v2 = await container.exec(['cat', '/sys/fs/cgroup/cpu.stat']);
    const usec = /usage_usec (\d+)/.exec(v2.output)?.[1];
    return usec ? Number(usec) / 1e6 : undefined;
  };

/**
 * A yardstick for the machine: SHA-256 throughput of one core, MB/s. This VM's speed drifts by up
 * to 1.8x within the hour, so each run states its own and runs are compared at equal yardsticks.
 */
export const sha256MBps = (): number => {
  const block = randomBytes(1024 * 1024);
  const t = performance.now();
  for (let i = 0; i < 64; i++) createHash('sha256').update(block).digest();
  return Math.round(64 / ((performance.now() - t) / 1000));
};
