/**
 * Deadlines of calls in flight, checked by one shared timer instead of a timer per call: a Node
 * timer costs a few microseconds to arm and clear, a slot in an array a fraction of that, and
 * upstream timeouts are whole seconds, so a check every `resolutionMs` is precise enough.
 *
 * Why an array of slots and not a Set: each entry's `expire` closure holds its whole call (request,
 * answer channel, upstream exchange). Once a V8 Set or Map has grown large (a burst of calls in
 * flight, e.g. behind a slow upstream) and lives in the old generation, the members deleted from it
 * afterwards still survive every scavenge until the next full GC; measured in the benchmark's proxy
 * at 3,000 calls/s, that promoted about 400 KB of finished calls per scavenge (scavenges of 1 ms
 * instead of 0.4, and old-generation garbage that full GCs then had to collect). A slot set back to
 * `undefined` lets go at once, however large the array once grew (proxy/bench/FINDINGS.md,
 * "2026-11-27, night").
 */
interface Entry {
  readonly at: number;
  readonly expire: () => void;
}

export class Deadlines {
  private readonly slots: (Entry | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  // made once, not in `add`: a closure made there would share, and keep, that call's context
  private readonly tick = () => this.check();

  constructor(private readonly resolutionMs = 100) {}

  /** Calls `expire` once, at the earliest `resolutionMs` after `ms` from now, unless cancelled first. */
  add(ms: number, expire: () => void): () => void {
    const entry: Entry = { at: performance.now() + ms, expire };
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = entry;
    this.pending += 1;
    this.timer ??= setInterval(this.tick, this.resolutionMs).unref();
    // the slot may hold another call's entry by now (this one expired and the slot was reused)
    return () => {
      if (this.slots[slot] === entry) this.release(slot);
    };
  }

  get size(): number {
    return this.pending;
  }

  private release(slot: number): void {
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.pending -= 1;
  }

  private check(): void {
    const now = performance.now();
    for (let slot = 0; slot < this.slots.length; slot++) {
      const entry = this.slots[slot];
      if (!entry || entry.at > now) continue;
      this.release(slot);
      entry.expire();
    }
    if (!this.pending) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
