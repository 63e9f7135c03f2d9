import { isAdminRecord, principalDomain, principalName, type ExportRecord } from '../export-record.js';

/** The OCSF schema version the events follow. */
export const OCSF_VERSION = '1.3.0';
export const OCSF_API_ACTIVITY_CLASS = 6003;
const CATEGORY_APPLICATION_ACTIVITY = 6;

/** API Activity activity ids: Create 1, Read 2, Update 3, Delete 4, Other 99. A tool call is "Other", named by its method. */
const activityOf = (record: ExportRecord): { id: number; name: string } => {
  const { event } = record;
  if (isAdminRecord(event)) {
    const type = (event as { change?: { type?: string } }).change?.type ?? '';
    if (/(Created|Registered|Issued|Stored)$/.test(type)) return { id: 1, name: 'Create' };
    if (/(Deleted|Removed|Revoked)$/.test(type)) return { id: 4, name: 'Delete' };
    return { id: 3, name: 'Update' };
  }
  if (/\/(list|get|read)$/.test(event.method)) return { id: 2, name: 'Read' };
  return { id: 99, name: event.method };
};

const SEVERITY = { allowed: { id: 1, name: 'Informational' }, failed: { id: 2, name: 'Low' }, denied: { id: 3, name: 'Medium' } } as const;

/**
 * One record as an OCSF API Activity event (class_uid 6003, category 6 Application Activity) with
 * the required attributes (activity_id, actor, api, category_uid, class_uid, cloud, metadata,
 * severity_id, src_endpoint, time, type_uid) and status, disposition and duration. What OCSF has no
 * attribute for is in `unmapped`.
 */
export const toOcsfApiActivity = (record: ExportRecord): Record<string, unknown> => {
  const { event } = record;
  const activity = activityOf(record);
  const outcome = event.decision.outcome;
  const severity = SEVERITY[outcome] ?? { id: 0, name: 'Unknown' };
  const domain = principalDomain(event);
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY_APPLICATION_ACTIVITY,
    category_name: 'Application Activity',
    class_uid: OCSF_API_ACTIVITY_CLASS,
    class_name: 'API Activity',
    type_uid: OCSF_API_ACTIVITY_CLASS * 100 + activity.id,
    type_name: `API Activity: ${activity.name}`,
    time: Date.parse(event.time),
    duration: Math.round(event.latencyMs),
    severity_id: severity.id,
    severity: severity.name,
    status_id: outcome === 'allowed' ? 1 : 2,
    status: outcome === 'allowed' ? 'Success' : 'Failure',
    status_code: event.decision.reason,
    ...(event.decision.message ? { status_detail: event.decision.message } : {}),
    // disposition: 1 Allowed, 2 Blocked (a denial by policy)
    ...(outcome === 'failed' ? {} : { disposition_id: outcome === 'allowed' ? 1 : 2, disposition: outcome === 'allowed' ? 'Allowed' : 'Blocked' }),
    metadata: {
      version: OCSF_VERSION,
      uid: event.eventId,
      tenant_uid: record.tenantId,
      sequence: record.seq,
      log_name: 'mcpgate.audit',
      product: { name: 'mcpgate', vendor_name: 'mcpgate', version: '1', feature: { name: isAdminRecord(event) ? 'control-plane' : 'proxy' } },
      ...(event.traceId ? { correlation_uid: event.traceId } : {}),
    },
    actor: {
      user: { uid: principalName(event), name: principalName(event), type: event.principal.kind, ...(domain ? { domain } : {}) },
      ...(event.sessionId ? { session: { uid: event.sessionId } } : {}),
    },
    api: {
      operation: event.method,
      service: { name: event.upstreamServerId ?? 'mcpgate' },
      request: { uid: event.eventId },
    },
    cloud: { provider: 'mcpgate', region: event.region },
    src_endpoint: { name: event.sessionId ?? principalName(event) },
    dst_endpoint: { name: event.proxyId },
    ...(event.tool ? { resources: [{ name: event.tool, type: 'mcp-tool', ...(event.virtualServerId ? { group: { uid: event.virtualServerId } } : {}) }] } : {}),
    unmapped: {
      hash: record.hash,
      policy_version: event.policyVersion,
      ...(event.decision.ruleId ? { rule_id: event.decision.ruleId } : {}),
      ...(event.argumentsHash ? { arguments_hash: event.argumentsHash } : {}),
      ...(event.cost !== undefined ? { cost: event.cost } : {}),
      ...((event as { change?: unknown }).change ? { change: (event as { change?: unknown }).change } : {}),
    },
  };
};
