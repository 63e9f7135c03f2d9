import { checkpointPayload, ownedCopy, recordHash, recordMac, sameBytes } from './audit-hash.js';
import type { MacKey, SignatureVerifier } from './audit-keys.js';
import { columnsOf, type AcceptedEvent, type AuditColumns } from './audit-record.js';
import type { AuditEvent } from '@mcpgate/contracts';

/** The last record of a tenant's chain (seq 0 and the genesis hash before the first). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: Buffer;
}

/** An event placed in its tenant's chain, as the sink inserts it. */
export interface ChainedRecord {
  readonly event: AcceptedEvent;
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  readonly mac: Buffer;
  readonly macKeyId: string;
}

/** Appends events (all of one tenant, in order) to a chain; pure apart from hashing. */
export const extendChain = (head: ChainHead, events: readonly AcceptedEvent[], macKey: MacKey): { records: ChainedRecord[]; head: ChainHead } => {
  let { seq, hash } = head;
  const records: ChainedRecord[] = [];
  for (const event of events) {
    seq += 1;
    const prevHash = hash;
    hash = recordHash({ tenantId: event.tenantId, seq, eventId: event.eventId, eventJson: event.eventBytes, prevHash });
    records.push({ event, seq, prevHash, hash, mac: recordMac(macKey.key, hash), macKeyId: macKey.keyId });
  }
  // the head outlives the batch (the writer keeps one per tenant): not a view of a shared slab
  return { records, head: { seq, hash: ownedCopy(hash) } };
};

/** A record as read back from the table. */
export interface StoredRecord {
  readonly seq: number;
  readonly eventId: string;
  /** The stored event JSON, exactly as the record hash covers it (the json column keeps its text). */
  readonly eventText: string;
  readonly columns: AuditColumns;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  readonly mac: Buffer;
  readonly macKeyId: string;
}

export interface StoredCheckpoint {
  readonly seq: number;
  readonly headHash: Buffer;
  readonly signedAt: Date;
  readonly keyId: string;
  readonly signature: Buffer;
}

export type AuditProblem = 'altered' | 'removed' | 'inserted' | 'checkpoint_mismatch' | 'bad_signature';

export interface ChainFailure {
  readonly ok: false;
  /** The first seq that is not what the sink wrote. */
  readonly firstBadSeq: number;
  readonly problem: AuditProblem;
  readonly detail: string;
  /** Records and checkpoints verified before the failure. */
  readonly records: number;
  readonly checkpoints: number;
}

export interface ChainSuccess {
  readonly ok: true;
  readonly records: number;
  readonly checkpoints: number;
  /** Last seq verified (the anchor's seq when there were no records). */
  readonly lastSeq: number;
  /** Seq of the last checkpoint whose signature and head matched (or of a checkpoint anchor). */
  readonly lastCheckpointSeq: number | null;
}

export type ChainOutcome = ChainSuccess | ChainFailure;

export interface ChainProgress {
  readonly records: number;
  readonly seq: number;
}

export interface ChainInput {
  readonly tenantId: string;
  /** Where verification starts: seq and hash of the record before the first one read. */
  readonly anchor: ChainHead & { readonly checkpointSeq: number | null };
  /** Records with seq > anchor.seq, ascending (a stream: pages from the database, or an array). */
  readonly records: AsyncIterable<StoredRecord> | Iterable<StoredRecord>;
  /** Checkpoints with seq > anchor.seq, ascending. */
  readonly checkpoints: AsyncIterable<StoredCheckpoint> | Iterable<StoredCheckpoint>;
  /** Verify up to this seq (which must exist); unset: to the end, where no checkpoint may lie beyond the last record. */
  readonly endSeq?: number;
  readonly signatures: SignatureVerifier;
  /** Record MAC keys by id; unset: MACs are not checked (public verification). */
  readonly macKeys?: ReadonlyMap<string, Buffer>;
  readonly onProgress?: (progress: ChainProgress) => void;
  /** How often onProgress is called, in records. Default 10,000. */
  readonly progressEvery?: number;
}

/** An iterator that can look one element ahead. */
class Peekable<T> {
  private readonly iterator: AsyncIterator<T> | Iterator<T>;
  private buffered: IteratorResult<T> | undefined;

  constructor(source: AsyncIterable<T> | Iterable<T>) {
    this.iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  async peek(): Promise<T | undefined> {
    this.buffered ??= await this.iterator.next();
    return this.buffered.done ? undefined : this.buffered.value;
  }

  async next(): Promise<T | undefined> {
    const value = await this.peek();
    if (value !== undefined) this.buffered = undefined;
    return value;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

const hex = (b: Buffer) => b.toString('hex');

/** What one stored record says about itself. */
class RecordCheck {
  readonly event: AuditEvent | undefined;

  constructor(
    readonly tenantId: string,
    readonly record: StoredRecord,
    private readonly macKeys: ReadonlyMap<string, Buffer> | undefined,
  ) {
    try {
      this.event = JSON.parse(record.eventText) as AuditEvent;
    } catch {
      this.event = undefined;
    }
  }

  /** The stored hash is the hash of this content (the event text as stored) placed at `seq`. */
  hashesAt(seq: number): boolean {
    const { eventId, eventText, prevHash, hash } = this.record;
    return sameBytes(recordHash({ tenantId: this.tenantId, seq, eventId, eventJson: eventText, prevHash }), hash);
  }

  /** The stored MAC is the sink's MAC of the stored hash (always true for public verification). */
  get macValid(): boolean {
    if (!this.macKeys) return true;
    const key = this.macKeys.get(this.record.macKeyId);
    return key !== undefined && sameBytes(recordMac(key, this.record.hash), this.record.mac);
  }

  /** The sink wrote this record, at `seq`: content, hash and MAC all agree. */
  authenticAt(seq: number): boolean {
    return this.hashesAt(seq) && this.macValid;
  }

  /** Which column, if any, disagrees with the event JSON it was copied from. */
  columnMismatch(): string | undefined {
    const event = this.event;
    if (!event) return 'event';
    if (event.tenantId !== this.tenantId) return 'tenant_id';
    if (typeof event.eventId !== 'string' || event.eventId.toLowerCase() !== this.record.eventId) return 'event_id';
    let expected: AuditColumns;
    try {
      expected = columnsOf(event);
    } catch {
      return 'event';
    }
    const actual = this.record.columns;
    for (const name of Object.keys(expected) as (keyof AuditColumns)[]) {
      if (expected[name] !== actual[name]) return name;
    }
    return undefined;
  }
}

/**
 * Whether the sink wrote this record at its seq: its hash covers its content and prev_hash, and its
 * MAC is the sink's (what the writer checks of a tenant's last record before extending the chain).
 */
export const recordIsAuthentic = (tenantId: string, record: StoredRecord, macKeys: ReadonlyMap<string, Buffer>): boolean =>
  new RecordCheck(tenantId, record, macKeys).authenticAt(record.seq);

/**
 * Walks one tenant's chain from an anchor and reports the first record that is not what the sink
 * wrote. Per record: the seq is the next one, the prev_hash links to the verified head, the hash
 * covers the content at that seq, the MAC (when keys are given) proves the sink wrote it, and the
 * query columns agree with the event. Each checkpoint on the way must carry a valid signature and
 * the head hash reached at its seq. Reads one record ahead at most, so it streams.
 *
 * Classification of the first bad record at seq s (details in README.md, "Verification"):
 * - removed: seq s is missing (a gap), or the record found at s is an authentic record of a later
 *   seq (later records were renumbered down), or the trail ends before a signed checkpoint.
 * - inserted: a record the sink did not write sits at s and the record after it is the authentic
 *   record s, renumbered up; or it sits at the end of the trail, beyond every checkpoint.
 * - altered: anything else at s: content or columns changed, hash rewritten, record replaced.
 */
export const verifyChain = async (input: ChainInput): Promise<ChainOutcome> => {
  const { tenantId, signatures, macKeys, endSeq, onProgress } = input;
  const progressEvery = input.progressEvery ?? 10_000;
  const records = new Peekable(input.records);
  const checkpoints = new Peekable(input.checkpoints);
  let head = input.anchor.hash;
  let seq = input.anchor.seq;
  // hashes of the last verified records, newest first: recent[i] is the hash at seq - i
  const recent: Buffer[] = [head];
  const RECENT = 9;
  let verifiedRecords = 0;
  let verifiedCheckpoints = 0;
  let lastCheckpointSeq = input.anchor.checkpointSeq;
  const fail = (firstBadSeq: number, problem: AuditProblem, detail: string): ChainFailure => ({
    ok: false,
    firstBadSeq,
    problem,
    detail,
    records: verifiedRecords,
    checkpoints: verifiedCheckpoints,
  });

  const checkSignature = (c: StoredCheckpoint): ChainFailure | undefined => {
    const payload = checkpointPayload({ tenantId, seq: c.seq, headHash: c.headHash, signedAt: c.signedAt, keyId: c.keyId });
    const result = signatures.check(c.keyId, payload, c.signature);
    if (result === 'unknown_key') return fail(c.seq, 'bad_signature', `checkpoint at seq ${c.seq} is signed with key "${c.keyId}", which is not trusted`);
    if (result === 'invalid') return fail(c.seq, 'bad_signature', `the signature of the checkpoint at seq ${c.seq} (key "${c.keyId}") does not verify`);
    return undefined;
  };

  /** A checkpoint exists at or after `s` (so record s existed when it was signed). */
  const signedLater = async (s: number) => {
    const next = await checkpoints.peek();
    return next !== undefined && next.seq >= s;
  };

  const classify = async (check: RecordCheck, s: number): Promise<ChainFailure> => {
    const r = check.record;
    const linked = sameBytes(r.prevHash, head);
    if (check.hashesAt(s) && check.macValid && linked) {
      return fail(s, 'altered', `column ${check.columnMismatch() ?? '?'} of record ${s} does not match its event`);
    }
    if (!check.hashesAt(s) && linked && (macKeys ? check.macValid : true)) {
      return fail(s, 'altered', `the event of record ${s} is not the content its hash covers`);
    }
    for (let k = 1; k < recent.length && k <= 8; k++) {
      if (check.authenticAt(s - k) && sameBytes(r.prevHash, recent[k]!)) {
        // the records accepted at s-k..s-1 hash consistently but are not the sink's (public verification)
        return fail(s - k, 'inserted', `record ${s - k} is found at ${s}: ${k === 1 ? `record ${s - 1} was` : `records ${s - k}..${s - 1} were`} inserted before it`);
      }
    }
    if (check.authenticAt(s) && !linked) {
      // authentic, but the record accepted before it is not the one it was chained to: that one was
      // rewritten consistently (only possible without MAC keys)
      return fail(Math.max(1, s - 1), 'altered', `record ${s} chains to ${hex(r.prevHash).slice(0, 16)}…, not to the verified head of record ${s - 1}`);
    }
    for (let d = 1; d <= 8; d++) {
      if (check.authenticAt(s + d)) return fail(s, 'removed', `record ${s + d} was renumbered to ${s}: ${d === 1 ? `record ${s} is` : `records ${s}..${s + d - 1} are`} missing`);
    }
    const next = await records.peek();
    if (next) {
      const after = new RecordCheck(tenantId, next, macKeys);
      if (next.seq === s + 1 && after.authenticAt(s) && sameBytes(next.prevHash, head)) {
        return fail(s, 'inserted', `record ${s} was not written by the sink: the authentic record ${s} follows it, renumbered to ${s + 1}`);
      }
      if (next.seq === s + 1 && after.authenticAt(s + 1)) {
        return fail(s, 'altered', `record ${s} was replaced: it is not the record that record ${s + 1} chains to`);
      }
    } else if (macKeys && !check.macValid && !(await signedLater(s))) {
      return fail(s, 'inserted', `record ${s}, the last one, was not written by the sink (its MAC does not verify) and no checkpoint covers it`);
    }
    return fail(s, 'altered', `record ${s} does not verify (${!linked ? 'prev_hash does not link' : !check.hashesAt(s) ? 'hash does not match' : 'MAC does not verify'})`);
  };

  try {
    for (;;) {
      for (let c = await checkpoints.peek(); c !== undefined && c.seq <= seq; c = await checkpoints.peek()) {
        await checkpoints.next();
        const bad = checkSignature(c);
        if (bad) return bad;
        if (c.seq < seq) return fail(c.seq, 'checkpoint_mismatch', `checkpoint at seq ${c.seq} is out of order`);
        if (!sameBytes(c.headHash, head)) {
          return fail(c.seq, 'checkpoint_mismatch', `the signed head at seq ${c.seq} is ${hex(c.headHash).slice(0, 16)}…, the chain reaches ${hex(head).slice(0, 16)}…: records up to ${c.seq} were rewritten`);
        }
        verifiedCheckpoints += 1;
        lastCheckpointSeq = c.seq;
      }
      if (endSeq !== undefined && seq >= endSeq) break;
      const record = await records.next();
      if (!record) break;
      const s = seq + 1;
      if (record.seq < s) return fail(record.seq, 'inserted', `a second record with seq ${record.seq}`);
      if (record.seq > s) {
        return fail(s, 'removed', record.seq === s + 1 ? `record ${s} is missing` : `records ${s}..${record.seq - 1} are missing`);
      }
      const check = new RecordCheck(tenantId, record, macKeys);
      if (!(check.authenticAt(s) && sameBytes(record.prevHash, head) && check.columnMismatch() === undefined)) return await classify(check, s);
      head = record.hash;
      seq = s;
      recent.unshift(head);
      if (recent.length > RECENT) recent.pop();
      verifiedRecords += 1;
      if (onProgress && verifiedRecords % progressEvery === 0) onProgress({ records: verifiedRecords, seq });
    }
    if (endSeq !== undefined && seq < endSeq) return fail(seq + 1, 'removed', `the trail ends at seq ${seq}, before seq ${endSeq}`);
    const beyond = await checkpoints.next();
    if (beyond) {
      const bad = checkSignature(beyond);
      if (bad) return bad;
      return fail(seq + 1, 'removed', `a checkpoint signs seq ${beyond.seq}, but the trail ends at seq ${seq}: records ${seq + 1}..${beyond.seq} are missing`);
    }
    onProgress?.({ records: verifiedRecords, seq });
    return { ok: true, records: verifiedRecords, checkpoints: verifiedCheckpoints, lastSeq: seq, lastCheckpointSeq };
  } finally {
    await Promise.all([records.close(), checkpoints.close()]);
  }
};
