import type { ControlEvent } from '@mcpgate/contracts';

/** An event as a decider produces it: type and data; the handler adds the metadata. */
export type NewEvent<E extends ControlEvent = ControlEvent> = E extends ControlEvent ? Pick<E, 'type' | 'data'> : never;

/** The events of one aggregate type, narrowed from the catalogue by type name. */
export type EventOf<T extends ControlEvent['type']> = Extract<ControlEvent, { type: T }>;

/** What a decider returns: events for exactly one stream (possibly none, when already done). */
export interface Decision {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  /** Ids created by the command, returned to the caller (e.g. the new server's id). */
  readonly createdId?: string;
}

export const streamOf = (aggregate: string, id: string) => `${aggregate}-${id}`;
