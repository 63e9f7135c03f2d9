import { describe, expect, it } from 'vitest';
import { bigintAsString, jsonWithBigints } from './json.js';

describe('jsonWithBigints', () => {
  const cases: Record<string, unknown> = {
    'a plain object': { a: 1, b: ['x', null, true], c: { d: 'e\n"f"' } },
    'a bigint at the top': 12345678901234567890n,
    'a bigint deep inside': { offsets: [{ partition: 0, next: 42n }], at: '2026-11-27T08:00:00.000Z' },
    'a value with toJSON': { when: new Date(Date.UTC(2026, 10, 27)), inner: { toJSON: () => ({ n: 7n }) } },
    'undefined fields': { kept: 1, dropped: undefined },
  };

  for (const [name, value] of Object.entries(cases)) {
    it(`writes ${name} exactly as the bigint replacer does`, () => {
      expect(jsonWithBigints(value)).toBe(JSON.stringify(value, bigintAsString));
    });
  }

  it('still refuses a cycle', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => jsonWithBigints(cycle)).toThrow(TypeError);
  });
});
