import { verifyChain, type AuditProblem, type ChainHead, type ChainProgress, type StoredCheckpoint } from './audit-chain.js';
import { checkpointPayload, genesisHash, retentionPayload, sameBytes } from './audit-hash.js';
import { SignatureVerifier, type AuditTrustedKeys } from './audit-keys.js';
import {
  checkpointAtOrAfter,
  checkpointBefore,
  retentions,
  seqSpan,
  streamCheckpoints,
  streamRecords,
  type Sql,
} from './audit-store.js';
import type { PublishedCheckpoint } from './checkpoint-publisher.js';

export interface VerifyAuditTrailOptions {
  readonly tenantId: string;
  /** Verify the events from this time on (with the chain around them); unset: from the start. */
  readonly from?: Date;
  /** ...up to this time; unset: to the end. */
  readonly to?: Date;
  readonly keys: AuditTrustedKeys;
  /**
   * Checkpoints published outside the database (the `mcpgate.audit-checkpoints` topic): each one
   * must match the chain, and one beyond the last record proves that records were removed even
   * when their checkpoints were deleted from the table too.
   */
  readonly publishedCheckpoints?: readonly PublishedCheckpoint[];
  readonly onProgress?: (progress: ChainProgress) => void;
  /** Rows read per query. Default 2,000. */
  readonly pageSize?: number;
}

export type AuditVerification =
  | {
      readonly ok: true;
      readonly tenantId: string;
      /** Records verified (the requested range widened to the checkpoints around it). */
      readonly records: number;
      /** Checkpoints whose signatures verified (and, past the anchor, whose heads matched the chain). */
      readonly checkpoints: number;
      /** First and last seq verified; null when there was nothing to verify. */
      readonly fromSeq: number | null;
      readonly toSeq: number | null;
      /** What the first verified record chains to. */
      readonly anchor: 'genesis' | 'checkpoint' | 'retention';
      readonly lastCheckpointSeq: number | null;
      /** Verified records after the last signed checkpoint (the window a database superuser could still truncate unnoticed). */
      readonly unsignedTail: number;
      /** Retention deletions whose signatures and anchors verified. */
      readonly retentions: number;
      /** Whether record MACs were checked (the control plane's own verification) or not (public verification). */
      readonly macChecked: boolean;
    }
  | {
      readonly ok: false;
      readonly tenantId: string;
      readonly firstBadSeq: number;
      readonly problem: AuditProblem;
      readonly detail: string;
      readonly records: number;
      readonly checkpoints: number;
    };

type Failure = Extract<AuditVerification, { ok: false }>;

interface Anchor extends ChainHead {
  readonly checkpointSeq: number | null;
  readonly kind: 'genesis' | 'checkpoint' | 'retention';
}

interface Floor {
  readonly anchor: Anchor;
  readonly retentions: number;
  readonly checkpoints: number;
}

const fromPublished = (p: PublishedCheckpoint): StoredCheckpoint => ({
  seq: p.seq,
  headHash: Buffer.from(p.headHash, 'hex'),
  signedAt: new Date(p.signedAt),
  keyId: p.keyId,
  signature: Buffer.from(p.signature, 'base64'),
});

/** Two ascending checkpoint streams as one (equal seqs both kept: the verifier compares each with the chain). */
async function* merged(table: AsyncIterable<StoredCheckpoint>, extra: readonly StoredCheckpoint[]): AsyncGenerator<StoredCheckpoint> {
  let i = 0;
  for await (const c of table) {
    while (i < extra.length && extra[i]!.seq <= c.seq) yield extra[i++]!;
    yield c;
  }
  while (i < extra.length) yield extra[i++]!;
}

/**
 * Checks the retention deletions of a tenant (each signed, contiguous from seq 1, anchored at a
 * checkpoint with the same head, signed) and, when asked, the signatures of the checkpoints kept
 * from deleted ranges. Returns the anchor the remaining chain starts from.
 */
const checkFloor = async (sql: Sql, tenantId: string, signatures: SignatureVerifier, withOldCheckpoints: boolean, pageSize: number): Promise<Floor | Failure> => {
  const fail = (firstBadSeq: number, problem: AuditProblem, detail: string): Failure => ({ ok: false, tenantId, firstBadSeq, problem, detail, records: 0, checkpoints: 0 });
  let expectedFrom = 1;
  let anchor: Anchor = { seq: 0, hash: genesisHash(tenantId), checkpointSeq: null, kind: 'genesis' };
  const rows = await retentions(sql, tenantId);
  for (const r of rows) {
    const payload = retentionPayload({ tenantId, fromSeq: r.fromSeq, throughSeq: r.throughSeq, anchorHash: r.anchorHash, before: r.before, deletedAt: r.deletedAt, keyId: r.keyId });
    const signed = signatures.check(r.keyId, payload, r.signature);
    if (signed !== 'valid') return fail(r.throughSeq, 'bad_signature', `the retention record for seq ${r.fromSeq}..${r.throughSeq} ${signed === 'unknown_key' ? `is signed with the untrusted key "${r.keyId}"` : 'has a signature that does not verify'}`);
    if (r.fromSeq !== expectedFrom) return fail(expectedFrom, 'removed', `retention records skip seq ${expectedFrom}..${r.fromSeq - 1}`);
    const checkpoint = await checkpointAtOrAfter(sql, tenantId, r.throughSeq);
    if (!checkpoint || checkpoint.seq !== r.throughSeq) return fail(r.throughSeq, 'checkpoint_mismatch', `the checkpoint anchoring retention at seq ${r.throughSeq} is missing`);
    const cpSigned = signatures.check(checkpoint.keyId, checkpointPayload({ tenantId, seq: checkpoint.seq, headHash: checkpoint.headHash, signedAt: checkpoint.signedAt, keyId: checkpoint.keyId }), checkpoint.signature);
    if (cpSigned !== 'valid') return fail(checkpoint.seq, 'bad_signature', `the checkpoint anchoring retention at seq ${checkpoint.seq} does not verify`);
    if (!sameBytes(checkpoint.headHash, r.anchorHash)) return fail(r.throughSeq, 'checkpoint_mismatch', `retention at seq ${r.throughSeq} is anchored at a head the checkpoint does not sign`);
    expectedFrom = r.throughSeq + 1;
    anchor = { seq: r.throughSeq, hash: r.anchorHash, checkpointSeq: r.throughSeq, kind: 'retention' };
  }
  let checkpoints = 0;
  if (withOldCheckpoints && anchor.seq > 0) {
    for await (const c of streamCheckpoints(sql, tenantId, 0, anchor.seq, pageSize)) {
      const signed = signatures.check(c.keyId, checkpointPayload({ tenantId, seq: c.seq, headHash: c.headHash, signedAt: c.signedAt, keyId: c.keyId }), c.signature);
      if (signed !== 'valid') return fail(c.seq, 'bad_signature', `the checkpoint at seq ${c.seq} (kept after retention) does not verify`);
      checkpoints += 1;
    }
  }
  return { anchor, retentions: rows.length, checkpoints };
};

interface RangePlan {
  readonly anchor: Anchor;
  /** Verify through this seq; undefined: to the end of the trail. */
  readonly endSeq: number | undefined;
}

const run = async (
  sql: Sql,
  options: Omit<VerifyAuditTrailOptions, 'from' | 'to'>,
  signatures: SignatureVerifier,
  floor: Floor,
  plan: RangePlan,
): Promise<AuditVerification> => {
  const { tenantId, keys, onProgress } = options;
  const pageSize = options.pageSize ?? 2_000;
  const published = (options.publishedCheckpoints ?? [])
    .filter((p) => p.tenantId === tenantId && p.seq > plan.anchor.seq && (plan.endSeq === undefined || p.seq <= plan.endSeq))
    .map(fromPublished)
    .sort((a, b) => a.seq - b.seq);
  const outcome = await verifyChain({
    tenantId,
    anchor: plan.anchor,
    records: streamRecords(sql, tenantId, plan.anchor.seq, plan.endSeq, pageSize),
    checkpoints: merged(streamCheckpoints(sql, tenantId, plan.anchor.seq, plan.endSeq, pageSize), published),
    ...(plan.endSeq !== undefined ? { endSeq: plan.endSeq } : {}),
    signatures,
    ...(keys.mac ? { macKeys: keys.mac } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  if (!outcome.ok) return { ...outcome, tenantId, checkpoints: outcome.checkpoints + floor.checkpoints };
  return {
    ok: true,
    tenantId,
    records: outcome.records,
    checkpoints: outcome.checkpoints + floor.checkpoints,
    fromSeq: outcome.records > 0 ? plan.anchor.seq + 1 : null,
    toSeq: outcome.records > 0 ? outcome.lastSeq : null,
    anchor: plan.anchor.kind,
    lastCheckpointSeq: outcome.lastCheckpointSeq,
    unsignedTail: outcome.lastSeq - Math.max(outcome.lastCheckpointSeq ?? 0, plan.anchor.seq),
    retentions: floor.retentions,
    macChecked: keys.mac !== undefined,
  };
};

/**
 * Proves a tenant's audit trail, or the part of it around a time range, intact, or finds the first
 * record that is not what the sink wrote (see `verifyChain` for how each problem is told apart).
 *
 * The whole trail is verified from genesis, or from the anchor of the last retention deletion
 * (after checking every retention record and the signatures of the checkpoints kept from deleted
 * ranges). A time range is widened to signed checkpoints: verification starts at the last
 * checkpoint before the first event in range (its signature checked) and runs to the first
 * checkpoint at or after the last one, so both ends of what is reported are anchored by signatures
 * (or by genesis, or by the end of the trail). Reads a page of rows at a time.
 */
export const verifyAuditTrail = async (db: Sql, options: VerifyAuditTrailOptions): Promise<AuditVerification> => {
  const { tenantId, keys } = options;
  const signatures = new SignatureVerifier(keys.signing);
  const whole = options.from === undefined && options.to === undefined;
  const floor = await checkFloor(db, tenantId, signatures, whole, options.pageSize ?? 2_000);
  if ('ok' in floor) return floor;
  if (whole) return run(db, options, signatures, floor, { anchor: floor.anchor, endSeq: undefined });

  const span = await seqSpan(db, tenantId, floor.anchor.seq, options.from, options.to);
  if (!span) {
    return { ok: true, tenantId, records: 0, checkpoints: floor.checkpoints, fromSeq: null, toSeq: null, anchor: floor.anchor.kind, lastCheckpointSeq: floor.anchor.checkpointSeq, unsignedTail: 0, retentions: floor.retentions, macChecked: keys.mac !== undefined };
  }
  let anchor = floor.anchor;
  const before = await checkpointBefore(db, tenantId, span.min, floor.anchor.seq);
  if (before) {
    const signed = signatures.check(before.keyId, checkpointPayload({ tenantId, seq: before.seq, headHash: before.headHash, signedAt: before.signedAt, keyId: before.keyId }), before.signature);
    if (signed !== 'valid') return { ok: false, tenantId, firstBadSeq: before.seq, problem: 'bad_signature', detail: `the checkpoint at seq ${before.seq}, where verification of the range starts, does not verify`, records: 0, checkpoints: 0 };
    anchor = { seq: before.seq, hash: before.headHash, checkpointSeq: before.seq, kind: 'checkpoint' };
  }
  const after = await checkpointAtOrAfter(db, tenantId, span.max);
  return run(db, options, signatures, floor, { anchor, endSeq: after?.seq });
};

/**
 * Verifies a tenant's trail from its start (genesis or the last retention anchor) through
 * `throughSeq`: what retention checks before it deletes a range.
 */
export const verifyAuditTrailThrough = async (db: Sql, options: Omit<VerifyAuditTrailOptions, 'from' | 'to'> & { readonly throughSeq: number }): Promise<AuditVerification> => {
  const signatures = new SignatureVerifier(options.keys.signing);
  const floor = await checkFloor(db, options.tenantId, signatures, false, options.pageSize ?? 2_000);
  if ('ok' in floor) return floor;
  return run(db, options, signatures, floor, { anchor: floor.anchor, endSeq: options.throughSeq });
};
