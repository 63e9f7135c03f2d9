/**
 * The single-process launcher: `npm start`. A thin composition root that starts each app through
 * its public start function with explicit configuration; the apps never import each other.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv, ProxyConfig, type AuditEvent } from '@mcpgate/contracts';
import { InMemorySnapshotPublisher, ListenError, startControlPlane, type RunningControlPlane } from '@mcpgate/control-plane';
import { ProxyListenError, startProxy } from '@mcpgate/proxy';
import { clientConfiguration, ensureQuickstart } from './quickstart.js';
import { ZodError } from 'zod';

/** Hands one event to the audit sink; an event it could not store rejects, so the proxy applies the tenant's audit-failure policy. */
const emitToSink = async (audit: RunningControlPlane['audit'], event: AuditEvent): Promise<void> => {
  const result = await audit.ingest([event]);
  if (result.quarantined > 0) throw new Error(`the audit sink quarantined event ${event.eventId} instead of appending it`);
};

const main = async () => {
  const t0 = performance.now();
  const config = controlPlaneConfigFromEnv(process.env);
  // the control plane and the proxy meet through an in-process snapshot channel, the in-memory
  // adapter of the port Kafka implements in production; the proxy verifies every snapshot the same way
  const channel = new InMemorySnapshotPublisher();
  // budget usage reports (counted from the audit trail) travel the same way, on a channel of their own
  const usageChannel = new InMemorySnapshotPublisher();
  const controlPlane = await startControlPlane(config, { snapshotPublisher: channel, usagePublisher: usageChannel });
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
    {
      snapshotFeed: (deliver) => channel.subscribe(deliver),
      usageFeed: (deliver) => usageChannel.subscribe(deliver),
      // rollout status and live tool catalogues: the proxy's reports straight to the control plane
      reports: async (report) => void controlPlane.rollout.accept(report),
      // audit events go straight to the control plane's audit sink (the in-process adapter of the
      // Kafka audit topics): a call is answered once its event is committed to the hash chain
      ...(controlPlane.audit.sink ? { audit: { emit: (event: AuditEvent) => emitToSink(controlPlane.audit, event) } } : {}),
    },
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
      `  web console : ${controlPlane.url}/console/`,
      `  health      : ${controlPlane.url}/healthz`,
      `  MCP proxy   : ${proxy.url}/mcp (region ${region}; status at ${proxy.url}/status)`,
      `  audit trail : ${controlPlane.audit.sink ? 'every tool call and admin change, hash-chained beside the read models (GraphQL auditEvents)' : 'sink off here (MCPGATE_AUDIT_SINK=off)'}`,
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
      'Stop with Ctrl+C.',
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
