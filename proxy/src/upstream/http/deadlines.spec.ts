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

  it('a late cancel of an expired deadline leaves the call that reused its slot alone', async () => {
    const sut = new Deadlines(5);
    const expired: string[] = [];
    const cancelFirst = sut.add(1, () => expired.push('first'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(expired).toEqual(['first']);
    sut.add(40, () => expired.push('second'));
    cancelFirst();
    expect(sut.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(expired).toEqual(['first', 'second']);
  });

  it('after a burst, cancelled slots are reused and the count goes back to zero', () => {
    const sut = new Deadlines(5);
    const cancels = Array.from({ length: 2_000 }, () => sut.add(60_000, () => {}));
    expect(sut.size).toBe(2_000);
    for (const cancel of cancels) cancel();
    expect(sut.size).toBe(0);
    for (let i = 0; i < 10_000; i++) sut.add(60_000, () => {})();
    expect(sut.size).toBe(0);
    // cancelling twice changes nothing
    const cancel = sut.add(60_000, () => {});
    cancel();
    cancel();
    expect(sut.size).toBe(0);
  });
});
