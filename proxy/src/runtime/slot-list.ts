/**
 * Values held in array slots reused through a free list: for per-call state that something
 * long-lived must reach (deadlines of calls in flight, the requests a benchmark phase may abort).
 *
 * Why not a Set or a Map: once a V8 Set or Map has grown large (a burst of calls in flight, e.g.
 * behind a slow upstream) and lives in the old generation, the members deleted from it afterwards
 * still survive every scavenge until the next full GC. Per-call state holds its whole call, so every
 * finished call went to the old generation: in the proxy benchmark at 3,000 calls/s about 400 KB per
 * scavenge, scavenges of 1 ms instead of 0.4 (proxy/bench/FINDINGS.md, "2026-11-27, night"). A slot
 * set back to `undefined` lets go at once, however large the array once grew.
 */
export class SlotList<T> {
  readonly #slots: (T | undefined)[] = [];
  readonly #free: number[] = [];
  #size = 0;

  /** Holds `value`; returns the slot that `delete` takes. */
  add(value: T): number {
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = value;
    this.#size += 1;
    return slot;
  }

  /**
   * Lets go of `value` if `slot` still holds it: the slot may have been freed and reused by another
   * value since (or emptied by `clear`). True when it was let go of now.
   */
  delete(slot: number, value: T): boolean {
    if (this.#slots[slot] !== value) return false;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    this.#size -= 1;
    return true;
  }

  get size(): number {
    return this.#size;
  }

  /** Every value held, with its slot, in slot order; deleting while iterating is allowed. */
  *entries(): Generator<[number, T]> {
    for (let slot = 0; slot < this.#slots.length; slot++) {
      const value = this.#slots[slot];
      if (value !== undefined) yield [slot, value];
    }
  }

  /** Lets go of every value. */
  clear(): void {
    this.#slots.length = 0;
    this.#free.length = 0;
    this.#size = 0;
  }
}
