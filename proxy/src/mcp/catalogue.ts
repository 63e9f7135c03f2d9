import { createHash } from 'node:crypto';
import { matchesGlob, type PrefixMode } from '@mcpgate/contracts';

/** A tool as an upstream listed it; kept whole so every field the upstream sent reaches the agent. */
export interface UpstreamTool {
  readonly name: string;
  readonly [field: string]: unknown;
}

/** One upstream's part of a virtual server: its tools and which of them the bundle exposes. */
export interface UpstreamListing {
  readonly upstreamIndex: number;
  /** The upstream server's name: the prefix when names are prefixed. */
  readonly prefix: string;
  /** Globs over the upstream's own tool names, from the virtual server's configuration. */
  readonly include: readonly string[];
  readonly tools: readonly UpstreamTool[];
}

export interface CatalogueEntry {
  /** What the agent sees and calls, and what policies match against. */
  readonly visibleName: string;
  readonly upstreamIndex: number;
  readonly originalName: string;
  readonly tool: UpstreamTool;
}

export interface Catalogue {
  readonly entries: readonly CatalogueEntry[];
  readonly byVisibleName: ReadonlyMap<string, CatalogueEntry>;
  /** Tools hidden because another upstream already uses the name (prefix mode `never`). */
  readonly shadowed: readonly { readonly upstreamIndex: number; readonly name: string }[];
}

/** MCP's limit on tool names (SEP-986): 1–128 characters. */
export const MAX_TOOL_NAME = 128;
export const PREFIX_SEPARATOR = '__';

/** Keeps a name within MCP's limit; a shortened name ends in a hash of the full one, so it stays unique. */
export const fitName = (name: string): string => {
  if (name.length <= MAX_TOOL_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
};

/**
 * The virtual server's tool catalogue: the included tools of each upstream, named so that no two
 * collide. `always` prefixes every tool with its server's name, `on-collision` only the names
 * several upstreams share, `never` keeps names and hides later duplicates (reported as shadowed).
 */
export const buildCatalogue = (prefixMode: PrefixMode, listings: readonly UpstreamListing[]): Catalogue => {
  const included = listings.map((listing) => ({
    listing,
    tools: listing.tools.filter((tool) => typeof tool.name === 'string' && listing.include.some((glob) => matchesGlob(glob, tool.name))),
  }));
  const owners = new Map<string, number>();
  for (const { tools } of included) for (const tool of tools) owners.set(tool.name, (owners.get(tool.name) ?? 0) + 1);

  const entries: CatalogueEntry[] = [];
  const byVisibleName = new Map<string, CatalogueEntry>();
  const shadowed: { upstreamIndex: number; name: string }[] = [];
  for (const { listing, tools } of included) {
    for (const tool of tools) {
      const prefixed = prefixMode === 'always' || (prefixMode === 'on-collision' && (owners.get(tool.name) ?? 0) > 1);
      const visibleName = fitName(prefixed ? `${listing.prefix}${PREFIX_SEPARATOR}${tool.name}` : tool.name);
      if (byVisibleName.has(visibleName)) {
        shadowed.push({ upstreamIndex: listing.upstreamIndex, name: tool.name });
        continue;
      }
      const entry: CatalogueEntry = { visibleName, upstreamIndex: listing.upstreamIndex, originalName: tool.name, tool };
      entries.push(entry);
      byVisibleName.set(visibleName, entry);
    }
  }
  return { entries, byVisibleName, shadowed };
};

/** The tool as the agent sees it: the upstream's definition under its visible name. */
export const presentTool = (entry: CatalogueEntry): UpstreamTool => (entry.visibleName === entry.originalName ? entry.tool : { ...entry.tool, name: entry.visibleName });
