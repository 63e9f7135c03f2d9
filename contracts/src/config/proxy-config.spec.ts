import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { proxyConfigFromEnv } from './proxy-config.js';

const base = {
  MCPGATE_REGION: 'eu-west-1',
  MCPGATE_TRUSTED_SIGNING_KEYS: JSON.stringify({ 'cp-1': '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----' }),
  MCPGATE_REGION_KEY: JSON.stringify({ keyId: 'eu-west-1/1', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }),
};

describe(proxyConfigFromEnv.name, () => {
  it('reads every variable and fills the defaults', () => {
    const sut = proxyConfigFromEnv({ ...base, MCPGATE_KAFKA_BROKERS: 'k1:9092, k2:9092', MCPGATE_PROXY_ALLOWED_HOSTS: 'mcp.example.com', MCPGATE_TRACES_EXPORTER: 'otlp' }, { hostname: 'box' });
    expect(sut).toMatchObject({
      region: 'eu-west-1',
      proxyId: 'box',
      listen: { host: '127.0.0.1', port: 8080 },
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      allowedHosts: ['mcp.example.com'],
      tracesExporter: 'otlp',
      limits: { maxBodyBytes: 4 * 1024 * 1024, sessionLifetimeSeconds: 86_400, maxConcurrentRequests: 4_096 },
      insecureHttpIdentityProviders: false,
      audit: { spoolMaxBytes: 1024 ** 3, spoolSegmentBytes: 16 * 1024 * 1024, spoolWrites: 'adaptive' },
    });
  });

  it('reads the audit spool settings and refuses a write mode it does not know', () => {
    const sut = proxyConfigFromEnv({ ...base, MCPGATE_AUDIT_SPOOL_DIR: '/var/spool/mcpgate', MCPGATE_AUDIT_SPOOL_MAX_BYTES: '268435456', MCPGATE_AUDIT_SPOOL_WRITES: 'off-thread' });
    expect(sut.audit).toEqual({ spoolDir: '/var/spool/mcpgate', spoolMaxBytes: 268_435_456, spoolSegmentBytes: 16 * 1024 * 1024, spoolWrites: 'off-thread' });
    expect(() => proxyConfigFromEnv({ ...base, MCPGATE_AUDIT_SPOOL_WRITES: 'inline' })).toThrow(/spoolWrites/);
  });

  it('reads the load-shedding limit, keeps the other limits at their defaults, and refuses one that is not a positive whole number', () => {
    const sut = proxyConfigFromEnv({ ...base, MCPGATE_PROXY_MAX_CONCURRENT_REQUESTS: '512' });
    expect(sut.limits).toMatchObject({ maxConcurrentRequests: 512, maxBodyBytes: 4 * 1024 * 1024, headersTimeoutMs: 10_000 });
    for (const bad of ['0', '-3', '2.5', 'lots']) expect(() => proxyConfigFromEnv({ ...base, MCPGATE_PROXY_MAX_CONCURRENT_REQUESTS: bad })).toThrow(/maxConcurrentRequests/);
  });

  it('refuses to start without a region, trusted keys or a region key, naming each', () => {
    const error = (() => {
      try {
        proxyConfigFromEnv({});
      } catch (e) {
        return e as ZodError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ZodError);
    expect(error!.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['region', 'trustedSigningKeys', 'regionKey']));
    expect(() => proxyConfigFromEnv({ ...base, MCPGATE_REGION_KEY: '{not json' })).toThrow(/MCPGATE_REGION_KEY|not valid JSON/);
  });
});
