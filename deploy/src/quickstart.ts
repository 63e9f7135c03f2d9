/**
 * The quickstart demo: on first start a demo tenant with a real MCP server behind the proxy and a
 * virtual key, so a new user can point an MCP client at the gateway at once. Everything is made
 * through the control plane's commands (the same path as the API), so it is in the event log like
 * any other change. The key's secret exists only in `.mcpgate/quickstart.json` (mode 0600).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DomainError, type RunningControlPlane } from '@mcpgate/control-plane';

export interface Quickstart {
  readonly consoleUrl: string;
  readonly graphqlUrl: string;
  readonly mcpUrl: string;
  readonly virtualKey: string;
  readonly tenantId: string;
  readonly virtualServer: string;
}

const SYSTEM = { actor: { kind: 'system', component: 'quickstart' } } as const;

/** Creates the demo on first start (or reads what the first start wrote); undefined when the user removed it. */
export const ensureQuickstart = async (
  controlPlane: RunningControlPlane,
  options: { readonly dataDir: string; readonly region: string; readonly proxyUrl: string },
): Promise<{ quickstart: Quickstart; created: boolean } | { missing: string }> => {
  const file = join(options.dataDir, 'quickstart.json');
  const urls = { consoleUrl: `${controlPlane.url}/console/`, graphqlUrl: `${controlPlane.url}/graphql`, mcpUrl: `${options.proxyUrl}/mcp` };
  if (existsSync(file)) {
    // the key stays; the URLs are this start's (ports may differ)
    const quickstart = { ...(JSON.parse(readFileSync(file, 'utf8')) as Quickstart), ...urls };
    writeFileSync(file, `${JSON.stringify(quickstart, null, 2)}\n`, { mode: 0o600 });
    return { quickstart, created: false };
  }
  let tenantId: string;
  try {
    const tenant = await controlPlane.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'demo', displayName: 'Demo', regions: [options.region] } }, SYSTEM);
    tenantId = tenant.createdId ?? tenant.streamId;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CONFLICT') {
      return { missing: `the demo tenant exists but ${file} was removed, and with it the only copy of the demo key: issue a new key through the API, or delete ${options.dataDir} to start over` };
    }
    throw error;
  }
  const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const server = await controlPlane.commands.execute(
    tenantId,
    {
      type: 'RegisterUpstreamServer',
      data: {
        config: {
          name: 'everything',
          description: 'The MCP reference server (@modelcontextprotocol/server-everything) over stdio',
          connection: { transport: 'stdio', endpoints: [{ id: 'local', command: process.execPath, args: [everything, 'stdio'], env: {}, regions: [] }] },
          timeouts: { connectMs: 10_000, callMs: 60_000 },
          healthCheck: { intervalMs: 15_000, timeoutMs: 3_000, unhealthyAfter: 3, healthyAfter: 2 },
          regions: [options.region],
          tags: ['demo'],
        },
      },
    },
    SYSTEM,
  );
  const virtualServer = await controlPlane.commands.execute(
    tenantId,
    { type: 'CreateVirtualServer', data: { config: { name: 'everything', description: 'Every tool of the demo server', prefixMode: 'never', upstreams: [{ serverId: server.createdId!, tools: ['*'] }], anonymousAccess: false } } },
    SYSTEM,
  );
  const key = await controlPlane.commands.execute(
    tenantId,
    { type: 'IssueVirtualKey', data: { name: 'Quickstart demo key', scopes: { virtualServerIds: [virtualServer.createdId!], tools: { allow: ['*'], deny: [] }, rateLimits: [] } } },
    SYSTEM,
  );
  const quickstart: Quickstart = { ...urls, virtualKey: key.secret!, tenantId, virtualServer: 'everything' };
  writeFileSync(file, `${JSON.stringify(quickstart, null, 2)}\n`, { mode: 0o600 });
  return { quickstart, created: true };
};

/** What to paste into common MCP clients, and an inspector command line that lists the tools. */
export const clientConfiguration = ({ mcpUrl, virtualKey }: Quickstart): string[] => {
  const auth = `Bearer ${virtualKey}`;
  return [
    'Claude Code:',
    `  claude mcp add --transport http mcpgate-demo ${mcpUrl} --header "Authorization: ${auth}"`,
    'Cursor (~/.cursor/mcp.json):',
    `  ${JSON.stringify({ mcpServers: { 'mcpgate-demo': { url: mcpUrl, headers: { Authorization: auth } } } })}`,
    'VS Code (.vscode/mcp.json):',
    `  ${JSON.stringify({ servers: { 'mcpgate-demo': { type: 'http', url: mcpUrl, headers: { Authorization: auth } } } })}`,
    'MCP inspector (CLI):',
    `  npx @modelcontextprotocol/inspector@2 --cli ${mcpUrl} --method tools/list --header "Authorization: ${auth}"`,
  ];
};
