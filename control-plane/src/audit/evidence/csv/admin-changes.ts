import { describeActor } from '../evidence-request.js';
import type { AdminChange } from '../evidence-data.js';
import { CsvWriter } from './csv-file.js';

const json = (value: unknown): string => (value === null || value === undefined ? '' : JSON.stringify(value));

/**
 * csv/admin-changes.csv: every applied change with actor, event and the aggregate's state before
 * and after (secrets redacted) from the admin activity read model. Where a row has no recorded
 * state (`state_source` = `event`), `after` is the event's data (the new values) and `before` is empty.
 */
export const adminChangesCsv = (spool?: string) => {
  const csv = new CsvWriter(['time', 'event_id', 'actor', 'event_type', 'stream', 'stream_version', 'correlation_id', 'log_position', 'before', 'after', 'state_source'], spool);
  return {
    csv,
    add: (c: AdminChange) => {
      const recorded = c.before !== null || c.after !== null;
      csv.row([c.time, c.eventId, describeActor(c.actor), c.type, c.streamId, c.streamVersion, c.correlationId, c.logPosition, json(c.before), json(recorded ? c.after : c.data), recorded ? 'read-model' : 'event']);
    },
  };
};

/** The events that make a key's or token's lifecycle. */
export const KEY_LIFECYCLE_EVENTS = ['VirtualKeyIssued', 'VirtualKeyRotated', 'VirtualKeyRevoked', 'ApiTokenIssued', 'ApiTokenRevoked'] as const;

const STEP: Record<string, string> = { VirtualKeyIssued: 'issued', VirtualKeyRotated: 'rotated', VirtualKeyRevoked: 'revoked', ApiTokenIssued: 'issued', ApiTokenRevoked: 'revoked' };

/** csv/key-lifecycle.csv: issue, rotation, revocation (from the event log) and expiry of keys and tokens. */
export const keyLifecycleCsv = () => {
  const csv = new CsvWriter(['time', 'credential_kind', 'credential_id', 'name', 'step', 'actor', 'detail', 'event_id']);
  return {
    csv,
    addChange: (c: AdminChange, name: string) => {
      const data = (c.data ?? {}) as Record<string, unknown>;
      const isKey = c.type.startsWith('VirtualKey');
      const id = isKey ? c.streamId.replace(/^virtual-key-/, '') : String(data['tokenId'] ?? '');
      const detail = c.type.endsWith('Revoked') ? `reason: ${String(data['reason'] ?? '')}` : data['expiresAt'] ? `expires ${String(data['expiresAt'])}` : '';
      csv.row([c.time, isKey ? 'virtual-key' : 'api-token', id, name, STEP[c.type] ?? c.type, describeActor(c.actor), detail, c.eventId]);
    },
    addExpiry: (at: Date, kind: 'virtual-key' | 'api-token', id: string, name: string) => csv.row([at, kind, id, name, 'expired', 'system:expiry', 'reached its expiry time', '']),
  };
};
