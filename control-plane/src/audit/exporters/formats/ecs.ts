import { isAdminRecord, principalDomain, principalName, type ExportRecord } from '../export-record.js';

/** The ECS version the documents follow. */
export const ECS_VERSION = '8.11.0';

const OUTCOME = { allowed: 'success', denied: 'failure', failed: 'failure' } as const;

/**
 * One audit record as an Elastic Common Schema document: `@timestamp`, `event.*`, `user.*`,
 * `service.*`, `cloud.*`, `observer.*`, `organization.*`, `rule.*`, `trace.*`; what ECS has no
 * field for is under `mcpgate.*`.
 */
export const toEcs = (record: ExportRecord): Record<string, unknown> => {
  const { event } = record;
  const admin = isAdminRecord(event);
  const outcome = event.decision.outcome;
  const domain = principalDomain(event);
  const change = (event as { change?: unknown }).change;
  return {
    '@timestamp': event.time,
    ecs: { version: ECS_VERSION },
    message: [event.method, event.tool, outcome].filter(Boolean).join(' '),
    event: {
      id: event.eventId,
      kind: 'event',
      category: admin ? ['configuration', 'iam'] : ['api'],
      type: admin ? ['change'] : ['access', outcome === 'denied' ? 'denied' : outcome === 'allowed' ? 'allowed' : 'error'],
      action: event.method,
      outcome: OUTCOME[outcome] ?? 'unknown',
      reason: event.decision.reason,
      duration: Math.round(event.latencyMs * 1_000_000),
      dataset: 'mcpgate.audit',
      module: 'mcpgate',
      provider: admin ? 'control-plane' : 'proxy',
      sequence: record.seq,
      created: event.time,
    },
    user: { id: principalName(event), name: principalName(event), ...(domain ? { domain } : {}) },
    service: { name: event.upstreamServerId ?? 'mcpgate', type: 'mcp' },
    cloud: { region: event.region },
    observer: { name: event.proxyId, product: 'mcpgate', vendor: 'mcpgate', type: 'gateway' },
    organization: { id: record.tenantId },
    ...(event.decision.ruleId ? { rule: { id: event.decision.ruleId } } : {}),
    ...(event.traceId ? { trace: { id: event.traceId } } : {}),
    mcpgate: {
      seq: record.seq,
      hash: record.hash,
      record_kind: admin ? 'admin' : 'tool-call',
      principal_kind: event.principal.kind,
      policy_version: event.policyVersion,
      ...(event.tool ? { tool: event.tool } : {}),
      ...(event.virtualServerId ? { virtual_server_id: event.virtualServerId } : {}),
      ...(event.upstreamServerId ? { upstream_server_id: event.upstreamServerId } : {}),
      ...(event.argumentsHash ? { arguments_hash: event.argumentsHash } : {}),
      ...(event.cost !== undefined ? { cost: event.cost } : {}),
      ...(event.sessionId ? { session_id: event.sessionId } : {}),
      ...(event.decision.message ? { decision_message: event.decision.message } : {}),
      ...(change ? { change } : {}),
    },
  };
};

/**
 * An Elasticsearch / OpenSearch `_bulk` body: per record a `create` action with the event id as
 * `_id` (a redelivered record is refused with 409 instead of indexed twice) and its ECS document,
 * each on one line, ending with a newline as the bulk API requires.
 */
export const formatBulk = (records: readonly ExportRecord[], index: string): string =>
  records.map((record) => `${JSON.stringify({ create: { _index: index, _id: record.event.eventId } })}\n${JSON.stringify(toEcs(record))}\n`).join('');
