import { describe, expect, it } from 'vitest';
import { ListCache } from './list-cache.js';

const keyOf = (server: string, list = 'tools/list') => ListCache.key('ten_a', server, 'e1', list, 'default');

describe('ListCache', () => {
  it('serves an entry until its TTL, then forgets it', () => {
    let now = 1_000;
    const cache = new ListCache<string[]>({ ttlMs: 100, maxEntries: 10 }, () => now);
    cache.set(keyOf('s1'), ['echo']);
    now += 99;
    expect(cache.get(keyOf('s1'))).toEqual(['echo']);
    now += 1;
    expect(cache.get(keyOf('s1'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is bounded, and keeps an entry that is read between insertions however many others churn past it', () => {
    const cache = new ListCache<number>({ ttlMs: 60_000, maxEntries: 50 });
    cache.set(keyOf('hot'), 1);
    for (let i = 0; i < 5_000; i++) {
      cache.set(keyOf(`cold-${i}`), i);
      expect(cache.get(keyOf('hot'))).toBe(1);
    }
    expect(cache.size).toBe(50);
    expect(cache.get(keyOf('cold-0'))).toBeUndefined();
  });

  it('drops one server’s lists on invalidation, or only one kind of list', () => {
    const cache = new ListCache<number>({ ttlMs: 60_000, maxEntries: 10 });
    cache.set(keyOf('s1'), 1);
    cache.set(keyOf('s1', 'prompts/list'), 2);
    cache.set(keyOf('s2'), 3);
    cache.invalidate('ten_a', 's1', 'tools/list');
    expect([cache.get(keyOf('s1')), cache.get(keyOf('s1', 'prompts/list')), cache.get(keyOf('s2'))]).toEqual([undefined, 2, 3]);
    cache.invalidate('ten_a', 's1');
    expect(cache.get(keyOf('s1', 'prompts/list'))).toBeUndefined();
  });
});
