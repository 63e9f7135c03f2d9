import type { AuditBucketInterval, AuditFilterInput } from '../../generated/gql/graphql';

/** Time windows a user picks with one click; `custom` uses `from`/`to`, `all` has no bound. */
export const RANGE_PRESETS = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000, interval: 'MINUTE' },
  { value: '1h', label: 'Last hour', ms: 3_600_000, interval: 'MINUTE' },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000, interval: 'HOUR' },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, interval: 'HOUR' },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, interval: 'DAY' },
  { value: 'all', label: 'All time', ms: undefined, interval: 'DAY' },
  { value: 'custom', label: 'Custom range', ms: undefined, interval: 'HOUR' },
] as const satisfies readonly { value: string; label: string; ms: number | undefined; interval: AuditBucketInterval }[];

export type RangePreset = (typeof RANGE_PRESETS)[number]['value'];
export const DEFAULT_RANGE: RangePreset = '24h';
export const OUTCOMES = ['allowed', 'denied', 'failed'] as const;
export const KINDS = ['TOOL_CALL', 'ADMIN'] as const;

/** The explorer's filters as the URL holds them: every field a plain string, '' when unset. */
export interface AuditFilterState {
  readonly range: RangePreset;
  readonly from: string;
  readonly to: string;
  readonly principal: string;
  readonly keyId: string;
  readonly tool: string;
  readonly server: string;
  readonly virtualServer: string;
  readonly outcome: string;
  readonly region: string;
  readonly policyVersion: string;
  readonly kind: string;
}

/** Field → query-string name; short names keep shared links readable. */
const PARAM: Record<keyof AuditFilterState, string> = {
  range: 'range',
  from: 'from',
  to: 'to',
  principal: 'principal',
  keyId: 'key',
  tool: 'tool',
  server: 'server',
  virtualServer: 'vserver',
  outcome: 'outcome',
  region: 'region',
  policyVersion: 'policy',
  kind: 'kind',
};

export const FILTER_PARAMS: readonly string[] = Object.values(PARAM);

const isPreset = (value: string): value is RangePreset => RANGE_PRESETS.some((p) => p.value === value);

/** Reads the filters from a query string; unknown presets, outcomes and kinds fall back to none. */
export const filtersFromParams = (params: URLSearchParams): AuditFilterState => {
  const get = (field: keyof AuditFilterState) => params.get(PARAM[field])?.trim() ?? '';
  const range = get('range');
  const outcome = get('outcome');
  const kind = get('kind');
  return {
    range: isPreset(range) ? range : DEFAULT_RANGE,
    from: get('from'),
    to: get('to'),
    principal: get('principal'),
    keyId: get('keyId'),
    tool: get('tool'),
    server: get('server'),
    virtualServer: get('virtualServer'),
    outcome: (OUTCOMES as readonly string[]).includes(outcome) ? outcome : '',
    region: get('region'),
    policyVersion: get('policyVersion'),
    kind: (KINDS as readonly string[]).includes(kind) ? kind : '',
  };
};

/**
 * Writes filters into a query string, keeping parameters that are not filters (the view, …) and
 * leaving out defaults, so the plain explorer has a plain URL.
 */
export const filtersToParams = (state: AuditFilterState, base = new URLSearchParams()): URLSearchParams => {
  const params = new URLSearchParams(base);
  for (const [field, name] of Object.entries(PARAM) as [keyof AuditFilterState, string][]) {
    const value = state[field];
    const keep = field === 'range' ? value !== DEFAULT_RANGE : field === 'from' || field === 'to' ? state.range === 'custom' && value !== '' : value !== '';
    if (keep) params.set(name, value);
    else params.delete(name);
  }
  return params;
};

export class AuditFilterProblem extends Error {
  constructor(
    readonly field: 'from' | 'to',
    message: string,
  ) {
    super(message);
    this.name = 'AuditFilterProblem';
  }
}

const parseTime = (field: 'from' | 'to', value: string): string | undefined => {
  if (!value) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new AuditFilterProblem(field, `“${value}” is not a date and time`);
  return time.toISOString();
};

/**
 * The API filter for the state at `now`: presets become a `from` bound, custom ranges are checked
 * (a readable date, `from` before `to`) and throw {@link AuditFilterProblem} otherwise.
 */
export const toAuditFilter = (state: AuditFilterState, now: Date): AuditFilterInput => {
  const filter: AuditFilterInput = {};
  const preset = RANGE_PRESETS.find((p) => p.value === state.range);
  if (state.range === 'custom') {
    const from = parseTime('from', state.from);
    const to = parseTime('to', state.to);
    if (from && to && from >= to) throw new AuditFilterProblem('to', 'The end of the range must come after its start');
    if (from) filter.from = from;
    if (to) filter.to = to;
  } else if (preset?.ms !== undefined) {
    filter.from = new Date(now.getTime() - preset.ms).toISOString();
  }
  if (state.principal) filter.principal = { subject: state.principal };
  if (state.keyId) filter.keyId = state.keyId;
  if (state.tool) filter.tool = state.tool;
  if (state.server) filter.upstreamServerId = state.server;
  if (state.virtualServer) filter.virtualServerId = state.virtualServer;
  if (state.outcome) filter.outcome = state.outcome;
  if (state.region) filter.region = state.region;
  if (state.policyVersion) filter.policyVersion = state.policyVersion;
  if (state.kind === 'TOOL_CALL' || state.kind === 'ADMIN') filter.kind = state.kind;
  return filter;
};

/** The live tail follows new records: the same filter without the time window. */
export const toTailFilter = (filter: AuditFilterInput): AuditFilterInput => {
  const { from: _from, to: _to, ...rest } = filter;
  return rest;
};

export const bucketInterval = (range: RangePreset): AuditBucketInterval => RANGE_PRESETS.find((p) => p.value === range)?.interval ?? 'HOUR';

/** How many filters narrow the view besides the time range (shown on the "Clear" button). */
export const activeFilterCount = (state: AuditFilterState): number =>
  (['principal', 'keyId', 'tool', 'server', 'virtualServer', 'outcome', 'region', 'policyVersion', 'kind'] as const).filter((f) => state[f] !== '').length;
