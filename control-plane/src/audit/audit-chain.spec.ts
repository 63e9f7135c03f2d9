import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extendChain, verifyChain, type ChainedRecord, type ChainInput, type StoredCheckpoint, type StoredRecord } from './audit-chain.js';
import { checkpointPayload, genesisHash, recordHash } from './audit-hash.js';
import { SignatureVerifier } from './audit-keys.js';
import { admitEvent, type AcceptedEvent } from './audit-record.js';
import { auditEvent, auditTestKeys, tenantId } from './test/audit-fixtures.js';

const keys = auditTestKeys();
const T = tenantId(1);
const genesis = genesisHash(T);

const accepted = (n: number, tenant = 1): AcceptedEvent => {
  const admitted = admitEvent(auditEvent(tenant, n));
  if (!admitted.ok) throw new Error(admitted.error);
  return admitted.event;
};

const stored = (r: ChainedRecord): StoredRecord => ({ seq: r.seq, eventId: r.event.eventId, eventText: r.event.eventJson, columns: r.event.columns, prevHash: r.prevHash, hash: r.hash, mac: r.mac, macKeyId: r.macKeyId });

/** A chain of `n` records, as the sink writes them, and checkpoints every `every` records. */
const trail = (n: number, every = 10) => {
  const { records } = extendChain({ seq: 0, hash: genesis }, Array.from({ length: n }, (_, i) => accepted(i + 1)), keys.macKeys.active);
  const checkpoints = records.filter((r) => r.seq % every === 0).map((r) => checkpointAt(r.seq, r.hash));
  return { records: records.map(stored), checkpoints };
};

const checkpointAt = (seq: number, headHash: Buffer, signedAt = new Date('2026-11-02T00:00:00.000Z')): StoredCheckpoint => ({
  seq,
  headHash,
  signedAt,
  keyId: keys.signer.keyId,
  signature: keys.signer.sign(checkpointPayload({ tenantId: T, seq, headHash, signedAt, keyId: keys.signer.keyId })),
});

/** What someone with write access to the table but without the MAC key can make: consistent hash, wrong MAC. */
const forge = (content: AcceptedEvent, seq: number, prevHash: Buffer): StoredRecord => {
  const hash = recordHash({ tenantId: T, seq, eventId: content.eventId, eventJson: content.eventJson, prevHash });
  return { seq, eventId: content.eventId, eventText: content.eventJson, columns: content.columns, prevHash, hash, mac: randomBytes(32), macKeyId: keys.macKeys.active.keyId };
};

/** Re-chains records from index `from` on with consistent hashes (a forger rewriting history). */
const rechain = (records: StoredRecord[], from: number): StoredRecord[] => {
  const out = records.slice(0, from);
  for (const r of records.slice(from)) {
    const prevHash = out.at(-1)?.hash ?? genesis;
    const seq = out.length + 1;
    out.push({ ...r, seq, prevHash, hash: recordHash({ tenantId: T, seq, eventId: r.eventId, eventJson: r.eventText, prevHash }) });
  }
  return out;
};

const verify = (records: StoredRecord[], checkpoints: StoredCheckpoint[], options: Partial<ChainInput> & { publicOnly?: boolean } = {}) =>
  verifyChain({
    tenantId: T,
    anchor: { seq: 0, hash: genesis, checkpointSeq: null },
    records,
    checkpoints,
    signatures: new SignatureVerifier(keys.trusted.signing),
    ...(options.publicOnly ? {} : { macKeys: keys.macKeys.keys }),
    ...options,
  });

describe(extendChain.name, () => {
  it('numbers records gaplessly from the head and links each to the previous hash, starting at the tenant genesis', () => {
    const { records, head } = extendChain({ seq: 0, hash: genesis }, [accepted(1), accepted(2), accepted(3)], keys.macKeys.active);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0]!.prevHash).toEqual(genesis);
    expect(records[1]!.prevHash).toEqual(records[0]!.hash);
    expect(head).toEqual({ seq: 3, hash: records[2]!.hash });
    const more = extendChain(head, [accepted(4)], keys.macKeys.active);
    expect(more.records[0]).toMatchObject({ seq: 4, prevHash: records[2]!.hash });
  });
});

describe(verifyChain.name, () => {
  it('proves an intact trail, checkpoints included, from arrays or from a stream, with progress', async () => {
    const { records, checkpoints } = trail(25);
    expect(await verify(records, checkpoints)).toEqual({ ok: true, records: 25, checkpoints: 2, lastSeq: 25, lastCheckpointSeq: 20 });
    const progress: number[] = [];
    async function* stream() {
      yield* records;
    }
    const sut = await verify([], checkpoints, { records: stream(), progressEvery: 10, onProgress: (p) => progress.push(p.seq) });
    expect(sut.ok).toBe(true);
    expect(progress).toEqual([10, 20, 25]);
  });

  it('verifies up to endSeq only', async () => {
    const { records, checkpoints } = trail(25);
    expect(await verify(records, checkpoints.filter((c) => c.seq <= 10), { endSeq: 10 })).toMatchObject({ ok: true, records: 10, lastSeq: 10 });
  });

  it('altered: an event changed in place', async () => {
    const { records, checkpoints } = trail(25);
    records[6] = { ...records[6]!, eventText: records[6]!.eventText.replace('search 7', 'search 8') };
    expect(await verify(records, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered', records: 6 });
    expect(await verify(records, checkpoints, { publicOnly: true })).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered' });
  });

  it('altered: a query column that no longer matches its event', async () => {
    const { records, checkpoints } = trail(25);
    records[6] = { ...records[6]!, columns: { ...records[6]!.columns, tool: 'harmless_tool' } };
    expect(await verify(records, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered', detail: expect.stringContaining('tool') });
  });

  it('altered: an event changed and its hash recomputed (MACs catch it at once, public verification one record later)', async () => {
    const { records, checkpoints } = trail(25);
    const changed = { ...records[6]!, eventText: records[6]!.eventText.replace('search 7', 'search 8') };
    records[6] = { ...changed, hash: recordHash({ tenantId: T, seq: 7, eventId: changed.eventId, eventJson: JSON.stringify(JSON.parse(changed.eventText)), prevHash: changed.prevHash }) };
    expect(await verify(records, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered' });
    expect(await verify(records, checkpoints, { publicOnly: true })).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'altered' });
  });

  it('removed: a deleted record leaves a gap', async () => {
    const { records, checkpoints } = trail(25);
    records.splice(6, 1);
    expect(await verify(records, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'removed' });
  });

  it('removed: deleted records with the later ones renumbered to close the gap', async () => {
    const { records, checkpoints } = trail(25);
    const renumbered = [...records.slice(0, 6), ...records.slice(8).map((r) => ({ ...r, seq: r.seq - 2 }))];
    expect(await verify(renumbered, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'removed', detail: expect.stringContaining('7..8') });
  });

  it('removed: the end of the trail deleted, below a signed checkpoint', async () => {
    const { records, checkpoints } = trail(20);
    expect(await verify(records.slice(0, 15), checkpoints)).toMatchObject({ ok: false, firstBadSeq: 16, problem: 'removed' });
  });

  it('inserted: a forged record with the later ones renumbered (MAC and public verification)', async () => {
    const { records, checkpoints } = trail(25);
    const forged = forge(accepted(999, 1), 7, records[5]!.hash);
    const tampered = [...records.slice(0, 6), forged, ...records.slice(6).map((r) => ({ ...r, seq: r.seq + 1 }))];
    expect(await verify(tampered, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'inserted' });
    expect(await verify(tampered, checkpoints, { publicOnly: true })).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'inserted' });
  });

  it('inserted: a forged record appended after the last one (the MAC tells; without MAC keys it cannot be told)', async () => {
    const { records, checkpoints } = trail(20);
    const tampered = [...records, forge(accepted(999, 1), 21, records[19]!.hash)];
    expect(await verify(tampered, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 21, problem: 'inserted' });
    expect(await verify(tampered, checkpoints, { publicOnly: true })).toMatchObject({ ok: true, records: 21, lastCheckpointSeq: 20 });
  });

  it('checkpoint_mismatch: history rewritten consistently, caught by the signed head', async () => {
    const { records, checkpoints } = trail(25);
    const rewritten = rechain(
      records.map((r, i) => (i === 4 ? { ...r, eventText: r.eventText.replace('search 5', 'search 6') } : r)),
      4,
    );
    expect(await verify(rewritten, checkpoints, { publicOnly: true })).toMatchObject({ ok: false, firstBadSeq: 10, problem: 'checkpoint_mismatch' });
  });

  it('bad_signature: a checkpoint whose signature does not verify, or that names an untrusted key', async () => {
    const { records, checkpoints } = trail(25);
    const corrupted = checkpoints.map((c) => (c.seq === 10 ? { ...c, signature: Buffer.from(c.signature.map((b, i) => (i === 0 ? b ^ 1 : b))) } : c));
    expect(await verify(records, corrupted)).toMatchObject({ ok: false, firstBadSeq: 10, problem: 'bad_signature' });
    const untrusted = checkpoints.map((c) => (c.seq === 20 ? { ...c, keyId: 'someone-else' } : c));
    expect(await verify(records, untrusted)).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'bad_signature', detail: expect.stringContaining('not trusted') });
  });

  it('reports the first problem in seq order when there are several', async () => {
    const { records, checkpoints } = trail(25);
    records[14] = { ...records[14]!, eventText: records[14]!.eventText.replace('search 15', 'search 16') };
    records.splice(3, 1);
    expect(await verify(records, checkpoints)).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'removed' });
  });
});
