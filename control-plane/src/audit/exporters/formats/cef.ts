import { isAdminRecord, policyVersionText, principalName, type ExportRecord } from '../export-record.js';

/** CEF header fields: backslash and pipe escaped; line breaks have no place in a header. */
export const escapeCefHeader = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** CEF extension values: backslash and equals escaped, line breaks as \n and \r (ArcSight CEF spec). */
export const escapeCefValue = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r\n|\n/g, '\\n').replace(/\r/g, '\\r');

const SEVERITY = { allowed: 3, failed: 5, denied: 7 } as const;

/** The product version in every CEF/LEEF header. */
export const PRODUCT_VERSION = '1';

/**
 * One record as an ArcSight CEF:0 line:
 * `CEF:0|mcpgate|mcpgate|1|<method>|<name>|<severity>|<extension>`. Standard keys where CEF has
 * them (rt, externalId, suser, act, outcome, reason, dvchost, msg, deviceFacility); the rest as
 * labelled custom strings and numbers (cs1–cs6, cn1–cn2).
 */
export const formatCef = (record: ExportRecord): string => {
  const { event } = record;
  const outcome = event.decision.outcome;
  const name = [isAdminRecord(event) ? 'admin change' : event.method, event.tool, outcome].filter(Boolean).join(' ');
  const extension: [string, string | number | undefined][] = [
    ['rt', Date.parse(event.time)],
    ['externalId', event.eventId],
    ['suser', principalName(event)],
    ['act', outcome],
    ['outcome', outcome === 'allowed' ? 'success' : 'failure'],
    ['reason', event.decision.reason],
    ['dvchost', event.proxyId],
    ['deviceFacility', event.region],
    ['msg', event.decision.message],
    ['cs1Label', 'tenantId'],
    ['cs1', record.tenantId],
    ['cs2Label', 'tool'],
    ['cs2', event.tool],
    ['cs3Label', 'policyVersion'],
    ['cs3', policyVersionText(event)],
    ['cs4Label', 'virtualServerId'],
    ['cs4', event.virtualServerId],
    ['cs5Label', 'upstreamServerId'],
    ['cs5', event.upstreamServerId],
    ['cs6Label', 'traceId'],
    ['cs6', event.traceId],
    ['cn1Label', 'latencyMs'],
    ['cn1', Math.round(event.latencyMs)],
    ['cn2Label', 'seq'],
    ['cn2', record.seq],
    ['cfp1Label', event.cost === undefined ? undefined : 'cost'],
    ['cfp1', event.cost],
  ];
  const ext = extension
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeCefValue(String(value))}`)
    .join(' ');
  return ['CEF:0', 'mcpgate', 'mcpgate', PRODUCT_VERSION, escapeCefHeader(event.method), escapeCefHeader(name), String(SEVERITY[outcome] ?? 5), ext].join('|');
};
