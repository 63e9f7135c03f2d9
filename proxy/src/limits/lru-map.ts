/**
 * A Map bounded to `maxSize` entries that forgets the least recently used one first. Limit state
 * lives per replica and per subject (key, user, tool), so without a bound an attacker cycling
 * through user names or tool names could grow it without end.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, marked as the most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // a Map iterates in insertion order: re-inserting moves the entry to the young end
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Adds or replaces an entry as the most recently used, then evicts the oldest beyond the bound. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
