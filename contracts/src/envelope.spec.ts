import { describe, expect, it } from 'vitest';
import pinned from './testdata/events.v1.json' with { type: 'json' };
import { CommitRecord } from './envelope.js';

const event = (streamVersion: number, expectedVersion: number) => ({
  type: 'TenantRenamed',
  data: { displayName: `name ${streamVersion}` },
  metadata: { ...pinned.metadata, streamVersion, expectedVersion },
});
const commit = (events: unknown[], expectedVersion = 1) => ({
  commitId: '0193a1f2-7c4e-7b8a-9c3d-2e1f0a9b8c70',
  tenantId: pinned.metadata.tenantId,
  streamId: pinned.metadata.streamId,
  expectedVersion,
  events,
});

describe('CommitRecord', () => {
  it('accepts one command’s events as consecutive versions after the expected version', () => {
    expect(CommitRecord.safeParse(commit([event(2, 1), event(3, 1)])).success).toBe(true);
  });

  it('rejects events whose versions do not follow the commit', () => {
    const sut = CommitRecord.safeParse(commit([event(2, 1), event(4, 1)]));
    expect(sut.success).toBe(false);
    expect(sut.error?.issues[0]?.message).toBe('event versions do not follow the commit');
  });

  it('rejects an event of another stream inside a commit', () => {
    const foreign = { ...event(2, 1), metadata: { ...event(2, 1).metadata, streamId: 'tenant-ten_OTHERTENANT1' } };
    expect(CommitRecord.safeParse(commit([foreign])).error?.issues[0]?.message).toBe('event belongs to another stream or tenant');
  });

  it('rejects an empty commit', () => {
    expect(CommitRecord.safeParse(commit([])).success).toBe(false);
  });
});
