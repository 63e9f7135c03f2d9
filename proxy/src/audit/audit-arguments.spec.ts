import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argumentsHash, canonicalJson, NotJsonError, REDACTED, redactArguments } from './audit-arguments.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc2NDA2NDgwMH0.c2lnbmF0dXJlLWJ5dGVz';
const KEY = 'mcpg_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f';

describe(canonicalJson.name, () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is the same whatever the key order, and differs when a value does', () => {
    const one = { repo: 'acme/api', labels: ['bug', 'p1'], body: { title: 'Crash', draft: false } };
    const two = { body: { draft: false, title: 'Crash' }, labels: ['bug', 'p1'], repo: 'acme/api' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(argumentsHash(one)).toBe(argumentsHash(two));
    expect(argumentsHash(one)).not.toBe(argumentsHash({ ...two, labels: ['p1', 'bug'] }));
    expect(argumentsHash(one)).toBe(createHash('sha256').update(canonicalJson(one)).digest('hex'));
    expect(argumentsHash(one)).toMatch(/^[a-f0-9]{64}$/);
  });

  it('sorts by UTF-16 code units and escapes like JSON', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, '10': 4, '9': 5, a: '"\n\u2028😀' })).toBe('{"10":4,"9":5,"B":2,"a":"\\"\\n\u2028😀","b":1,"é":3}');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('treats undefined as JSON does and writes numbers and dates as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: -0, d: 1e21, e: 0.1 + 0.2 })).toBe('{"b":[null,1],"c":0,"d":1e+21,"e":0.30000000000000004}');
    expect(canonicalJson({ at: new Date('2026-11-25T10:00:00.000Z') })).toBe('{"at":"2026-11-25T10:00:00.000Z"}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('hashes a value exactly like its JSON round trip', () => {
    const args = { query: 'SELECT 1', limit: 10, nested: { list: [1, 'two', { three: 3 }], flag: true, none: null } };
    expect(argumentsHash(args)).toBe(argumentsHash(JSON.parse(JSON.stringify(args))));
  });

  it('refuses values JSON cannot hold, naming where they are', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: [unknown, RegExp][] = [
      [undefined, /^\$ is undefined/],
      [{ n: Number.NaN }, /^\$\.n is NaN/],
      [{ list: [1, Number.POSITIVE_INFINITY] }, /^\$\.list\[1\] is Infinity/],
      [{ big: 10n }, /^\$\.big is a bigint/],
      [{ fn: () => 1 }, /^\$\.fn is a function/],
      [{ sym: Symbol('s') }, /^\$\.sym is a symbol/],
      [{ map: new Map([['a', 1]]) }, /^\$\.map is a Map/],
      [{ set: new Set([1]) }, /^\$\.set is a Set/],
      [circular, /^\$\.self is a circular reference/],
    ];
    for (const [value, message] of cases) {
      expect(() => canonicalJson(value)).toThrow(NotJsonError);
      expect(() => canonicalJson(value)).toThrow(message);
    }
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}'); // shared is not circular
  });

  it('refuses absurd nesting with an error instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i += 1) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nested deeper than 1000/);
  });
});

describe(redactArguments.name, () => {
  it('redacts values under secret-looking names at any depth, case-insensitively', () => {
    const names = ['password', 'passwd', 'PASSWORD', 'secret', 'client_secret', 'token', 'githubToken', 'access_token', 'refresh_token', 'api_key', 'apikey', 'X-Api-Key', 'apiKey', 'Authorization', 'cookie', 'Set-Cookie', 'private_key', 'privateKey', 'credential', 'awsCredentials', 'passphrase'];
    const args = Object.fromEntries(names.map((name) => [name, 'hunter2']));
    expect(redactArguments(args)).toEqual(Object.fromEntries(names.map((name) => [name, REDACTED])));
    expect(redactArguments({ repo: 'acme/api', config: { headers: [{ Authorization: 'Basic dXNlcjpwYXNz', Accept: 'json' }], db: { user: 'app', password: { env: 'X' } } } })).toEqual({
      repo: 'acme/api',
      config: { headers: [{ Authorization: REDACTED, Accept: 'json' }], db: { user: 'app', password: REDACTED } },
    });
  });

  it('keeps token counts, which are numbers, and ordinary names', () => {
    expect(redactArguments({ max_tokens: 1024, tokenCount: 7, stream: true, keyword: 'secretary' })).toEqual({ max_tokens: 1024, tokenCount: 7, stream: true, keyword: 'secretary' });
    expect(redactArguments({ author: 'alice', keyboard: 'qwerty', monkey: 'see' })).toEqual({ author: 'alice', keyboard: 'qwerty', monkey: 'see' });
  });

  it('redacts strings that carry an mcpgate key, a JWT or a bearer credential, wherever they are', () => {
    const args = {
      note: `use ${KEY} for this`,
      service: 'mcpgsa_AbCdEfGh12',
      session: JWT,
      unsecured: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.',
      header: 'Bearer abc.def-ghi_jkl',
      lower: 'authorization: bearer 0123456789abcdef',
      list: ['fine', ['deeper', JWT]],
      command: "curl -H 'Authorization: Bearer sk-live-0123456789' https://api.example",
      pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIE...',
      github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
      aws: 'AKIAIOSFODNN7EXAMPLE',
    };
    expect(redactArguments(args)).toEqual({
      note: REDACTED,
      service: REDACTED,
      session: REDACTED,
      unsecured: REDACTED,
      header: REDACTED,
      lower: REDACTED,
      list: ['fine', ['deeper', REDACTED]],
      command: REDACTED,
      pem: REDACTED,
      github: REDACTED,
      aws: REDACTED,
    });
  });

  it('leaves look-alikes that are not secrets', () => {
    const args = { prefix: 'mcpg_short', words: 'the bearer of news', json: 'eyJ is how base64 JSON starts', version: '1.2.3' };
    expect(redactArguments(args)).toEqual(args);
  });

  it('truncates long strings with a marker, after looking for secrets in the whole string', () => {
    const long = 'x'.repeat(10_000);
    expect(redactArguments({ long }).long).toBe(`${'x'.repeat(4096)}…[truncated 5904 chars]`);
    expect(redactArguments({ late: `${'x'.repeat(5000)} ${JWT}` }).late).toBe(REDACTED);
    // never splits a surrogate pair
    const emoji = `${'x'.repeat(4095)}😀tail`;
    expect(redactArguments({ emoji }).emoji).toBe(`${'x'.repeat(4095)}…[truncated 6 chars]`);
  });

  it('caps nesting depth and total size so the audit event stays small', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 30; i += 1) deep = { d: deep };
    let node: unknown = redactArguments(deep);
    let depth = 0;
    while (typeof node === 'object' && node !== null && 'd' in node) {
      node = (node as { d: unknown }).d;
      depth += 1;
    }
    expect(depth).toBe(20);
    expect(node).toBe('[truncated: nested too deep]');

    const huge = { rows: Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `row ${i}` })) };
    const redacted = redactArguments(huge);
    const size = JSON.stringify(redacted).length;
    expect(size).toBeLessThan(200_000);
    expect((redacted.rows as unknown[]).at(-1)).toMatch(/^\[truncated: \d+ more items\]$/);

    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v'.repeat(10)]));
    const cut = redactArguments(wide, { maxTotalLength: 1000 });
    expect(Object.keys(cut).length).toBeLessThan(200);
    expect(cut['[truncated]']).toMatch(/^\d+ more members$/);
  });

  it('survives cycles and values JSON cannot hold, and leaves its input untouched', () => {
    const circular: Record<string, unknown> = { name: 'loop', token: 'abc' };
    circular.self = circular;
    const out = redactArguments({ circular, big: 12n, fn: () => 1, at: new Date('2026-11-25T10:00:00.000Z') });
    expect(out).toMatchObject({ big: '12', fn: '[unserializable]', at: '2026-11-25T10:00:00.000Z', circular: { name: 'loop', token: REDACTED } });
    expect(JSON.stringify(out).length).toBeLessThan(2000);
    expect(circular.token).toBe('abc');
  });

  it('keeps a `__proto__` member as data', () => {
    const out = redactArguments(JSON.parse('{"__proto__":{"password":"x","ok":1}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ password: REDACTED, ok: 1 });
  });
});
