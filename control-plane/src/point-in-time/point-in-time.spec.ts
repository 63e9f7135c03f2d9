import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyDocument, type Actor, type CommitRecord } from '@mcpgate/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus, type CommandResult } from '../core/command-bus.js';
import { encodeCommit } from '../core/commit-codec.js';
import { tenantIdForSlug } from '../core/ids.js';
import { LogApplier } from '../core/log-applier.js';
import { command } from '../domain/test/given.js';
import { EventLogError, type EventLog, type LogPosition } from '../event-log/event-log.port.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import { PointInTime } from './point-in-time.js';

const ada: Actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' };
const bob: Actor = { kind: 'user', issuer: 'https://idp.example', subject: 'bob' };
const mallory: Actor = { kind: 'user', issuer: 'https://idp.example', subject: 'mallory' };
const acme = tenantIdForSlug('acme');
const globex = tenantIdForSlug('globex');
const minute = (m: number) => new Date(Date.UTC(2026, 10, 25, 10, m)).toISOString();

const denyShell = { id: 'deny-shell', effect: 'deny', subjects: {}, tools: ['shell__*'] };
const allowGithub = { id: 'allow-github', effect: 'allow', subjects: { roles: ['tenant-admin'] }, tools: ['github__*'] };
const doc = (raw: unknown) => PolicyDocument.parse(raw);
const baselineV1 = doc({
  toolRules: [denyShell],
  rateLimits: [{ id: 'per-key', scope: 'key', capacity: 10, refillPerSecond: 1 }],
  audit: { argumentCapture: 'hash', onAuditFailure: 'open' },
});
const baselineV2 = doc({
  toolRules: [denyShell, allowGithub],
  rateLimits: [{ id: 'per-key', scope: 'key', capacity: 20, refillPerSecond: 1 }],
  budgets: [{ id: 'monthly', scope: 'tenant', period: 'month', maxCalls: 1000 }],
  toolCosts: [{ id: 'github', tools: 'github__*', cost: 2 }],
  audit: { argumentCapture: 'hash', onAuditFailure: 'open' },
});
const baselineV3 = doc({ ...baselineV2, toolRules: [allowGithub], audit: { argumentCapture: 'full', onAuditFailure: 'open' } });
const auditGuard = doc({
  toolRules: [{ id: 'deny-delete', effect: 'deny', subjects: {}, tools: ['github__delete_*'] }],
  rateLimits: [{ id: 'per-key', scope: 'user', capacity: 5, refillPerSecond: 0.5 }],
  toolCosts: [{ id: 'deletes', tools: 'github__delete_*', cost: 10 }],
  audit: { argumentCapture: 'none', onAuditFailure: 'closed' },
});
const evil = doc({ toolRules: [{ id: 'allow-all', effect: 'allow', subjects: {}, tools: ['*'] }], audit: { argumentCapture: 'none', onAuditFailure: 'open' } });

/** A commit written by hand, as a racing replica would have written it. */
const handWritten = (streamId: string, expectedVersion: number, type: string, data: Record<string, unknown>): CommitRecord => ({
  commitId: randomUUID(),
  tenantId: acme,
  streamId,
  expectedVersion,
  events: [
    {
      type,
      data,
      metadata: { eventId: randomUUID(), tenantId: acme, streamId, streamVersion: expectedVersion + 1, expectedVersion, actor: mallory, correlationId: 'race', time: minute(30) },
    },
  ],
});

describe(PointInTime.name, () => {
  let dir: string;
  let log: FileEventLog;
  let applier: LogApplier;
  let sut: PointInTime;
  /** Positions returned by `execute` (and by the hand-written appends), in the order of the story. */
  let at: Record<'tenant' | 'created' | 'updated' | 'voidedUpdate' | 'voidedCreate' | 'updatedAgain' | 'otherTenant' | 'guardAdded' | 'deleted', LogPosition>;
  let baselineId: string;
  let guardId: string;

  const positionOf = (result: CommandResult): LogPosition => {
    if (!result.position) throw new Error('the command wrote nothing');
    return result.position;
  };

  // given: a tenant whose policies were created, updated twice (with two voided commits racing in
  // between), joined by a second policy, and the first deleted; another tenant shares the partition
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcpgate-pit-'));
    log = await FileEventLog.open({ dir });
    applier = new LogApplier(log);
    await applier.start();
    let clock = 0;
    const bus = new CommandBus(log, applier, { now: () => new Date(minute(clock++)) });
    const run = (tenantId: string, raw: unknown, actor = ada) => bus.execute(tenantId, command(raw), { actor });

    const tenant = positionOf(await run(acme, { type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1'] } }));
    const created = await run(acme, { type: 'CreatePolicy', data: { name: 'baseline', document: baselineV1 } });
    baselineId = created.createdId!;
    const updated = positionOf(await run(acme, { type: 'UpdatePolicy', data: { policyId: baselineId, document: baselineV2, changeNote: 'github for admins' } }, bob));

    // two commits that lost races: a stale update (version conflict) and a second `baseline` (name taken)
    const stale = handWritten(`policy-${baselineId}`, 1, 'PolicyUpdated', { document: evil, changeNote: 'stale' });
    const taken = handWritten('policy-pol_00000000000000', 0, 'PolicyCreated', { policyId: 'pol_00000000000000', name: 'baseline', description: '', document: evil });
    const staleOutcome = applier.expectCommit(stale.commitId);
    const takenOutcome = applier.expectCommit(taken.commitId);
    const voidedUpdate = await log.append(acme, encodeCommit(stale));
    const voidedCreate = await log.append(acme, encodeCommit(taken));
    expect(await staleOutcome).toMatchObject({ status: 'voided', reason: 'version_conflict' });
    expect(await takenOutcome).toMatchObject({ status: 'voided', reason: 'policy.name_taken' });

    const updatedAgain = positionOf(await run(acme, { type: 'UpdatePolicy', data: { policyId: baselineId, document: baselineV3, changeNote: 'full capture' } }));
    const otherTenant = positionOf(await run(globex, { type: 'CreateTenant', data: { slug: 'globex', displayName: 'Globex', regions: ['eu-west-1'] } }));
    await run(globex, { type: 'CreatePolicy', data: { name: 'baseline', document: evil } });
    const guard = await run(acme, { type: 'CreatePolicy', data: { name: 'audit-guard', document: auditGuard } }, bob);
    guardId = guard.createdId!;
    const deleted = positionOf(await run(acme, { type: 'DeletePolicy', data: { policyId: baselineId } }));
    at = { tenant, created: positionOf(created), updated, voidedUpdate, voidedCreate, updatedAgain, otherTenant, guardAdded: positionOf(guard), deleted };
    sut = new PointInTime(log, { timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await applier.stop();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('effectivePolicyAt', () => {
    it('has no policy and the default audit settings right after the tenant was created', async () => {
      expect(await sut.effectivePolicyAt(acme, at.tenant)).toEqual({
        position: { partition: 0, offset: 0n },
        policies: [],
        effective: { toolRules: [], rateLimits: [], budgets: [], toolCosts: [], audit: { argumentCapture: 'hash', onAuditFailure: 'closed' } },
      });
    });

    it('answers each recorded position with the policy version in force there, and nothing after it', async () => {
      const versions = async (position: LogPosition) =>
        (await sut.effectivePolicyAt(acme, position)).policies.map((p) => ({ name: p.name, version: p.version, document: p.document }));
      expect(await versions(at.created)).toEqual([{ name: 'baseline', version: 1, document: baselineV1 }]);
      expect(await versions(at.updated)).toEqual([{ name: 'baseline', version: 2, document: baselineV2 }]);
      expect(await versions(at.updatedAgain)).toEqual([{ name: 'baseline', version: 3, document: baselineV3 }]);
      expect(await versions(at.guardAdded)).toEqual([
        { name: 'audit-guard', version: 1, document: auditGuard },
        { name: 'baseline', version: 3, document: baselineV3 },
      ]);
      expect(await versions(at.deleted)).toEqual([{ name: 'audit-guard', version: 1, document: auditGuard }]);
    });

    it('combines several policies: tool rules, limits and budgets all apply, tagged by policy; audit takes the strictest setting', async () => {
      const { effective } = await sut.effectivePolicyAt(acme, at.guardAdded);
      const guard = { policyId: guardId, policyName: 'audit-guard' };
      const baseline = { policyId: baselineId, policyName: 'baseline' };
      expect(effective).toEqual({
        toolRules: [
          { ...guard, rule: auditGuard.toolRules[0] },
          { ...baseline, rule: baselineV3.toolRules[0] },
        ],
        rateLimits: [
          { ...guard, limit: auditGuard.rateLimits[0] },
          { ...baseline, limit: baselineV3.rateLimits[0] },
        ],
        budgets: [{ ...baseline, budget: baselineV3.budgets[0] }],
        toolCosts: [
          { ...guard, toolCost: auditGuard.toolCosts[0] },
          { ...baseline, toolCost: baselineV3.toolCosts[0] },
        ],
        // baseline captures `full` and fails open, audit-guard captures `none` and fails closed
        audit: { argumentCapture: 'full', onAuditFailure: 'closed' },
      });
    });

    it('answers `latest` with the last position of the partition at the time of the call', async () => {
      const latest = await sut.effectivePolicyAt(acme, 'latest');
      expect(latest.position).toEqual(at.deleted);
      expect(latest).toEqual(await sut.effectivePolicyAt(acme, at.deleted));
    });
  });

  describe('voided commits', () => {
    it('are part of no answer: their positions answer what the position before them answered', async () => {
      const beforeRace = await sut.effectivePolicyAt(acme, at.updated);
      for (const position of [at.voidedUpdate, at.voidedCreate]) {
        const answer = await sut.effectivePolicyAt(acme, position);
        expect(answer.policies).toEqual(beforeRace.policies);
        expect(answer.effective).toEqual(beforeRace.effective);
      }
      const state = await sut.stateAt(acme, at.voidedCreate);
      expect([...state.policies.keys()]).toEqual([baselineId]);
      expect(state.versionOf(`policy-${baselineId}`)).toBe(2);
    });

    it('are in no diff and in no changedBy', async () => {
      const diff = await sut.diffPolicies(acme, at.updated, at.voidedCreate);
      expect(diff).toEqual({ from: at.updated, to: at.voidedCreate, added: [], removed: [], changed: [], changedBy: [] });
      const all = await sut.diffPolicies(acme, at.tenant, at.deleted);
      expect(all.changedBy.map((c) => c.actor.kind === 'user' && c.actor.subject)).not.toContain('mallory');
      expect(JSON.stringify(all, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('allow-all');
    });
  });

  describe('diffPolicies', () => {
    it('diffs one update by rule, limit and budget id, with who changed it and when', async () => {
      expect(await sut.diffPolicies(acme, at.created, at.updated)).toEqual({
        from: at.created,
        to: at.updated,
        added: [],
        removed: [],
        changed: [
          {
            policyId: baselineId,
            name: 'baseline',
            fromVersion: 1,
            toVersion: 2,
            changes: {
              toolRules: { added: [baselineV2.toolRules[1]], removed: [], changed: [] },
              rateLimits: { added: [], removed: [], changed: [{ id: 'per-key', before: baselineV1.rateLimits[0], after: baselineV2.rateLimits[0] }] },
              budgets: { added: [baselineV2.budgets[0]], removed: [], changed: [] },
              toolCosts: { added: [baselineV2.toolCosts[0]], removed: [], changed: [] },
              audit: null,
            },
          },
        ],
        changedBy: [
          { position: at.updated, policyId: baselineId, event: 'PolicyUpdated', version: 2, actor: bob, time: minute(2), correlationId: expect.any(String), changeNote: 'github for admins' },
        ],
      });
    });

    it('reports a policy added and one deleted between two positions, and every change in between in log order', async () => {
      const diff = await sut.diffPolicies(acme, at.updated, at.deleted);
      expect(diff.added).toEqual([{ policyId: guardId, name: 'audit-guard', version: 1, document: auditGuard }]);
      expect(diff.removed).toEqual([{ policyId: baselineId, name: 'baseline', version: 2, document: baselineV2 }]);
      expect(diff.changed).toEqual([]);
      expect(diff.changedBy.map(({ position, policyId, event, version, actor, time }) => ({ position, policyId, event, version, actor, time }))).toEqual([
        { position: at.updatedAgain, policyId: baselineId, event: 'PolicyUpdated', version: 3, actor: ada, time: minute(3) },
        { position: at.guardAdded, policyId: guardId, event: 'PolicyCreated', version: 1, actor: bob, time: minute(6) },
        { position: at.deleted, policyId: baselineId, event: 'PolicyDeleted', version: 4, actor: ada, time: minute(7) },
      ]);
    });

    it('diffs audit settings and removed rules, and reads backwards when `from` is the later position', async () => {
      const forward = await sut.diffPolicies(acme, at.updated, at.updatedAgain);
      expect(forward.changed[0]?.changes).toEqual({
        toolRules: { added: [], removed: [baselineV2.toolRules[0]], changed: [] },
        rateLimits: { added: [], removed: [], changed: [] },
        budgets: { added: [], removed: [], changed: [] },
        toolCosts: { added: [], removed: [], changed: [] },
        audit: { before: baselineV2.audit, after: baselineV3.audit },
      });
      const backward = await sut.diffPolicies(acme, at.updatedAgain, at.updated);
      expect(backward.changed[0]).toMatchObject({ fromVersion: 3, toVersion: 2, changes: { toolRules: { added: [baselineV2.toolRules[0]], removed: [] } } });
      expect(backward.changedBy).toEqual(forward.changedBy);
    });

    it('is empty when nothing changed, even when other tenants changed their policies in between', async () => {
      const empty = { added: [], removed: [], changed: [], changedBy: [] };
      expect(await sut.diffPolicies(acme, at.updatedAgain, at.updatedAgain)).toEqual({ from: at.updatedAgain, to: at.updatedAgain, ...empty });
      const otherTenantPolicy = { partition: 0, offset: at.guardAdded.offset - 1n };
      expect(await sut.diffPolicies(acme, at.updatedAgain, otherTenantPolicy)).toEqual({ from: at.updatedAgain, to: otherTenantPolicy, ...empty });
    });
  });

  describe('diffVersions', () => {
    it('diffs two stream versions of one policy with the changes that lead from one to the other', async () => {
      const diff = await sut.diffVersions(acme, baselineId, 1, 3);
      expect(diff).toMatchObject({
        policyId: baselineId,
        name: 'baseline',
        from: { version: 1, status: 'active' },
        to: { version: 3, status: 'active' },
        changes: {
          toolRules: { added: [baselineV3.toolRules[0]], removed: [baselineV1.toolRules[0]], changed: [] },
          rateLimits: { changed: [{ id: 'per-key', before: baselineV1.rateLimits[0], after: baselineV3.rateLimits[0] }] },
          budgets: { added: [baselineV3.budgets[0]] },
          audit: { before: baselineV1.audit, after: baselineV3.audit },
        },
      });
      expect(diff.changedBy.map((c) => [c.version, c.actor, c.changeNote])).toEqual([
        [2, bob, 'github for admins'],
        [3, ada, 'full capture'],
      ]);
    });

    it('shows a deletion as a change of status with the same document', async () => {
      expect(await sut.diffVersions(acme, baselineId, 3, 4)).toMatchObject({
        from: { version: 3, status: 'active' },
        to: { version: 4, status: 'deleted' },
        changes: { toolRules: { added: [], removed: [], changed: [] }, audit: null },
        changedBy: [{ event: 'PolicyDeleted', version: 4, actor: ada }],
      });
    });

    it('rejects a version the policy never had and a policy the tenant never had', async () => {
      await expect(sut.diffVersions(acme, baselineId, 1, 5)).rejects.toMatchObject({ name: 'DomainError', code: 'VALIDATION', reason: 'point_in_time.unknown_version' });
      await expect(sut.diffVersions(acme, baselineId, 0, 1)).rejects.toMatchObject({ code: 'VALIDATION', reason: 'point_in_time.unknown_version' });
      await expect(sut.diffVersions(acme, 'pol_00000000000000', 1, 1)).rejects.toMatchObject({ code: 'NOT_FOUND', reason: 'policy.not_found' });
    });
  });

  describe('stateAt', () => {
    it('returns the tenant model as of that position, other tenants of the partition left out', async () => {
      const state = await sut.stateAt(globex, at.otherTenant);
      expect(state.tenant).toMatchObject({ status: 'active', slug: 'globex' });
      expect(state.policies.size).toBe(0);
      expect((await sut.stateAt(acme, at.tenant)).tenant).toMatchObject({ status: 'active', slug: 'acme' });
    });
  });

  describe('typed errors', () => {
    it('rejects a position in another partition than the tenant’s', async () => {
      await expect(sut.stateAt(acme, { partition: 1, offset: 0n })).rejects.toMatchObject({ name: 'DomainError', code: 'VALIDATION', reason: 'point_in_time.wrong_partition' });
      await expect(sut.diffPolicies(acme, at.tenant, { partition: 3, offset: 0n })).rejects.toMatchObject({ reason: 'point_in_time.wrong_partition' });
    });

    it('rejects a position beyond the end of the partition', async () => {
      const end = (await log.endOffsets()).get(0)!;
      await expect(sut.effectivePolicyAt(acme, { partition: 0, offset: end })).rejects.toMatchObject({ name: 'DomainError', code: 'VALIDATION', reason: 'point_in_time.future_position' });
      await expect(sut.diffPolicies(acme, at.tenant, { partition: 0, offset: end + 5n })).rejects.toMatchObject({ reason: 'point_in_time.future_position' });
    });

    it('rejects a tenant unknown at that position: never created, or created only later', async () => {
      await expect(sut.stateAt(tenantIdForSlug('initech'), 'latest')).rejects.toMatchObject({ name: 'DomainError', code: 'NOT_FOUND', reason: 'tenant.not_found' });
      await expect(sut.effectivePolicyAt(globex, at.updated)).rejects.toMatchObject({ code: 'NOT_FOUND', reason: 'tenant.not_found' });
      await expect(sut.diffPolicies(globex, at.tenant, at.deleted)).rejects.toMatchObject({ code: 'NOT_FOUND', reason: 'tenant.not_found' });
    });

    it('bounds the wait: a log that never delivers is reported as unavailable after the timeout', async () => {
      const silent: EventLog = {
        partitions: () => log.partitions(),
        partitionFor: (key) => log.partitionFor(key),
        append: (key, value) => log.append(key, value),
        endOffsets: () => log.endOffsets(),
        subscribe: () => Promise.resolve({ stop: () => Promise.resolve() }),
        close: () => Promise.resolve(),
      };
      await expect(new PointInTime(silent, { timeoutMs: 50 }).stateAt(acme, at.tenant)).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'point_in_time.timeout' });
    });

    it('reports a log that fails or refuses to deliver as unavailable, without waiting for the timeout', async () => {
      const failing: EventLog = {
        partitions: () => log.partitions(),
        partitionFor: (key) => log.partitionFor(key),
        append: (key, value) => log.append(key, value),
        endOffsets: () => log.endOffsets(),
        subscribe: (_from, _handler, onError) => {
          setTimeout(() => onError?.(new Error('disk gone')), 0);
          return Promise.resolve({ stop: () => Promise.resolve() });
        },
        close: () => Promise.resolve(),
      };
      const started = Date.now();
      await expect(new PointInTime(failing, { timeoutMs: 10_000 }).stateAt(acme, at.tenant)).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'point_in_time.replay_failed' });
      expect(Date.now() - started).toBeLessThan(5_000);
      const closed: EventLog = { ...failing, subscribe: () => Promise.reject(new EventLogError('event_log.closed', 'the log is closed')) };
      await expect(new PointInTime(closed).stateAt(acme, at.tenant)).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'point_in_time.replay_failed' });
    });
  });
});
