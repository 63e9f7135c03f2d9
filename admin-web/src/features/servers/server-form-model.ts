export type Transport = 'stdio' | 'sse' | 'streamable-http';

export interface EndpointForm {
  id: string;
  url: string;
  command: string;
  args: string[];
}

/** What the register/edit form holds; `toConfig` turns it into an UpstreamServerConfig. */
export interface ServerForm {
  name: string;
  description: string;
  transport: Transport;
  endpoints: EndpointForm[];
  regions: string[];
  tags: string[];
}

export const emptyEndpoint = (index: number): EndpointForm => ({ id: index === 0 ? 'primary' : `endpoint-${index + 1}`, url: '', command: '', args: [] });

export const emptyServerForm = (regions: readonly string[]): ServerForm => ({
  name: '',
  description: '',
  transport: 'streamable-http',
  endpoints: [emptyEndpoint(0)],
  regions: [...regions],
  tags: [],
});

interface StoredEndpoint {
  id: string;
  url?: string;
  command?: string;
  args?: string[];
}

/** The form for an existing server's configuration. */
export const formFromConfig = (config: Record<string, unknown>): ServerForm => {
  const connection = config['connection'] as { transport: Transport; endpoints: StoredEndpoint[] };
  return {
    name: String(config['name'] ?? ''),
    description: String(config['description'] ?? ''),
    transport: connection.transport,
    endpoints: connection.endpoints.map((e) => ({ id: e.id, url: e.url ?? '', command: e.command ?? '', args: e.args ?? [] })),
    regions: (config['regions'] as string[] | undefined) ?? [],
    tags: (config['tags'] as string[] | undefined) ?? [],
  };
};

/**
 * The whole configuration to send (reconfiguring replaces all of it): what the form edits, plus
 * what it does not show (timeouts, health checks, credential, endpoint env) kept from `previous`.
 */
export const toConfig = (form: ServerForm, previous?: Record<string, unknown>): Record<string, unknown> => {
  const previousEndpoints = ((previous?.['connection'] as { endpoints?: Record<string, unknown>[] } | undefined)?.endpoints ?? []) as Record<string, unknown>[];
  const endpoints = form.endpoints.map((e) => {
    const before = previousEndpoints.find((p) => p['id'] === e.id) ?? {};
    return form.transport === 'stdio'
      ? { env: {}, regions: [], ...pick(before, ['env', 'cwd', 'regions']), id: e.id.trim(), command: e.command.trim(), args: e.args }
      : { regions: [], ...pick(before, ['regions']), id: e.id.trim(), url: e.url.trim() };
  });
  const { name: _n, description: _d, connection: _c, regions: _r, tags: _t, ...kept } = previous ?? {};
  return { ...kept, name: form.name.trim(), description: form.description, connection: { transport: form.transport, endpoints }, regions: form.regions, tags: form.tags };
};

const pick = (source: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));

/** One line per endpoint for the list: the URL, or the command line of a stdio server. */
export const describeEndpoints = (config: Record<string, unknown>): string[] => {
  const connection = config['connection'] as { endpoints?: StoredEndpoint[] } | undefined;
  return (connection?.endpoints ?? []).map((e) => `${e.id}: ${e.url ?? [e.command, ...(e.args ?? [])].map((part) => (part && part.length > 60 ? `…${part.slice(-40)}` : part)).join(' ')}`);
};
