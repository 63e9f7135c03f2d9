import type { ExporterStatus } from '../evidence-data.js';
import { CsvWriter } from './csv-file.js';

/** csv/exporter-delivery.csv: each SIEM exporter's delivery state at generation time. */
export const exporterDeliveryCsv = (exporters: readonly ExporterStatus[]): CsvWriter => {
  const csv = new CsvWriter([
    'exporter_id', 'name', 'kind', 'status', 'enabled', 'cursor_seq', 'head_seq', 'lag', 'delivered', 'last_delivery_at', 'last_error', 'last_error_at', 'consecutive_failures', 'dead_letters', 'dead_letter_events',
  ]);
  for (const e of exporters) {
    csv.row([e.exporterId, e.name, e.kind, e.status, e.enabled, e.cursorSeq, e.headSeq, e.lag, e.delivered, e.lastDeliveryAt, e.lastError, e.lastErrorAt, e.consecutiveFailures, e.deadLetters, e.deadLetterEvents]);
  }
  return csv;
};
