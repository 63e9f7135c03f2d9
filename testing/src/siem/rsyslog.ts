import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { configureTestcontainers } from '../images.js';
import { waitUntil } from '../wait-until.js';

/** One message as rsyslog parsed it (the image's JSON template, scripts/infra/images/rsyslog/rsyslog.conf). */
export interface SyslogReceived {
  /** `tcp` or `tls`: the listener that took it. */
  readonly input: string;
  readonly pri: string;
  readonly version: string;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  readonly structuredData: string;
  readonly msg: string;
}

export interface StartedRsyslog {
  readonly container: StartedTestContainer;
  /**
   * The container's own address: tests connect to it directly, not through Docker's userland port
   * proxy, which would accept and close connections on rsyslog's behalf and so hide a dead receiver.
   */
  readonly host: string;
  readonly tcpPort: number;
  readonly tlsPort: number;
  /** The CA that signed the TLS listener's certificate (issued for `localhost`). */
  readonly caPem: string;
  /** Everything rsyslog has written so far, in order. */
  received(): Promise<SyslogReceived[]>;
  /** kill -9 of rsyslogd, which is not restarted until `resume()`. */
  crash(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const imagesEnvFile = fileURLToPath(new URL('../../../scripts/infra/.images.env', import.meta.url));

/** The rsyslog image scripts/infra/up.sh built (MCPGATE_RSYSLOG_IMAGE overrides). */
export const rsyslogImage = (): string => {
  const fromEnv = process.env['MCPGATE_RSYSLOG_IMAGE'];
  if (fromEnv) return fromEnv;
  const line = existsSync(imagesEnvFile) ? readFileSync(imagesEnvFile, 'utf8').split('\n').find((l) => l.startsWith('MCPGATE_RSYSLOG_IMAGE=')) : undefined;
  if (!line) throw new Error(`the rsyslog image is not prepared: run \`npm run infra:up\` (scripts/infra/up.sh) first (looked for MCPGATE_RSYSLOG_IMAGE in ${imagesEnvFile})`);
  return line.slice('MCPGATE_RSYSLOG_IMAGE='.length).trim();
};

const exec = async (container: StartedTestContainer, command: string): Promise<string> => {
  const result = await container.exec(['sh', '-c', command]);
  if (result.exitCode !== 0) throw new Error(`rsyslog container: \`${command}\` exited ${result.exitCode}: ${result.output}`);
  return result.output;
};

/** Sends one probe message over plain TCP; resolves when rsyslog closed the connection after reading it. */
const probe = (host: string, port: number, tag: string) =>
  new Promise<void>((resolve, reject) => {
    const message = `<14>1 2026-01-01T00:00:00.000Z probe probe - probe - ${tag}`;
    const socket = connect({ host, port }, () => socket.end(`${Buffer.byteLength(message)} ${message}`));
    socket.setTimeout(2_000, () => socket.destroy(new Error('probe timed out')));
    socket.on('data', () => {});
    socket.once('error', reject);
    socket.once('close', (hadError) => (hadError ? reject(new Error('probe failed')) : resolve()));
  });

/**
 * Starts Debian's rsyslog (local/rsyslog:bookworm) with a TCP listener (514) and a TLS listener
 * (6514), and waits until a probe message has gone all the way into its output file. Probe messages
 * have APP-NAME `probe`; `received()` leaves them out.
 */
export const startRsyslog = async (): Promise<StartedRsyslog> => {
  configureTestcontainers();
  const container = await new GenericContainer(rsyslogImage())
    .withLabels({ 'dev.mcpgate.test': 'true' })
    .withExposedPorts(514, 6514)
    .withWaitStrategy(Wait.forLogMessage('siem-rsyslog: certificates ready'))
    .withStartupTimeout(60_000)
    .start();
  const host = container.getIpAddress(container.getNetworkNames()[0]!);
  const received = async (): Promise<SyslogReceived[]> =>
    (await exec(container, 'cat /var/log/siem/received.jsonl'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as SyslogReceived)
      .filter((m) => m.appName !== 'probe');
  let probes = 0;
  const ready = async () => {
    const tag = `ready-${++probes}`;
    await waitUntil(
      'rsyslog to take a probe message',
      async () => {
        try {
          await probe(host, 514, tag);
        } catch {
          return undefined;
        }
        const out = await exec(container, 'cat /var/log/siem/received.jsonl');
        return out.includes(tag) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  };
  await ready();
  const caPem = await exec(container, 'cat /certs/ca.pem');
  return {
    container,
    host,
    tcpPort: 514,
    tlsPort: 6514,
    caPem,
    received,
    crash: async () => {
      await exec(container, 'touch /tmp/siem-hold && kill -9 "$(cat /run/rsyslogd.pid)"');
    },
    resume: async () => {
      await exec(container, 'rm -f /tmp/siem-hold');
      await ready();
    },
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
};
