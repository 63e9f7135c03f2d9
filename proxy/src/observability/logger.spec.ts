import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logLine } from './logger.js';

const KEY = 'mcpg_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f';
const API_TOKEN = 'mcpgsa_Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1z';
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc2NDA2NDgwMH0.c2lnbmF0dXJlLWJ5dGVz';

/** A logger writing into memory; `lines()` parses what was written, `raw()` is the text itself. */
const capture = (level?: string) => {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ proxyId: 'proxy-eu-1', region: 'eu-west', destination, ...(level ? { level } : {}) });
  const raw = () => chunks.join('');
  const lines = () => raw().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
};

describe(createLogger.name, () => {
  it('writes one JSON line with the proxy base fields, a level label, the message and the caller fields', () => {
    const { logger: sut, lines } = capture();
    sut.warn({ tenantId: 'acme', upstreams: ['github', 'jira'], latencyMs: 12 }, 'upstreams failed to initialize');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'warn',
      source: 'proxy',
      proxyId: 'proxy-eu-1',
      region: 'eu-west',
      message: 'upstreams failed to initialize',
      tenantId: 'acme',
      upstreams: ['github', 'jira'],
      latencyMs: 12,
    });
    expect(new Date(String(line?.['time'])).toISOString()).toBe(line?.['time']);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
  });

  it('lets a line name its own source, written once', () => {
    const { logger: sut, raw, lines } = capture();
    sut.info({ source: 'snapshot-source' }, 'Kafka unreachable');
    expect(lines()[0]?.['source']).toBe('snapshot-source');
    expect(raw().match(/"source"/g)).toHaveLength(1);
  });

  it('censors secret fields, whatever their value', () => {
    const { logger: sut, raw, lines } = capture();
    sut.info(
      {
        authorization: 'opaque-1',
        headers: { authorization: 'opaque-2', cookie: 'sid=opaque-3', 'mcp-session-id': 'opaque-4', accept: 'application/json' },
        'mcp-session-id': 'opaque-5',
        cookie: 'opaque-6',
        credential: { token: 'opaque-7', secret: 'opaque-8', password: 'opaque-9', kind: 'shared' },
        regionKey: { keyId: 'k1', privateKeyPem: '-----BEGIN PRIVATE KEY-----opaque-10' },
        env: { GITHUB_TOKEN: 'opaque-11' },
        launch: { command: 'npx', env: { API_KEY: 'opaque-12' } },
        token: 'opaque-13',
        upstream: { request: { headers: { Authorization: 'opaque-14', 'X-Api-Key': 'opaque-15' } }, oauth: { client_secret: 'opaque-16', accessToken: 'opaque-17' } },
      },
      'request',
    );
    expect(raw()).not.toMatch(/opaque-/);
    const [line] = lines();
    expect(line).toMatchObject({
      authorization: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'mcp-session-id': '[redacted]', accept: 'application/json' },
      'mcp-session-id': '[redacted]',
      cookie: '[redacted]',
      credential: { token: '[redacted]', secret: '[redacted]', password: '[redacted]', kind: 'shared' },
      regionKey: { keyId: 'k1', privateKeyPem: '[redacted]' },
      env: '[redacted]',
      launch: { command: 'npx', env: '[redacted]' },
      token: '[redacted]',
      upstream: { request: { headers: { Authorization: '[redacted]', 'X-Api-Key': '[redacted]' } }, oauth: { client_secret: '[redacted]', accessToken: '[redacted]' } },
    });
  });

  it('censors and scrubs the bindings of a child logger too', () => {
    const { logger, raw, lines } = capture();
    const sut = logger.child({ session: { token: 'opaque-1' }, caller: `key ${KEY}` });
    sut.info('hello');
    sut.child({ db: { password: 'opaque-2' } }).info('grandchild');
    expect(raw()).not.toMatch(/opaque-/);
    expect(raw()).not.toContain(KEY);
    expect(lines()).toEqual([
      expect.objectContaining({ session: { token: '[redacted]' }, caller: 'key [redacted]', message: 'hello' }),
      expect.objectContaining({ session: { token: '[redacted]' }, db: { password: '[redacted]' }, message: 'grandchild' }),
    ]);
  });

  it('scrubs keys, API tokens, JWTs and bearer credentials that slip into messages and ordinary fields', () => {
    const { logger: sut, raw, lines } = capture();
    sut.error({ detail: `upstream echoed ${KEY}`, nested: { args: ['--token', API_TOKEN] }, header: `Bearer ${JWT}` }, `rejected ${JWT} from %s`, `key ${KEY}`);
    const text = raw();
    for (const secret of [KEY, API_TOKEN, JWT]) expect(text).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      message: 'rejected [redacted] from key [redacted]',
      detail: 'upstream echoed [redacted]',
      nested: { args: ['--token', '[redacted]'] },
      header: 'Bearer [redacted]',
    });
  });

  it('scrubs an Error logged on its own or as err, message and stack alike', () => {
    const { logger: sut, raw, lines } = capture();
    sut.error(new Error(`cannot verify ${JWT}`));
    sut.error({ err: new Error(`refused ${KEY}`) });
    expect(raw()).not.toContain(JWT);
    expect(raw()).not.toContain(KEY);
    const [alone, asErr] = lines();
    expect(alone).toMatchObject({ message: 'cannot verify [redacted]', err: { type: 'Error', message: 'cannot verify [redacted]' } });
    expect(asErr).toMatchObject({ message: 'refused [redacted]', err: { message: 'refused [redacted]' } });
    expect(String((asErr?.['err'] as Record<string, unknown>)['stack'])).toContain('refused [redacted]');
  });

  it('does not change the objects it is given', () => {
    const { logger: sut } = capture();
    const fields = { headers: { authorization: `Bearer ${JWT}` }, detail: KEY };
    sut.info(fields, 'x');
    expect(fields).toEqual({ headers: { authorization: `Bearer ${JWT}` }, detail: KEY });
  });

  it('writes nothing below its level', () => {
    const { logger: sut, lines } = capture('warn');
    sut.info('quiet');
    sut.warn('loud');
    expect(lines().map((line) => line['message'])).toEqual(['loud']);
  });
});

describe(logLine.name, () => {
  it('maps each level of a log({ level, message, ...fields }) call to the logger', () => {
    const { logger, lines } = capture('debug');
    const sut = logLine(logger);
    for (const level of ['debug', 'info', 'warn', 'error']) sut({ level, message: `at ${level}`, key: 'stdio:github' });
    expect(lines().map(({ level, message, key }) => ({ level, message, key }))).toEqual([
      { level: 'debug', message: 'at debug', key: 'stdio:github' },
      { level: 'info', message: 'at info', key: 'stdio:github' },
      { level: 'warn', message: 'at warn', key: 'stdio:github' },
      { level: 'error', message: 'at error', key: 'stdio:github' },
    ]);
  });

  it('logs a missing or unknown level as info and a missing message as none', () => {
    const { logger, lines } = capture();
    const sut = logLine(logger);
    sut({ level: 'loud', message: 'odd level' });
    sut({ pid: 42 });
    const [odd, bare] = lines();
    expect(odd).toMatchObject({ level: 'info', message: 'odd level' });
    expect(bare).toMatchObject({ level: 'info', pid: 42 });
    expect(bare).not.toHaveProperty('message');
  });

  it('drops lines below the logger level and still scrubs and censors the rest', () => {
    const { logger, raw, lines } = capture();
    const sut = logLine(logger);
    sut({ level: 'debug', message: 'noise' });
    sut({ level: 'warn', message: `stdio upstream said ${KEY}`, env: { TOKEN: 'opaque' } });
    expect(raw()).not.toContain(KEY);
    expect(raw()).not.toContain('opaque');
    expect(lines()).toEqual([expect.objectContaining({ level: 'warn', message: 'stdio upstream said [redacted]', env: '[redacted]' })]);
  });
});
