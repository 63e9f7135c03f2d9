/**
 * The single-process launcher: `npm start`. A thin composition root that starts each app through
 * its public start function with explicit configuration; the apps never import each other.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, ProxyConfig } from '@mcpgate/contracts';
import { InMemorySnapshotPublisher, ListenError, startControlPlane } from '@mcpgate/control-plane';
import { ProxyListenError, startProxy } from '@mcpgate/proxy';
import { clientConfiguration, ensureQuickstart } from './quickstart.js';
import { ZodError } from 'zod';

const main = async () => {
  const t0 = performance.now();
  const config = controlPlaneConfigFromEnv(process.env);
  // the control plane and the proxy meet through an in-process snapshot channel, the in-memory
  // adapter of the port Kafka implements in production; the proxy verifies every snapshot the same way
  const channel = new InMemorySnapshotPublisher();
  const controlPlane = await startControlPlane(config, { snapshotPublisher: channel });
  const region = process.env['MCPGATE_REGION'] || 'local';
  const regionKey = controlPlane.developmentRegionKey(region);
  if (!regionKey) throw new Error('the single-process launcher runs the proxy in development mode only; run proxies separately in production');
  const proxy = await startProxy(
    ProxyConfig.parse({
      region,
      proxyId: `${hostname()}-embedded`,
      listen: { host: process.env['MCPGATE_PROXY_HOST'] || '127.0.0.1', port: process.env['MCPGATE_PROXY_PORT'] || 8080 },
      dataDir: join(config.dataDir, 'proxy'),
      trustedSigningKeys: Object.fromEntries(controlPlane.trustedSigningKeys),
      regionKey,
    }),
    { snapshotFeed: (deliver) => channel.subscribe(deliver) },
  );
  // the demo tenant exists only in development mode, and can be switched off
  const demo = config.environment === 'development' && process.env['MCPGATE_QUICKSTART'] !== 'off' ? await ensureQuickstart(controlPlane, { dataDir: config.dataDir, region, proxyUrl: proxy.url }) : undefined;
  const storage = config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  const log = config.eventLog.kind === 'file' ? `embedded file log in ${config.eventLog.dir}` : `Kafka at ${config.eventLog.brokers.join(', ')}`;
  console.log(
    [
      `mcpgate is up in ${Math.round(performance.now() - t0)} ms`,
      `  event log   : ${log}`,
      `  read models : ${storage}, migrations applied`,
      `  snapshots   : signed with key ${[...controlPlane.trustedSigningKeys.keys()].join(', ')}`,
      `  GraphQL API : ${controlPlane.url}/graphql`,
      `  health      : ${controlPlane.url}/healthz`,
      `  MCP proxy   : ${proxy.url}/mcp (region ${region}; status at ${proxy.url}/status)`,
      '',
      ...(config.environment === 'development'
        ? [
            '!! DEVELOPMENT MODE: POST /auth/dev-login gives anyone who can reach this port a platform-admin',
            '!! session, and keys are generated on first start. Set MCPGATE_ENV=production for real use.',
            '',
          ]
        : []),
      ...(demo && 'quickstart' in demo
        ? [
            `Demo tenant "demo"${demo.created ? ' created' : ''}: server-everything over stdio behind the virtual server "everything".`,
            `  MCP URL     : ${demo.quickstart.mcpUrl}`,
            `  virtual key : ${demo.quickstart.virtualKey}   (also in ${join(config.dataDir, 'quickstart.json')}, mode 0600)`,
            '',
            ...clientConfiguration(demo.quickstart),
            '',
          ]
        : demo
          ? [`Demo: ${demo.missing}`, '']
          : []),
      'The audit pipeline and the web console join as they land (README.md, "Status"). Stop with Ctrl+C.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await proxy.close();
    await controlPlane.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof ListenError || error instanceof ProxyListenError) console.error(`mcpgate: ${error.message}`);
  else if (error instanceof ZodError) console.error(`mcpgate: invalid configuration:\n${error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  else console.error('mcpgate: failed to start:', error);
  process.exit(1);
});
