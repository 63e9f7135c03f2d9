import { describe, expect, it } from 'vitest';
import { SlotList } from './slot-list.js';

describe(SlotList.name, () => {
  it('holds values until deleted, and reuses a freed slot', () => {
    const list = new SlotList<string>();
    const a = list.add('a');
    const b = list.add('b');
    expect(list.size).toBe(2);
    expect(list.delete(a, 'a')).toBe(true);
    expect(list.add('c')).toBe(a);
    expect([...list.entries()]).toEqual([
      [a, 'c'],
      [b, 'b'],
    ]);
    expect(list.size).toBe(2);
  });

  it('leaves a reused slot alone when the value that was in it is deleted late, and deletes nothing twice', () => {
    const list = new SlotList<string>();
    const slot = list.add('first');
    expect(list.delete(slot, 'first')).toBe(true);
    expect(list.delete(slot, 'first')).toBe(false);
    list.add('second');
    expect(list.delete(slot, 'first')).toBe(false);
    expect([...list.entries()]).toEqual([[slot, 'second']]);
  });

  it('allows deleting while iterating, and clear lets go of everything', () => {
    const list = new SlotList<number>();
    for (let i = 0; i < 5; i++) list.add(i);
    for (const [slot, value] of list.entries()) if (value % 2 === 0) list.delete(slot, value);
    expect([...list.entries()].map(([, value]) => value)).toEqual([1, 3]);
    list.clear();
    expect([list.size, [...list.entries()]]).toEqual([0, []]);
    expect(list.delete(1, 1)).toBe(false);
    expect(list.add(7)).toBe(0);
  });
});
