import { z } from 'zod';
import { Actor } from './actor.js';
import { TenantId, Timestamp } from './ids.js';

/** A stream id names one aggregate instance: `<aggregate>-<id>`, for example `tenant-ten_01J…`. */
export const StreamId = z.string().regex(/^[a-z][a-z-]*-[A-Za-z0-9_-]+$/, { message: 'must be <aggregate>-<id>' });
export type StreamId = z.infer<typeof StreamId>;

/**
 * The metadata every stored event carries. `expectedVersion` is the stream version the writer saw
 * when it decided; consumers void an event whose expected version is not the stream's current
 * version ("the log is the arbiter", DESIGN.md). `streamVersion` is the version the stream has after
 * this event (first event: 1).
 */
export const EventMetadata = z.object({
  eventId: z.uuid(),
  tenantId: TenantId,
  streamId: StreamId,
  streamVersion: z.number().int().positive(),
  expectedVersion: z.number().int().nonnegative(),
  actor: Actor,
  correlationId: z.string().min(1).max(128),
  causationId: z.string().min(1).max(128).optional(),
  time: Timestamp,
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** Builds the schema of one event type: `{ type: <literal>, data, metadata }`. */
export const eventSchema = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data, metadata: EventMetadata });

/** The shape of any event before its data is checked against its own schema. */
export const AnyEventEnvelope = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z]+$/, { message: 'must be a PascalCase past-tense event type' }),
  data: z.record(z.string(), z.unknown()),
  metadata: EventMetadata,
});
export type AnyEventEnvelope = z.infer<typeof AnyEventEnvelope>;

/** A commit's header: everything but the events, whose shapes are checked one by one by readers. */
export const CommitHeader = z.object({
  commitId: z.uuid(),
  tenantId: TenantId,
  streamId: StreamId,
  expectedVersion: z.number().int().nonnegative(),
  events: z.array(z.unknown()).min(1).max(1000),
});

/**
 * Why a commit's events do not belong together: each must be of the commit's stream and tenant,
 * and their versions must follow the commit's expected version. Empty when they do.
 */
export const commitConsistencyIssues = (
  commit: { tenantId: string; streamId: string; expectedVersion: number },
  events: readonly { metadata: Pick<EventMetadata, 'tenantId' | 'streamId' | 'streamVersion' | 'expectedVersion'> }[],
): { index: number; message: string }[] =>
  events.flatMap(({ metadata: m }, index) => {
    if (m.streamId !== commit.streamId || m.tenantId !== commit.tenantId) return [{ index, message: 'event belongs to another stream or tenant' }];
    if (m.expectedVersion !== commit.expectedVersion || m.streamVersion !== commit.expectedVersion + index + 1) {
      return [{ index, message: 'event versions do not follow the commit' }];
    }
    return [];
  });

/**
 * The unit written to the log: one command's events as one record, so they apply all or nothing.
 * Every event in a commit belongs to `streamId` and their versions follow `expectedVersion`.
 */
export const CommitRecord = CommitHeader.extend({ events: z.array(AnyEventEnvelope).min(1).max(1000) }).superRefine((commit, ctx) => {
  for (const issue of commitConsistencyIssues(commit, commit.events)) {
    ctx.addIssue({ code: 'custom', path: ['events', issue.index, 'metadata'], message: issue.message });
  }
});
export type CommitRecord = z.infer<typeof CommitRecord>;
