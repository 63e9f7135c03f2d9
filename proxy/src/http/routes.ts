/** A tenant slug or virtual server name in a path. */
export const SEGMENT = '([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)';

/** What an agent route names: `/mcp`, `/mcp/<vs>`, `/t/<tenant>/mcp`, `/t/<tenant>/mcp/<vs>` (and the same under `/sse`). */
export interface McpRoute {
  readonly tenantSlug?: string;
  readonly virtualServer?: string;
}
