import { describe, expect, it } from 'vitest';
import { ApiError, nextStep } from './api-error';

describe(ApiError.name, () => {
  it('keeps the code, reason and field issues of a GraphQL error', () => {
    const sut = ApiError.fromWire({
      message: 'the input is not valid',
      extensions: { code: 'VALIDATION', reason: 'input.invalid', issues: [{ path: ['data', 'config', 'connection', 'endpoints', 0, 'url'], message: 'Invalid URL' }] },
    });
    expect(sut).toMatchObject({ code: 'VALIDATION', reason: 'input.invalid', message: 'the input is not valid' });
    expect(sut.issueFor('connection.endpoints.0.url')).toBe('Invalid URL');
    expect(sut.issueFor('name')).toBeUndefined();
    expect(nextStep(sut)).toMatch(/highlighted fields/);
  });

  it('treats an unknown code as an internal error rather than trusting it', () => {
    expect(ApiError.fromWire({ message: 'x', extensions: { code: 'SOMETHING_ELSE' } }).code).toBe('INTERNAL');
  });
});
