import { readFileSync } from 'node:fs';
import { AGGREGATE_OF_EVENT, CommitHeader, ControlEvent } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { checkedEventTypes, isCanonicalCommitHeader, isCanonicalEvent, uncheckedEventTypes } from './canonical-event-check.js';
import { decodeCommit, encodeCommit } from './commit-codec.js';
import { astral, clone, mutations, type Json } from './test/json-mutations.js';

const CHECKED_TYPES = checkedEventTypes();

type Pinned = { metadata: Json; events: Record<string, Json> };
const pinned = JSON.parse(readFileSync(new URL('../../../contracts/src/testdata/events.v1.json', import.meta.url), 'utf8')) as Pinned;
const fullTenant = JSON.parse(readFileSync(new URL('../snapshot/testdata/full-tenant.in.json', import.meta.url), 'utf8')) as { events: { event: { type: string; data: Json } }[] };

/** An event as zod returns it: what the command path writes, and what a reader may take as it is. */
const canonical = (type: string, data: Json) => JSON.parse(JSON.stringify(ControlEvent.parse({ type, data, metadata: pinned.metadata }))) as Json;

const budgetKey = (budget: Json) => {
  const issued = canonical('VirtualKeyIssued', pinned.events['VirtualKeyIssued']!) as { data: { scopes: Record<string, Json> } };
  issued.data.scopes['budget'] = budget;
  return issued as unknown as Json;
};

/** Every pinned event shape, the events of the full-tenant golden file, and keys with budgets. */
const samples: Json[] = [
  ...Object.entries(pinned.events).map(([type, data]) => canonical(type, data)),
  ...fullTenant.events.map(({ event }) => canonical(event.type, event.data)),
  budgetKey({ id: 'monthly', scope: 'key', period: 'month', maxCalls: 1000 }),
  budgetKey({ id: 'daily-cost', scope: 'tenant', period: 'day', maxCost: 12.5 }),
];

/** Values a field is replaced with: wrong types, edge lengths and numbers, and the identifiers and enums events use. */
const replacements: Json[] = [
  null, true, 0, -1, 1, 1.5, 2 ** 53, '', 'x', 'a'.repeat(65), 'a'.repeat(129), 'a'.repeat(201), 'a'.repeat(501), astral(200), astral(202), [], ['x'], {},
  '2026-11-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-01T00:00:00.123+02:00', '00000001-0000-4000-8000-000000000001', '00000001-0000-0000-8000-000000000001',
  'ten_abcdefghij', 'vk_abcdefghij', 'vsr_abcdefghij', 'srv_abcdefghij', 'mcpg_ABCDEFGH', 'a'.repeat(64), 'A'.repeat(64), 'eu-west-1', 'active', 'key', 'day', '*',
  { kind: 'system', component: 'x' }, { kind: 'user', subject: 'u-1' },
];

describe('canonical control-event check', () => {
  it('leaves to zod only the event types it names, and checks every other published type', () => {
    expect([...CHECKED_TYPES, ...uncheckedEventTypes().keys()].sort()).toEqual(Object.keys(AGGREGATE_OF_EVENT).sort());
    expect(CHECKED_TYPES.length).toBeGreaterThan(30);
    expect(CHECKED_TYPES).toEqual(expect.arrayContaining(['VirtualKeyIssued', 'VirtualKeyRotated', 'VirtualKeyRevoked', 'PolicyUpdated', 'TenantCreated']));
  });

  it('recognizes every sample of a checked type as written by the command path', () => {
    const missed = samples.filter((event) => CHECKED_TYPES.includes((event as { type: never }).type) && !isCanonicalEvent(event));
    expect(missed).toEqual([]);
  });

  it('accepts only what zod accepts and returns unchanged, on every mutation of every sample', () => {
    let accepted = 0;
    let handedToZod = 0;
    const wrong: string[] = [];
    for (const sample of samples) {
      for (const [mutated, change] of mutations(sample, replacements)) {
        if (!isCanonicalEvent(mutated)) {
          handedToZod += 1;
          continue;
        }
        accepted += 1;
        const parsed = ControlEvent.safeParse(mutated);
        if (!parsed.success) wrong.push(`zod refuses ${(sample as { type: string }).type} ${change}`);
        else if (JSON.stringify(sortKeys(parsed.data as Json)) !== JSON.stringify(sortKeys(mutated))) wrong.push(`zod changes ${(sample as { type: string }).type} ${change}`);
      }
    }
    expect(wrong).toEqual([]);
    // both outcomes are exercised, in numbers
    expect(accepted).toBeGreaterThan(1_000);
    expect(handedToZod).toBeGreaterThan(10_000);
  });

  it('refuses a budget with neither maxCalls nor maxCost, an unknown field and a missing default, which zod would refuse or change', () => {
    expect(isCanonicalEvent(budgetKey({ id: 'b', scope: 'key', period: 'day' }))).toBe(false);
    const issued = canonical('VirtualKeyIssued', pinned.events['VirtualKeyIssued']!) as { data: { scopes: Record<string, Json> } };
    expect(isCanonicalEvent(issued)).toBe(true);
    expect(isCanonicalEvent({ ...issued, extra: 1 })).toBe(false);
    const { tools: _tools, ...withoutTools } = issued.data.scopes;
    expect(isCanonicalEvent({ ...issued, data: { ...issued.data, scopes: withoutTools } })).toBe(false);
  });

  it('accepts a commit header only as zod returns it', () => {
    const header = { commitId: '00000001-0000-4000-8000-000000000001', tenantId: 'ten_abcdefghij', streamId: 'tenant-ten_abcdefghij', expectedVersion: 0, events: [{}] } as Json;
    expect(isCanonicalCommitHeader(header)).toBe(true);
    const wrong: string[] = [];
    for (const [mutated, change] of mutations(header, replacements)) {
      if (!isCanonicalCommitHeader(mutated)) continue;
      const parsed = CommitHeader.safeParse(mutated);
      if (!parsed.success || JSON.stringify(sortKeys(parsed.data as Json)) !== JSON.stringify(sortKeys(mutated))) wrong.push(change);
    }
    expect(wrong).toEqual([]);
  });

  it('decodes a commit to the same events whether they take the compiled check or zod', () => {
    for (const sample of samples) {
      const event = sample as { type: string; data: Json; metadata: { tenantId: string; streamId: string; expectedVersion: number } };
      const commit = { commitId: '00000001-0000-4000-8000-000000000001', tenantId: event.metadata.tenantId, streamId: event.metadata.streamId, expectedVersion: event.metadata.expectedVersion };
      const asWritten = decodeCommit(encodeCommit({ ...commit, events: [event as never] }));
      // an unknown field sends the same event through zod, which drops it
      const throughZod = decodeCommit(encodeCommit({ ...commit, events: [{ ...(clone(sample) as object), unknownField: 1 } as never] }));
      expect(asWritten.ok && throughZod.ok).toBe(true);
      expect(asWritten).toEqual(throughZod);
    }
  });
});

/** The same JSON with object keys in order, so two values compare by content (zod returns keys in its shape's order). */
const sortKeys = (value: Json): Json =>
  Array.isArray(value) ? value.map(sortKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k]!)])) : value;
