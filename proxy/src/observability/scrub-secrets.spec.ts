import { describe, expect, it } from 'vitest';
import { REDACTED, scrubFields, scrubSecrets, scrubValue } from './scrub-secrets.js';

const KEY = 'mcpg_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f';
const API_TOKEN = 'mcpgsa_Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1z';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc2NDA2NDgwMH0.c2lnbmF0dXJlLWJ5dGVz';

describe(scrubSecrets.name, () => {
  it('replaces virtual keys, API tokens, JWTs and bearer credentials wherever they sit in a text', () => {
    const sut = scrubSecrets;
    expect(sut(`key=${KEY}; token ${API_TOKEN}`)).toBe(`key=${REDACTED}; token ${REDACTED}`);
    expect(sut(`id_token:${JWT} then more`)).toBe(`id_token:${REDACTED} then more`);
    expect(sut('authorization: Bearer abc.DEF-ghi_jkl~mno+pqr/stu==')).toBe(`authorization: Bearer ${REDACTED}`);
    expect(sut('BEARER 0123456789abcdef')).toBe(`BEARER ${REDACTED}`);
    expect(sut(`Bearer ${KEY}`)).toBe(`Bearer ${REDACTED}`);
  });

  it('scrubs an unsigned JWT (empty third segment)', () => {
    expect(scrubSecrets('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.')).toBe(REDACTED);
  });

  it('leaves ordinary text alone, including prose about bearer tokens and short key-like words', () => {
    const sut = scrubSecrets;
    const texts = ['missing bearer token', 'Bearer realm="mcpgate", error="invalid_token"', 'mcpg_short', 'upstream eyJ is not a token', 'tools/call took 12ms'];
    for (const text of texts) expect(sut(text)).toBe(text);
  });

  it('scrubs a bare key prefix too (mcpg_ + 8 characters), erring on the safe side', () => {
    expect(scrubSecrets('key mcpg_Ab3dEf6h revoked')).toBe(`key ${REDACTED} revoked`);
  });
});

describe(scrubValue.name, () => {
  it('scrubs strings inside nested objects and arrays without touching the original', () => {
    const original = { outer: { list: ['fine', `Bearer ${JWT}`], n: 3, ok: true }, untouched: { a: 'b' } };
    const snapshot = structuredClone(original);
    const sut = scrubValue(original) as typeof original;
    expect(sut).toEqual({ outer: { list: ['fine', `Bearer ${REDACTED}`], n: 3, ok: true }, untouched: { a: 'b' } });
    expect(original).toEqual(snapshot);
    expect(sut.untouched).toBe(original.untouched);
  });

  it('returns the very same object when there is nothing to scrub', () => {
    const fields = { a: 'plain', b: [1, 'two'], c: { d: null } };
    expect(scrubValue(fields)).toBe(fields);
    expect(scrubFields(fields)).toBe(fields);
  });

  it('turns an Error into a plain object with its message, stack and cause scrubbed', () => {
    const error = Object.assign(new Error(`upstream refused ${KEY}`, { cause: new Error(`jwt ${JWT}`) }), { code: 'ECONNREFUSED' });
    const sut = scrubValue(error) as Record<string, unknown>;
    expect(sut).toMatchObject({ type: 'Error', message: `upstream refused ${REDACTED}`, code: 'ECONNREFUSED', cause: { message: `jwt ${REDACTED}` } });
    expect(String(sut['stack'])).not.toContain(KEY);
  });

  it('stops at a bounded depth, so a cycle cannot hang the logger', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(JSON.stringify(scrubValue(cyclic))).toContain('[too deep]');
  });

  it('keeps a __proto__ field a field when it copies', () => {
    const parsed = JSON.parse(`{"__proto__":"${KEY}","a":1}`) as Record<string, unknown>;
    const sut = scrubFields(parsed);
    expect(Object.getPrototypeOf(sut)).toBe(Object.prototype);
    expect(JSON.stringify(sut)).toBe(`{"__proto__":"${REDACTED}","a":1}`);
  });
});
