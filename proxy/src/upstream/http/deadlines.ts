import { SlotList } from '../../runtime/slot-list.js';

/**
 * Deadlines of calls in flight, checked by one shared timer instead of a timer per call: a Node
 * timer costs a few microseconds to arm and clear, a slot in a `SlotList` a fraction of that, and
 * upstream timeouts are whole seconds, so a check every `resolutionMs` is precise enough. Each
 * entry's `expire` closure holds its whole call, which is why they are kept in a `SlotList` and not
 * a Set (see there).
 */
interface Entry {
  readonly at: number;
  readonly expire: () => void;
}

export class Deadlines {
  private readonly pending = new SlotList<Entry>();
  private timer: NodeJS.Timeout | undefined;
  // made once, not in `add`: a closure made there would share, and keep, that call's context
  private readonly tick = () => this.check();

  constructor(private readonly resolutionMs = 100) {}

  /** Calls `expire` once, at the earliest `resolutionMs` after `ms` from now, unless cancelled first. */
  add(ms: number, expire: () => void): () => void {
    const entry: Entry = { at: performance.now() + ms, expire };
    const slot = this.pending.add(entry);
    this.timer ??= setInterval(this.tick, this.resolutionMs).unref();
    return () => {
      this.pending.delete(slot, entry);
    };
  }

  get size(): number {
    return this.pending.size;
  }

  private check(): void {
    const now = performance.now();
    for (const [slot, entry] of this.pending.entries()) {
      if (entry.at > now) continue;
      this.pending.delete(slot, entry);
      entry.expire();
    }
    if (!this.pending.size) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
