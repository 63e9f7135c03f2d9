import { redact } from './read-model.projection.js';

/**
 * An aggregate's state as the activity history stores it: secrets redacted, Maps as objects, kept
 * as its JSON text only. The same snapshot is written twice (as the `after` of one event and the
 * `before` of the stream's next), so recent ones stay in memory between the two (`StreamStates`);
 * the redacted copy is dropped as soon as its text is made (keeping both held twice the memory,
 * which every major GC then marked). `value` and `JSON.stringify` (`toJSON`) read the text back.
 */
export class StateSnapshot {
  readonly json: string;

  constructor(value: Record<string, unknown>) {
    this.json = JSON.stringify(value);
  }

  get value(): Record<string, unknown> {
    return JSON.parse(this.json) as Record<string, unknown>;
  }

  toJSON(): Record<string, unknown> {
    return this.value;
  }
}

/** An aggregate's state before and after one event, as the activity history stores it. */
export interface StateChange {
  readonly before: StateSnapshot | null;
  readonly after: StateSnapshot | null;
}

const isAbsent = (state: unknown) => state === undefined || (state as { status?: string }).status === 'absent';

/** How many streams' latest snapshots `StreamStates` keeps in each of its two generations by default. */
export const STREAM_STATES_KEPT = 10_000;

/**
 * Turns the raw states the log applier hands over (`AppliedCommit.states`) into redacted snapshots
 * for the activity history, taking each state's snapshot once. Aggregate states are immutable, so
 * while a stream's state object is unchanged its snapshot is too: the `after` of one event is the
 * very `before` of the stream's next event.
 *
 * The latest snapshots of recently changed streams are remembered, in two generations of up to
 * `kept` streams each: when the current one is full it becomes the previous one, and what the
 * previous one held is dropped (a set and a lookup or two per event, no reordering). A stream's
 * events mostly come close together (a key issued, then rotated), so that catches nearly every
 * `before`; one that comes back after longer has its `before` taken again from the state, the
 * same text. Keeping one per stream of the whole log grew without bound with the number of keys,
 * servers and policies ever created (160 MB of text after a 1,000,000-event replay), which every
 * major GC then marked.
 */
export class StreamStates {
  private current = new Map<string, Remembered>();
  private previous = new Map<string, Remembered>();

  constructor(private readonly kept = STREAM_STATES_KEPT) {}

  private snapshot(streamId: string, state: unknown): StateSnapshot | null {
    const known = this.current.get(streamId) ?? this.previous.get(streamId);
    if (known && known.state === state) return known.snapshot;
    const snapshot = isAbsent(state) ? null : new StateSnapshot(redact(state) as Record<string, unknown>);
    if (this.current.size >= this.kept && !this.current.has(streamId)) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(streamId, { state, snapshot });
    return snapshot;
  }

  /** The snapshots of `streamId` around one event, from the raw states before and after it. */
  change(streamId: string, { before, after }: { readonly before: unknown; readonly after: unknown }): StateChange {
    return { before: this.snapshot(streamId, before), after: this.snapshot(streamId, after) };
  }

  /** How many streams' snapshots are remembered now (at most twice `kept`). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

interface Remembered {
  readonly state: unknown;
  readonly snapshot: StateSnapshot | null;
}
