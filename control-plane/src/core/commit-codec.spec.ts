import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCommit, encodeCommit } from './commit-codec.js';

const tenantId = 'ten_codec0000000';
const streamId = `tenant-${tenantId}`;
const event = (streamVersion: number, expectedVersion: number, type = 'TenantRenamed', data: Record<string, unknown> = { displayName: 'x' }) => ({
  type,
  data,
  metadata: { eventId: randomUUID(), tenantId, streamId, streamVersion, expectedVersion, actor: { kind: 'system', component: 'test' }, correlationId: 'c', time: '2026-11-25T10:00:00.000Z' },
});
const commit = (events: unknown[], expectedVersion = 1) => ({ commitId: randomUUID(), tenantId, streamId, expectedVersion, events });

describe(decodeCommit.name, () => {
  it('round-trips a commit written by encodeCommit', () => {
    const written = commit([event(2, 1), event(3, 1)]);
    const sut = decodeCommit(encodeCommit(written as never));
    expect(sut).toMatchObject({ ok: true, commit: { commitId: written.commitId, expectedVersion: 1, events: [{ type: 'TenantRenamed' }, { type: 'TenantRenamed' }] } });
  });

  it('reports events whose versions do not follow the commit', () => {
    const sut = decodeCommit(Buffer.from(JSON.stringify(commit([event(2, 1), event(5, 1)]))));
    expect(sut).toEqual({ ok: false, tenantId, issues: ['events.1.metadata: event versions do not follow the commit'] });
  });

  it('reports an event type this version does not know, and a broken header, without throwing', () => {
    expect(decodeCommit(Buffer.from(JSON.stringify(commit([event(2, 1, 'TenantTeleported', {})]))))).toMatchObject({ ok: false, issues: ['unknown event type "TenantTeleported"'] });
    expect(decodeCommit(Buffer.from(JSON.stringify({ ...commit([event(2, 1)]), commitId: 'nope' })))).toMatchObject({ ok: false, issues: [expect.stringMatching(/^commitId/)] });
    expect(decodeCommit(Buffer.from([0xff, 0xfe]))).toMatchObject({ ok: false, issues: [expect.stringMatching(/^not JSON/)] });
  });
});
