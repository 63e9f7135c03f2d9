import { describe, expect, it } from 'vitest';
import { controlPlaneConfigFromEnv } from './control-plane-config.js';

describe(controlPlaneConfigFromEnv.name, () => {
  it('defaults to embedded storage under .mcpgate and the API on 127.0.0.1:4000', () => {
    expect(controlPlaneConfigFromEnv({})).toEqual({
      dataDir: '.mcpgate',
      database: { kind: 'pglite', dataDir: '.mcpgate/read-models' },
      api: { host: '127.0.0.1', port: 4000 },
      eventLog: { kind: 'file', dir: '.mcpgate/event-log' },
      keysDir: '.mcpgate/keys',
      environment: 'development',
      oidcProviders: [],
      audit: { enabled: true, groupId: 'mcpgate-audit-sink', lanes: 2, maxBatchEvents: 5_000, checkpointEvery: 1_000, checkpointIntervalMs: 10_000, topicRefreshMs: 30_000, adminActivity: true },
      budgetUsageIntervalMs: 2_000,
    });
  });

  it('reads how often budget usage is counted from MCPGATE_BUDGET_USAGE_INTERVAL_MS and names a bad value', () => {
    expect(controlPlaneConfigFromEnv({ MCPGATE_BUDGET_USAGE_INTERVAL_MS: '500' }).budgetUsageIntervalMs).toBe(500);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_BUDGET_USAGE_INTERVAL_MS: '10' })).toThrow(/MCPGATE_BUDGET_USAGE_INTERVAL_MS/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_BUDGET_USAGE_INTERVAL_MS: 'often' })).toThrow(/MCPGATE_BUDGET_USAGE_INTERVAL_MS/);
  });

  it('reads the audit sink settings from MCPGATE_AUDIT_* and names a bad one', () => {
    const sut = controlPlaneConfigFromEnv({ MCPGATE_AUDIT_SINK: 'off', MCPGATE_AUDIT_LANES: '4', MCPGATE_AUDIT_CHECKPOINT_EVERY: '250', MCPGATE_AUDIT_ADMIN_ACTIVITY: 'false', MCPGATE_AUDIT_GROUP_ID: 'sink-eu' });
    expect(sut.audit).toMatchObject({ enabled: false, lanes: 4, checkpointEvery: 250, adminActivity: false, groupId: 'sink-eu', maxBatchEvents: 5_000 });
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_AUDIT_LANES: '0' })).toThrow(/MCPGATE_AUDIT_LANES/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_AUDIT_SINK: 'maybe' })).toThrow(/MCPGATE_AUDIT_SINK/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_AUDIT_CHECKPOINT_INTERVAL_MS: 'soon' })).toThrow(/MCPGATE_AUDIT_CHECKPOINT_INTERVAL_MS/);
  });

  it('leaves the admission threads to the sink unless MCPGATE_AUDIT_ADMISSION_THREADS sets them (0 is allowed)', () => {
    expect(controlPlaneConfigFromEnv({}).audit.admissionThreads).toBeUndefined();
    expect(controlPlaneConfigFromEnv({ MCPGATE_AUDIT_ADMISSION_THREADS: '0' }).audit.admissionThreads).toBe(0);
    expect(controlPlaneConfigFromEnv({ MCPGATE_AUDIT_ADMISSION_THREADS: '3' }).audit.admissionThreads).toBe(3);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_AUDIT_ADMISSION_THREADS: '-1' })).toThrow(/MCPGATE_AUDIT_ADMISSION_THREADS/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_AUDIT_ADMISSION_THREADS: 'many' })).toThrow(/MCPGATE_AUDIT_ADMISSION_THREADS/);
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const sut = controlPlaneConfigFromEnv({ DATABASE_URL: 'postgresql://u:p@db:5432/mcpgate', MCPGATE_API_PORT: '8000' });
    expect(sut.database).toEqual({ kind: 'postgres', url: 'postgresql://u:p@db:5432/mcpgate' });
    expect(sut.api.port).toBe(8000);
  });

  it('switches to Kafka when brokers are given, and refuses a malformed broker list', () => {
    expect(controlPlaneConfigFromEnv({ MCPGATE_KAFKA_BROKERS: 'k1:9092, k2:9092' }).eventLog).toEqual({ kind: 'kafka', brokers: ['k1:9092', 'k2:9092'] });
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_KAFKA_BROKERS: 'k1' })).toThrow(/host:port/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_ENV: 'staging' })).toThrow();
  });

  it('reads identity providers with their preset defaults, and refuses an Entra preset on a foreign issuer', () => {
    const okta = { id: 'okta', preset: 'okta', issuer: 'https://acme.okta.com/oauth2/default', clientId: 'c', clientSecret: 's' };
    expect(controlPlaneConfigFromEnv({ MCPGATE_OIDC_PROVIDERS: JSON.stringify([okta]) }).oidcProviders).toEqual([{ ...okta, scopes: ['openid', 'profile', 'email'], groupsClaim: 'groups', platformAdminGroups: [] }]);
    const entra = { id: 'entra', preset: 'entra', issuer: 'https://idp.example/tenant', clientId: 'c', clientSecret: 's' };
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_OIDC_PROVIDERS: JSON.stringify([entra]) })).toThrow(/login.microsoftonline.com/);
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_OIDC_PROVIDERS: '[not json' })).toThrow(/not valid JSON/);
  });

  it('names the bad variable when a value is invalid', () => {
    expect(() => controlPlaneConfigFromEnv({ MCPGATE_API_PORT: 'eighty' })).toThrow(/api.*port|port/i);
    expect(() => controlPlaneConfigFromEnv({ DATABASE_URL: 'mysql://x' })).toThrow();
  });
});
