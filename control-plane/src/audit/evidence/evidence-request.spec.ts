import { describe, expect, it } from 'vitest';
import { validateRequest } from './evidence-request.js';

const now = new Date('2026-11-25T12:00:00Z');

describe(validateRequest.name, () => {
  it('accepts a framework in any case and a period that started in the past', () => {
    expect(validateRequest('soc2', new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), now)).toBe('SOC2');
    expect(validateRequest('HIPAA', new Date('2025-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'), now)).toBe('HIPAA');
  });

  it.each([
    ['PCI', '2026-11-01', '2026-11-02', 'evidence.unknown_framework'],
    ['SOC2', '2026-11-02', '2026-11-01', 'evidence.invalid_period'],
    ['SOC2', '2026-11-01', '2026-11-01', 'evidence.invalid_period'],
    ['SOC2', 'nonsense', '2026-11-01', 'evidence.invalid_period'],
    ['SOC2', '2026-12-01', '2026-12-02', 'evidence.invalid_period'],
    ['SOC2', '2024-01-01', '2026-01-01', 'evidence.period_too_long'],
  ])('refuses %s from %s to %s with %s', (framework, from, to, reason) => {
    expect(() => validateRequest(framework, new Date(from), new Date(to), now)).toThrow(expect.objectContaining({ reason }));
  });
});
