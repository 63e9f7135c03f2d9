import { epochSeconds, isAdminRecord, nativeJson, type ExportRecord } from '../export-record.js';

export interface SplunkHecOptions {
  readonly index?: string | undefined;
  readonly source: string;
  readonly sourcetype: string;
}

/** The path of HEC's JSON event endpoint, under the collector's base URL. */
export const SPLUNK_HEC_EVENT_PATH = '/services/collector/event';

/**
 * A Splunk HEC `/services/collector/event` body: one JSON event object per record, concatenated
 * with newlines (HEC reads a stream of objects, not an array). `time` is epoch seconds with
 * milliseconds; `fields` are indexed fields, which HEC accepts only as strings or string arrays.
 */
export const formatSplunkHec = (records: readonly ExportRecord[], options: SplunkHecOptions): string =>
  records
    .map((record) => {
      const { event } = record;
      return JSON.stringify({
        time: epochSeconds(event.time),
        host: event.proxyId,
        source: options.source,
        sourcetype: options.sourcetype,
        ...(options.index ? { index: options.index } : {}),
        event: nativeJson(record),
        fields: {
          tenant_id: record.tenantId,
          seq: String(record.seq),
          record_kind: isAdminRecord(event) ? 'admin' : 'tool-call',
          outcome: event.decision.outcome,
          region: event.region,
          ...(event.tool ? { tool: event.tool } : {}),
        },
      });
    })
    .join('\n');
