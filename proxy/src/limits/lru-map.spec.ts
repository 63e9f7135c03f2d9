import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('refuses a bound that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });

  it('never holds more than its bound, and evicts the oldest insertion first', () => {
    const map = new LruMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) map.set(key, i);
    expect(map.size).toBe(3);
    expect([map.get('a'), map.get('b')]).toEqual([undefined, undefined]);
    expect([map.get('c'), map.get('d'), map.get('e')]).toEqual([2, 3, 4]);
  });

  it('keeps an entry read after it drifted into the older half, as an LRU would', () => {
    const map = new LruMap<string, number>(4);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
    expect(map.get('a')).toBe(0); // three insertions ago: older half, moved to the young end
    map.set('e', 4);
    expect(map.get('a')).toBe(0);
    expect(map.get('b')).toBeUndefined();
  });

  it('never evicts an entry that is read between insertions, however many keys churn past it', () => {
    const map = new LruMap<string, string>(100);
    map.set('hot', 'kept');
    for (let i = 0; i < 10_000; i++) {
      map.set(`cold-${i}`, 'x');
      expect(map.get('hot')).toBe('kept');
    }
    expect(map.size).toBe(100);
  });

  it('forgets a deleted entry', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.delete('a');
    map.delete('never-there');
    expect([map.get('a'), map.size]).toEqual([undefined, 0]);
  });

  it('lists its entries oldest first without marking them used, and lets them be deleted meanwhile', () => {
    const map = new LruMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) map.set(key, i);
    for (const [key] of map.entries()) if (key !== 'b') map.delete(key);
    expect([...map.entries()]).toEqual([['b', 1]]);
  });

  it('replaces a value in place and counts it once', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('a', 2);
    expect(map.size).toBe(1);
    expect(map.get('a')).toBe(2);
  });
});
