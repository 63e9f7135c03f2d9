import { retentionPayload } from './audit-hash.js';
import type { AuditSigner, AuditTrustedKeys } from './audit-keys.js';
import { applyRetentionRange, checkpointBefore, firstNotOlderThan, retentions, type Sql } from './audit-store.js';
import { verifyAuditTrailThrough } from './audit-verify.js';

export interface ApplyRetentionOptions {
  readonly tenantId: string;
  /** Delete events older than this (only whole ranges that end at a checkpoint). */
  readonly before: Date;
  /** Signs the retention record (the control plane's signing key, like checkpoints). */
  readonly signer: AuditSigner;
  /** The range is verified before it is deleted, with these keys. */
  readonly keys: AuditTrustedKeys;
  readonly now?: () => Date;
}

export type RetentionResult =
  | { readonly deleted: 0; readonly reason: 'nothing_expired' }
  | { readonly deleted: number; readonly fromSeq: number; readonly throughSeq: number; readonly anchorHash: string };

/** A range was not deleted because it does not verify: the evidence of tampering is kept. */
export class AuditRetentionError extends Error {
  readonly reason = 'audit.retention_refused';

  constructor(message: string) {
    super(message);
    this.name = 'AuditRetentionError';
  }
}

/**
 * Deletes a tenant's oldest events, as one range: from the first remaining seq through the latest
 * checkpoint below which every event is older than `before`. The range is verified first (a range
 * that does not verify is kept and reported), then audit_apply_retention() deletes it and stores a
 * retention record, signed here, naming the range and the checkpoint whose head anchors what
 * remains. Verification of the remaining trail starts from that anchor. Events newer than the last
 * such checkpoint wait for the next run.
 */
export const applyRetention = async (db: Sql, options: ApplyRetentionOptions): Promise<RetentionResult> => {
  const { tenantId, before, signer, keys } = options;
  const floor = (await retentions(db, tenantId)).at(-1)?.throughSeq ?? 0;
  const firstRecent = await firstNotOlderThan(db, tenantId, floor, before);
  const anchor = await checkpointBefore(db, tenantId, firstRecent ?? Number.MAX_SAFE_INTEGER, floor);
  if (!anchor) return { deleted: 0, reason: 'nothing_expired' };

  const verified = await verifyAuditTrailThrough(db, { tenantId, keys, throughSeq: anchor.seq });
  if (!verified.ok) {
    throw new AuditRetentionError(`refusing to delete events ${floor + 1}..${anchor.seq} of tenant ${tenantId}: ${verified.problem} at seq ${verified.firstBadSeq} (${verified.detail})`);
  }
  const deletedAt = (options.now ?? (() => new Date()))();
  const row = { tenantId, fromSeq: floor + 1, throughSeq: anchor.seq, anchorHash: anchor.headHash, before, deletedAt, keyId: signer.keyId };
  const signature = signer.sign(retentionPayload(row));
  const deleted = await applyRetentionRange(db, { ...row, signature });
  return { deleted, fromSeq: row.fromSeq, throughSeq: row.throughSeq, anchorHash: anchor.headHash.toString('hex') };
};
