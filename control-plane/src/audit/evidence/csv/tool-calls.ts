import type { ToolCallRecord } from '../evidence-data.js';
import { CsvWriter } from './csv-file.js';

const CALL_COLUMNS = ['time', 'event_id', 'seq', 'principal', 'key_id', 'tool', 'method', 'upstream_server_id', 'virtual_server_id', 'outcome', 'reason', 'latency_ms', 'region', 'policy_version', 'deciding_rule', 'cost'] as const;

const callCells = (r: ToolCallRecord) => [r.time, r.eventId, r.seq, r.principal, r.keyId, r.tool, r.method, r.upstreamServerId, r.virtualServerId, r.outcome, r.reason, r.latencyMs, r.region, r.policyLogPosition, r.ruleId, r.cost];

/** csv/tool-calls.csv: every tool-call record of the period, oldest first. */
export const toolCallsCsv = (spool?: string) => {
  const csv = new CsvWriter(CALL_COLUMNS, spool);
  return { csv, add: (r: ToolCallRecord) => csv.row(callCells(r)) };
};

/** csv/denials.csv: the denied calls with their reason, message and rule. */
export const denialsCsv = (spool?: string) => {
  const csv = new CsvWriter(['time', 'event_id', 'seq', 'principal', 'key_id', 'tool', 'upstream_server_id', 'reason', 'deciding_rule', 'message', 'policy_version', 'region'], spool);
  return {
    csv,
    add: (r: ToolCallRecord) => {
      if (r.outcome === 'denied') csv.row([r.time, r.eventId, r.seq, r.principal, r.keyId, r.tool, r.upstreamServerId, r.reason, r.ruleId, r.message, r.policyLogPosition, r.region]);
    },
  };
};

/** csv/phi-access.csv (HIPAA): every call to a PHI-tagged server or PHI tool, and why it counts. */
export const phiAccessCsv = (spool?: string) => {
  const csv = new CsvWriter(['time', 'event_id', 'seq', 'principal', 'key_id', 'tool', 'upstream_server_id', 'outcome', 'reason', 'deciding_rule', 'policy_version', 'phi_because'], spool);
  return { csv, add: (r: ToolCallRecord, because: string) => csv.row([r.time, r.eventId, r.seq, r.principal, r.keyId, r.tool, r.upstreamServerId, r.outcome, r.reason, r.ruleId, r.policyLogPosition, because]) };
};
