import { evaluateToolCall, matchesGlob, PolicyDocument, ToolFilter, type CallSubject, type PrefixMode } from '@mcpgate/contracts';

/** One picked upstream: its name (the prefix), the globs the virtual server includes, its live tools. */
export interface PreviewListing {
  readonly serverName: string;
  readonly include: readonly string[];
  readonly tools: readonly string[];
}

export interface PreviewEntry {
  readonly visibleName: string;
  readonly serverName: string;
  readonly originalName: string;
}

/** MCP's limit on tool names; the proxy shortens longer names with a hash suffix. */
const MAX_TOOL_NAME = 128;
const PREFIX_SEPARATOR = '__';

/**
 * The catalogue the proxy builds for a virtual server (proxy/src/mcp/catalogue.ts, same rules):
 * included tools per upstream by glob (contracts' `matchesGlob`), prefixed `always`, only on a
 * name several upstreams share (`on-collision`), or `never` (later duplicates are shadowed).
 */
export const previewCatalogue = (prefixMode: PrefixMode, listings: readonly PreviewListing[]): { entries: PreviewEntry[]; shadowed: PreviewEntry[]; shortened: string[] } => {
  const included = listings.map((l) => ({ listing: l, tools: l.tools.filter((t) => l.include.some((g) => matchesGlob(g, t))) }));
  const owners = new Map<string, number>();
  for (const { tools } of included) for (const t of tools) owners.set(t, (owners.get(t) ?? 0) + 1);
  const entries: PreviewEntry[] = [];
  const shadowed: PreviewEntry[] = [];
  const shortened: string[] = [];
  const seen = new Set<string>();
  for (const { listing, tools } of included) {
    for (const tool of tools) {
      const prefixed = prefixMode === 'always' || (prefixMode === 'on-collision' && (owners.get(tool) ?? 0) > 1);
      const visibleName = prefixed ? `${listing.serverName}${PREFIX_SEPARATOR}${tool}` : tool;
      const entry = { visibleName, serverName: listing.serverName, originalName: tool };
      if (visibleName.length > MAX_TOOL_NAME) shortened.push(visibleName);
      if (seen.has(visibleName)) {
        shadowed.push(entry);
        continue;
      }
      seen.add(visibleName);
      entries.push(entry);
    }
  }
  return { entries, shadowed, shortened };
};

/** Whose view to preview: a virtual key (its own tool scope applies) or a role. */
export type PreviewSubject = { readonly kind: 'key'; readonly keyId: string; readonly scopes: Record<string, unknown> } | { readonly kind: 'role'; readonly role: string };

export interface PreviewDecision extends PreviewEntry {
  readonly allowed: boolean;
  readonly reason: string;
  readonly ruleId?: string;
}

/**
 * What a key or role would be allowed to call from the catalogue: contracts' `evaluateToolCall`,
 * the function the proxy runs on every call, over the tenant's current policies. Policies that do
 * not parse are skipped (the API only stores valid ones).
 */
export const decideForSubject = (entries: readonly PreviewEntry[], subject: PreviewSubject, policies: readonly { name: string; document: Record<string, unknown> }[]): PreviewDecision[] => {
  const parsed = policies.flatMap((p) => {
    const document = PolicyDocument.safeParse(p.document);
    return document.success ? [{ name: p.name, document: document.data }] : [];
  });
  const call: CallSubject =
    subject.kind === 'key'
      ? { keyId: subject.keyId, keyTools: ToolFilter.parse(subject.scopes['tools'] ?? {}), groups: [], roles: [] }
      : { roles: [subject.role], groups: [] };
  return entries.map((e) => {
    const decision = evaluateToolCall(parsed, call, e.visibleName);
    return { ...e, allowed: decision.allowed, reason: decision.reason, ...(decision.ruleId ? { ruleId: decision.ruleId } : {}) };
  });
};

/**
 * Ticking or unticking one tool in the picker: ticking adds its name; unticking removes its name,
 * and when a glob still covers it, spells the glob out as the listed tools it matched, minus this one.
 */
export const toggleTool = (patterns: readonly string[], tool: string, checked: boolean, catalogue: readonly string[]): string[] => {
  if (checked) return patterns.some((g) => matchesGlob(g, tool)) ? [...patterns] : [...patterns, tool];
  const kept = patterns.filter((g) => g !== tool);
  const covering = kept.filter((g) => matchesGlob(g, tool));
  if (covering.length === 0) return kept;
  const expanded = catalogue.filter((t) => t !== tool && covering.some((g) => matchesGlob(g, t)));
  return [...new Set([...kept.filter((g) => !covering.includes(g)), ...expanded])].filter((g) => g !== tool);
};
