import { isAdminRecord, type ExportRecord } from '../export-record.js';

/** Private enterprise number 32473, reserved for documentation (RFC 5612), in the SD-ID `mcpgate@32473`. */
export const SD_ID = 'mcpgate@32473';

const SEVERITY = { allowed: 6, denied: 4, failed: 3 } as const;

/** RFC 5424 header fields are PRINTUSASCII (33–126) with a maximum length; anything else becomes `_`, empty becomes `-`. */
export const headerField = (value: string | undefined, max: number): string => {
  const cleaned = (value ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return cleaned === '' ? '-' : cleaned;
};

/** SD-PARAM values escape `"`, `\` and `]` with a backslash (RFC 5424 §6.3.3). */
export const escapeSdValue = (value: string): string => value.replace(/[\\"\]]/g, (c) => `\\${c}`);

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`, with the
 * proxy as HOSTNAME, `mcpgate` as APP-NAME, `audit` or `admin` as MSGID, the tenant, seq and event
 * id as structured data, and the CEF or LEEF line as MSG. PRI = facility × 8 + severity (allowed:
 * informational, denied: warning, failed: error).
 */
export const formatSyslogMessage = (record: ExportRecord, payload: string, facility: number): string => {
  const { event } = record;
  const pri = facility * 8 + (SEVERITY[event.decision.outcome] ?? 5);
  const sd = `[${SD_ID} tenant="${escapeSdValue(record.tenantId)}" seq="${record.seq}" eventId="${escapeSdValue(event.eventId)}"]`;
  return `<${pri}>1 ${event.time} ${headerField(event.proxyId, 255)} mcpgate - ${isAdminRecord(event) ? 'admin' : 'audit'} ${sd} ${payload}`;
};

/** RFC 6587 octet-counting framing: `<length in bytes> <message>`; a message may then contain any byte, line breaks included. */
export const octetCounted = (message: string): string => `${Buffer.byteLength(message, 'utf8')} ${message}`;
