import { CommitHeader, commitConsistencyIssues, parseControlEvent, type CommitRecord, type ControlEvent } from '@mcpgate/contracts';
import { isCanonicalCommitHeader, isCanonicalEvent, type CommitHeaderFields } from './canonical-event-check.js';

/** A commit read from the log whose every event is known and valid. */
export interface DecodedCommit {
  readonly commitId: string;
  readonly tenantId: string;
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly ControlEvent[];
}

export type DecodeResult = { ok: true; commit: DecodedCommit } | { ok: false; issues: string[]; tenantId?: string };

export const encodeCommit = (commit: CommitRecord): Buffer => Buffer.from(JSON.stringify(commit), 'utf8');

/**
 * Decodes one log record. Never throws: a record that is not JSON, not a commit, or holds an event
 * this version does not know is reported with its issues, so the caller can quarantine it and go on.
 */
export const decodeCommit = (value: Buffer): DecodeResult => {
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { ok: false, issues: [`not JSON: ${(error as Error).message}`] };
  }
  // the header is checked here and each event once, by its own schema (metadata included); what is
  // already in the form the schema returns is taken as it is (canonical-event-check.ts), the rest
  // goes through zod, which fills defaults, drops unknown fields and words the issues
  let header: CommitHeaderFields;
  if (isCanonicalCommitHeader(raw)) header = raw;
  else {
    const envelope = CommitHeader.safeParse(raw);
    if (!envelope.success) return { ok: false, issues: envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
    header = envelope.data;
  }
  const events: ControlEvent[] = [];
  for (const candidate of header.events) {
    if (isCanonicalEvent(candidate)) {
      events.push(candidate);
      continue;
    }
    const parsed = parseControlEvent(candidate);
    if (!parsed.ok) return { ok: false, tenantId: header.tenantId, issues: parsed.issues };
    events.push(parsed.event);
  }
  const inconsistent = commitConsistencyIssues(header, events);
  if (inconsistent.length) return { ok: false, tenantId: header.tenantId, issues: inconsistent.map((i) => `events.${i.index}.metadata: ${i.message}`) };
  const { commitId, tenantId, streamId, expectedVersion } = header;
  return { ok: true, commit: { commitId, tenantId, streamId, expectedVersion, events } };
};
