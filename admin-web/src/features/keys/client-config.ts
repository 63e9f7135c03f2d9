/** Ready-to-paste MCP client configurations for a virtual key (the same shapes the quickstart prints). */
export interface ClientConfig {
  readonly client: 'Claude Code' | 'Cursor' | 'VS Code';
  /** Where it goes: a command line or a file. */
  readonly where: string;
  readonly text: string;
}

/** The proxy URL agents use for one virtual server of a tenant. */
export const mcpUrl = (proxyUrl: string, tenantSlug: string, virtualServerName: string): string => `${proxyUrl.replace(/\/+$/, '')}/t/${tenantSlug}/mcp/${virtualServerName}`;

export const clientConfigs = ({ name, url, secret }: { name: string; url: string; secret: string }): ClientConfig[] => {
  const authorization = `Bearer ${secret}`;
  const server = name.replace(/[^A-Za-z0-9_-]/g, '-');
  return [
    { client: 'Claude Code', where: 'Run in a terminal', text: `claude mcp add --transport http ${server} ${url} --header "Authorization: ${authorization}"` },
    { client: 'Cursor', where: '~/.cursor/mcp.json', text: JSON.stringify({ mcpServers: { [server]: { url, headers: { Authorization: authorization } } } }, null, 2) },
    { client: 'VS Code', where: '.vscode/mcp.json', text: JSON.stringify({ servers: { [server]: { type: 'http', url, headers: { Authorization: authorization } } } }, null, 2) },
  ];
};
