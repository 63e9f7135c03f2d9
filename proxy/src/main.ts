/**
 * The proxy's composition root for a standalone replica: configuration from the environment
 * (PROXY_ENV in @mcpgate/contracts), snapshots from Kafka (and the copies kept on disk), agents on
 * MCPGATE_PROXY_HOST:MCPGATE_PROXY_PORT. Stops cleanly on SIGINT/SIGTERM.
 */
import { hostname } from 'node:os';
import { PROXY_ENV, proxyConfigFromEnv } from '@mcpgate/contracts';
import { ZodError } from 'zod';
import { ProxyListenError, startProxy } from './start.js';

/** Which environment variable sets which configuration field, to name it in errors. */
const VARIABLE_OF: Record<string, string> = {
  region: 'MCPGATE_REGION',
  proxyId: 'MCPGATE_PROXY_ID',
  listen: 'MCPGATE_PROXY_HOST / MCPGATE_PROXY_PORT',
  dataDir: 'MCPGATE_PROXY_DATA_DIR',
  kafkaBrokers: 'MCPGATE_KAFKA_BROKERS',
  trustedSigningKeys: 'MCPGATE_TRUSTED_SIGNING_KEYS',
  regionKey: 'MCPGATE_REGION_KEY',
  publicUrl: 'MCPGATE_PROXY_PUBLIC_URL',
  allowedHosts: 'MCPGATE_PROXY_ALLOWED_HOSTS',
  advertiseUrl: 'MCPGATE_PROXY_ADVERTISE_URL',
  tracesExporter: 'MCPGATE_TRACES_EXPORTER',
  logLevel: 'MCPGATE_LOG_LEVEL',
};

const main = async () => {
  const config = proxyConfigFromEnv(process.env, { hostname: hostname() });
  const proxy = await startProxy(config);
  console.error(JSON.stringify({ source: 'proxy', level: 'info', message: 'proxy listening', url: proxy.url, region: config.region, proxyId: config.proxyId }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(JSON.stringify({ source: 'proxy', level: 'info', message: `${signal}: stopping` }));
    await proxy.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof ProxyListenError) console.error(`mcpgate proxy: ${error.message}`);
  else if (error instanceof ZodError) {
    const lines = error.issues.map((i) => {
      const variable = VARIABLE_OF[String(i.path[0])];
      return `  ${variable ? `${variable} (${i.path.join('.')})` : i.path.join('.')}: ${i.message}`;
    });
    console.error(`mcpgate proxy: invalid configuration:\n${lines.join('\n')}\nEvery variable: ${Object.keys(PROXY_ENV).join(', ')}`);
  } else console.error('mcpgate proxy: failed to start:', error);
  process.exit(1);
});
