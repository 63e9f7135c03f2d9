/**
 * A Map bounded to `maxSize` entries that forgets the least recently used one first (nearly: see
 * `get`). Limit state lives per replica and per subject (key, user, tool), and opened session ids
 * per token, so without a bound an attacker cycling through user names, tool names or tokens could
 * grow them without end.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, { value: V; stamp: number }>();
  /** Insertions so far: an entry's stamp says how many insertions ago it moved to the young end. */
  #clock = 0;

  constructor(readonly maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The entry, marked as recently used. A Map iterates in insertion order, so marking means
   * re-inserting; that is done only once the entry has drifted into the older half (at least
   * maxSize / 2 insertions ago). A hot entry thus still never reaches the eviction end, and a hit
   * does not delete and re-insert on every call: in a long-lived Map that churns the table V8
   * rehashes into the old generation, which was a visible share of the proxy's major GC work.
   */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#clock - entry.stamp >= this.maxSize / 2) {
      this.#entries.delete(key);
      entry.stamp = ++this.#clock;
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  /** Forgets the entry, if there is one. */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Every entry, oldest first; deleting entries while iterating is allowed. Marks nothing as used. */
  *entries(): Generator<[K, V]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  /** Adds or replaces an entry as the most recently used, then evicts the oldest beyond the bound. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, stamp: ++this.#clock });
    while (this.#entries.size > this.maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
