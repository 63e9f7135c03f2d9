/** Protocol revisions the proxy speaks with agents, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export const LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[0];
/** What an HTTP request without MCP-Protocol-Version is taken to speak (the spec's rule). */
export const DEFAULT_HTTP_PROTOCOL_VERSION = '2025-03-26';

export const isSupportedProtocolVersion = (version: string): boolean => (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version);

/** The agent's version when the proxy speaks it, else the latest (the agent then decides whether to go on). */
export const negotiateProtocolVersion = (requested: string | undefined): string =>
  requested && isSupportedProtocolVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
