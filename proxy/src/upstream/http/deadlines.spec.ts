import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.js';

describe(Deadlines.name, () => {
  it('expires each deadline once, not before its time, and not at all when cancelled; the timer stops when none is left', async () => {
    const sut = new Deadlines(5);
    const expired: string[] = [];
    const started = performance.now();
    let firedAfter = 0;
    sut.add(20, () => {
      expired.push('first');
      firedAfter = performance.now() - started;
    });
    const cancel = sut.add(20, () => expired.push('cancelled'));
    sut.add(60, () => expired.push('later'));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(expired).toEqual(['first']);
    expect(firedAfter).toBeGreaterThanOrEqual(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(expired).toEqual(['first', 'later']);
    expect(sut.size).toBe(0);
  });
});
