import { isAdminRecord, policyVersionText, principalDomain, principalName, type ExportRecord } from '../export-record.js';
import { PRODUCT_VERSION } from './cef.js';

/** LEEF header fields: backslash and pipe escaped, no line breaks. */
export const escapeLeefHeader = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n\t]+/g, ' ');

/** The attribute delimiter, declared in the LEEF 2.0 header. */
export const LEEF_DELIMITER = '^';

/**
 * LEEF attribute values. The delimiter is `^`, not LEEF 1.0's tab: syslog relays such as rsyslog
 * rewrite control characters on receipt (a tab arrives as `#011`), which would merge attributes.
 * A `^`, a backslash, a tab or a line break inside a value is written as `\^`, `\\`, `\t`, `\n`,
 * `\r`, so a value never ends an attribute or a line early and the message has no control characters.
 */
export const escapeLeefValue = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\^/g, '\\^').replace(/\t/g, '\\t').replace(/\r\n|\n/g, '\\n').replace(/\r/g, '\\r');

const SEVERITY = { allowed: 3, failed: 5, denied: 7 } as const;

/**
 * One record as IBM QRadar LEEF 2.0:
 * `LEEF:2.0|mcpgate|mcpgate|1|<event id>|^|key=value^key=value…`. The LEEF event id is the
 * kind of record and outcome (`tools/call:denied`); predefined keys where LEEF has them (devTime,
 * devTimeFormat, cat, sev, usrName, identHostName, resource, policy), the rest by name.
 */
export const formatLeef = (record: ExportRecord): string => {
  const { event } = record;
  const outcome = event.decision.outcome;
  const domain = principalDomain(event);
  const attributes: [string, string | number | undefined][] = [
    ['devTime', event.time],
    ['devTimeFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSX"],
    ['cat', isAdminRecord(event) ? 'admin' : 'tool-call'],
    ['sev', SEVERITY[outcome] ?? 5],
    ['usrName', principalName(event)],
    ['domain', domain],
    ['identHostName', event.proxyId],
    ['resource', event.tool],
    ['policy', policyVersionText(event)],
    ['outcome', outcome],
    ['reason', event.decision.reason],
    ['ruleId', event.decision.ruleId],
    ['msg', event.decision.message],
    ['eventId', event.eventId],
    ['tenantId', record.tenantId],
    ['seq', record.seq],
    ['region', event.region],
    ['method', event.method],
    ['virtualServerId', event.virtualServerId],
    ['upstreamServerId', event.upstreamServerId],
    ['traceId', event.traceId],
    ['latencyMs', Math.round(event.latencyMs)],
    ['cost', event.cost],
  ];
  const body = attributes
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeLeefValue(String(value))}`)
    .join(LEEF_DELIMITER);
  return `LEEF:2.0|mcpgate|mcpgate|${PRODUCT_VERSION}|${escapeLeefHeader(`${event.method}:${outcome}`)}|${LEEF_DELIMITER}|${body}`;
};
