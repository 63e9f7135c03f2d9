import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ControlEvent } from '@mcpgate/contracts';
import { TenantModel } from '../domain/tenant-model.js';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../domain/events.js';
import { projectEvent, redact } from './read-model.projection.js';
import { StreamStates, type StateSnapshot } from './stream-states.js';

const input = fileURLToPath(new URL('../snapshot/testdata/full-tenant.in.json', import.meta.url));
const golden = fileURLToPath(new URL('./testdata/full-tenant.changes.out.json', import.meta.url));

const stored = (events: { streamId: string; event: NewEvent }[]) => {
  const versions = new Map<string, number>();
  return events.map(({ streamId, event }, i) => {
    const v = versions.get(streamId) ?? 0;
    versions.set(streamId, v + 1);
    return ControlEvent.parse({
      ...event,
      metadata: {
        eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        tenantId: 'ten_acme000000',
        streamId,
        streamVersion: v + 1,
        expectedVersion: v,
        actor: { kind: 'system', component: 'golden' },
        correlationId: 'golden',
        time: `2026-11-25T10:00:${String(i).padStart(2, '0')}.000Z`,
      },
    });
  });
};

/** Follows the events with a tenant model, as the log applier does, and snapshots each stream's state around every event. */
const statesAround = (snapshots = new StreamStates()) => {
  const models = new Map<string, TenantModel>();
  return (event: ControlEvent) => {
    const model = models.get(event.metadata.tenantId) ?? new TenantModel(event.metadata.tenantId);
    models.set(event.metadata.tenantId, model);
    const before = model.stateOfStream(event);
    model.apply(event);
    return snapshots.change(event.metadata.streamId, { before, after: model.stateOfStream(event) });
  };
};

describe(projectEvent.name, () => {
  it('matches the golden row changes for a whole tenant (UPDATE_GOLDEN=1 rewrites them)', () => {
    const { events } = JSON.parse(readFileSync(input, 'utf8')) as { events: { streamId: string; event: NewEvent }[] };
    const states = statesAround();
    const changes = stored(events).map((event, i) => projectEvent(event, { partition: 3, offset: BigInt(i) }, states(event)));
    const actual = `${JSON.stringify(changes, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, actual);
    expect(actual).toBe(readFileSync(golden, 'utf8'));
  });

  it('writes the same rows when it remembers the snapshot of one stream per generation only', () => {
    const { events } = JSON.parse(readFileSync(input, 'utf8')) as { events: { streamId: string; event: NewEvent }[] };
    const rowsWith = (snapshots: StreamStates) => {
      const states = statesAround(snapshots);
      return JSON.stringify(stored(events).map((event, i) => projectEvent(event, { partition: 3, offset: BigInt(i) }, states(event))), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    };
    const forgetful = new StreamStates(1);
    expect(rowsWith(forgetful)).toBe(rowsWith(new StreamStates()));
    // one stream in each of its two generations
    expect(forgetful.size).toBe(2);
  });

  it('keeps secrets and key hashes out of every row, including the activity history', () => {
    const { events } = JSON.parse(readFileSync(input, 'utf8')) as { events: { streamId: string; event: NewEvent }[] };
    const states = statesAround();
    const text = JSON.stringify(stored(events).flatMap((e, i) => projectEvent(e, { partition: 0, offset: BigInt(i) }, states(e))), (_, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    expect(text).not.toMatch(/1111111111111111|2222222222222222|3333333333333333/);
    expect(text).not.toContain('"vaultKeyId"');
  });

  it('records each aggregate before and after its event, with key hashes and sealed secrets redacted', () => {
    const { events } = JSON.parse(readFileSync(input, 'utf8')) as { events: { streamId: string; event: NewEvent }[] };
    const states = statesAround();
    const rows = stored(events).map((e, i) => projectEvent(e, { partition: 0, offset: BigInt(i) }, states(e)).find((c) => c.kind === 'activity')!.row);
    const issued = rows.find((r) => r['type'] === 'VirtualKeyIssued')!;
    expect(issued['before']).toBeNull();
    expect((issued['after'] as StateSnapshot).value).toMatchObject({ status: 'active', secretHash: '[redacted]' });
    const created = rows.find((r) => r['type'] === 'TenantCreated')!;
    expect(created['before']).toBeNull();
    expect((created['after'] as StateSnapshot).value).toMatchObject({ status: 'active' });
    const credential = rows.find((r) => r['type'] === 'CredentialStored')!;
    expect(JSON.stringify(credential['after'])).not.toContain('vaultKeyId');
  });

  it('redacts nested secret fields and leaves the rest', () => {
    expect(redact({ a: 1, secret: { x: 1 }, list: [{ secretHash: 'h', keep: true }] })).toEqual({ a: 1, secret: '[redacted]', list: [{ secretHash: '[redacted]', keep: true }] });
  });
});
