import { randomUUID } from 'node:crypto';
import { ControlCommand, ControlEvent, type Actor } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { decide } from '../decide.js';
import type { Decision, NewEvent } from '../events.js';
import { TenantModel } from '../tenant-model.js';

export const TENANT = 'ten_acme000000';
export const NOW = new Date('2026-11-25T10:00:00.000Z');
export const ADMIN: Actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' };

/** A deterministic context: ids count up per prefix, key secrets are numbered. */
export const context = (overrides: Partial<CommandContext> = {}): CommandContext => {
  const counters = new Map<string, number>();
  let secrets = 0;
  return {
    tenantId: TENANT,
    now: NOW,
    actor: ADMIN,
    actorGroups: [],
    newId: (prefix) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${String(n).padStart(10, '0')}`;
    },
    newKeySecret: (marker = 'mcpg_') => {
      secrets += 1;
      return { keyPrefix: `${marker}secret${String(secrets).padStart(2, '0')}`, secretHash: String(secrets % 10).repeat(64) };
    },
    ...overrides,
  };
};

/** Applies events (one stream each, in order) to a fresh model, filling metadata as the log would. */
export const given = (...events: { streamId: string; event: NewEvent }[]): TenantModel => {
  const model = new TenantModel(TENANT);
  for (const { streamId, event } of events) {
    const version = model.versionOf(streamId);
    model.apply(
      ControlEvent.parse({
        ...event,
        metadata: { eventId: randomUUID(), tenantId: TENANT, streamId, streamVersion: version + 1, expectedVersion: version, actor: ADMIN, correlationId: 'test', time: NOW.toISOString() },
      }),
    );
  }
  return model;
};

/** Runs a decision and applies its events, for scenarios of several commands. */
export const run = (model: TenantModel, command: ControlCommand, ctx = context()): Decision => {
  const decision = decide(command, model, ctx);
  const version = model.versionOf(decision.streamId);
  decision.events.forEach((event, i) =>
    model.apply(
      ControlEvent.parse({
        ...event,
        metadata: { eventId: randomUUID(), tenantId: TENANT, streamId: decision.streamId, streamVersion: version + i + 1, expectedVersion: version, actor: ctx.actor, correlationId: 'test', time: ctx.now.toISOString() },
      }),
    ),
  );
  return decision;
};

export const tenantCreated: { streamId: string; event: NewEvent } = {
  streamId: `tenant-${TENANT}`,
  event: { type: 'TenantCreated', data: { tenantId: TENANT, slug: 'acme', displayName: 'Acme', regions: ['eu-west-1', 'us-east-1'] } },
};

/** Parses a command the way the API does, so tests exercise the same defaults. */
export const command = (raw: unknown): ControlCommand => ControlCommand.parse(raw);
