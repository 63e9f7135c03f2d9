import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

/**
 * The control plane's static configuration, read once at boot from the environment.
 * Each variable is documented here; `sensitive` ones are never logged.
 */
export const CONTROL_PLANE_ENV = {
  MCPGATE_DATA_DIR: { description: 'folder for embedded storage (PGlite read models, file event log)', sensitive: false },
  DATABASE_URL: { description: 'postgresql:// URL of the read-model database; unset = embedded PGlite under MCPGATE_DATA_DIR', sensitive: true },
  MCPGATE_API_HOST: { description: 'address the API and console listen on', sensitive: false },
  MCPGATE_API_PORT: { description: 'port of the API and console', sensitive: false },
  MCPGATE_KAFKA_BROKERS: { description: 'comma-separated host:port list; set = Kafka event log and snapshot topic, unset = embedded file log', sensitive: false },
  MCPGATE_KEYS_DIR: { description: 'folder with the signing, vault and region keys (default <data dir>/keys)', sensitive: false },
  MCPGATE_PUBLIC_URL: { description: 'the URL users reach the console at (redirect URIs are built from it); default http://<host>:<port>', sensitive: false },
  MCPGATE_OIDC_PROVIDERS: {
    description: 'JSON array of identity providers for admin login: [{id, preset: okta|entra|generic, issuer, clientId, clientSecret, displayName?, scopes?, groupsClaim?}]',
    sensitive: true,
  },
  MCPGATE_ENV: { description: '`development` (default for the embedded quickstart: missing keys are generated) or `production` (missing keys are an error)', sensitive: false },
  MCPGATE_AUDIT_SINK: { description: '`on` (default) runs the audit sink role in this process: with Kafka it consumes every mcpgate.audit.<region> topic, always it takes the in-process proxy\'s events and the admin activity; `off` leaves it to other replicas', sensitive: false },
  MCPGATE_AUDIT_GROUP_ID: { description: 'Kafka consumer group the audit sink replicas share (default mcpgate-audit-sink)', sensitive: false },
  MCPGATE_AUDIT_LANES: { description: 'audit writers in parallel, each on its own database connection for its share of the tenants (default 2)', sensitive: false },
  MCPGATE_AUDIT_MAX_BATCH_EVENTS: { description: 'audit events per database statement and lane at most (default 5000)', sensitive: false },
  MCPGATE_AUDIT_CHECKPOINT_EVERY: { description: 'a tenant\'s audit chain head is signed after this many new events (default 1000)', sensitive: false },
  MCPGATE_AUDIT_CHECKPOINT_INTERVAL_MS: { description: '...or once its oldest unsigned event is this old (default 10000)', sensitive: false },
  MCPGATE_AUDIT_ADMISSION_THREADS: { description: 'threads that parse and validate the audit records read from Kafka, off the main event loop (default: one less than the CPUs, at most 4; 0 does it on the main thread)', sensitive: false },
  MCPGATE_AUDIT_TOPIC_REFRESH_MS: { description: 'how often the audit sink looks for new region topics (default 30000)', sensitive: false },
  MCPGATE_BUDGET_USAGE_INTERVAL_MS: { description: 'how often the budget usage of tenants with budgets is counted from the audit trail and, when it changed, pushed to the proxies (default 2000)', sensitive: false },
  MCPGATE_AUDIT_ADMIN_ACTIVITY: { description: '`on` (default): every applied control-plane change is also an audit record of its tenant (kind admin)', sensitive: false },
} as const;

const onOff = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

/** The audit sink role (see control-plane/src/audit/README.md). Every field has a default. */
export const AuditSinkConfig = z.object({
  enabled: onOff.or(z.boolean()).default(true),
  groupId: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).default('mcpgate-audit-sink'),
  lanes: z.coerce.number().int().min(1).max(64).default(2),
  maxBatchEvents: z.coerce.number().int().min(1).max(100_000).default(5_000),
  checkpointEvery: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  checkpointIntervalMs: z.coerce.number().int().min(100).max(86_400_000).default(10_000),
  topicRefreshMs: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  /** Unset: one less than the CPUs, at most 4 (control-plane/src/audit/admission-pool.ts). */
  admissionThreads: z.coerce.number().int().min(0).max(32).optional(),
  adminActivity: onOff.or(z.boolean()).default(true),
});
export type AuditSinkConfig = z.infer<typeof AuditSinkConfig>;

/**
 * An identity provider for admin login. Presets fill in what Okta and Microsoft Entra ID send:
 * Okta puts group names in `groups` (once a groups claim is configured on its authorization server);
 * Entra puts group object ids in `groups` and app roles in `roles`, and replaces `groups` with an
 * overage pointer when a user is in more than 200 groups.
 */
export const OidcProviderConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    preset: z.enum(['okta', 'entra', 'generic']).default('generic'),
    displayName: z.string().min(1).max(100).optional(),
    issuer: z.url(),
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']),
    groupsClaim: z.string().min(1).max(100).default('groups'),
    /** Members of these IdP groups are platform admins (they manage tenants themselves). */
    platformAdminGroups: z.array(z.string().min(1)).default([]),
  })
  .superRefine((p, ctx) => {
    const [, protocol, host, path = ''] = /^(https?):\/\/([^/:?#]+)(?::\d+)?([^?#]*)/.exec(p.issuer) ?? [];
    if (host === '127.0.0.1' || host === 'localhost') return; // a local test or development IdP
    if (p.preset === 'entra' && !(host === 'login.microsoftonline.com' && path.endsWith('/v2.0'))) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'an Entra ID issuer looks like https://login.microsoftonline.com/<tenant id>/v2.0' });
    }
    if (p.preset === 'okta' && protocol !== 'https') ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'an Okta issuer is an https:// URL' });
  });
export type OidcProviderConfig = z.infer<typeof OidcProviderConfig>;

const BudgetUsageIntervalMs = z.coerce.number().int().min(100).max(3_600_000).default(2_000);

export const ControlPlaneConfig = z.object({
  dataDir: z.string().min(1),
  database: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('postgres'), url: z.url({ protocol: /^postgres(ql)?$/ }) }),
    z.object({ kind: z.literal('pglite'), dataDir: z.string().min(1) }),
  ]),
  api: z.object({ host: z.string().min(1), port }),
  eventLog: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), dir: z.string().min(1) }),
    z.object({ kind: z.literal('kafka'), brokers: z.array(z.string().regex(/^[^\s:,]+:\d+$/, { message: 'must be host:port' })).min(1) }),
  ]),
  keysDir: z.string().min(1),
  environment: z.enum(['development', 'production']),
  publicUrl: z.url().optional(),
  oidcProviders: z.array(OidcProviderConfig).default([]),
  audit: AuditSinkConfig.prefault({}),
  /** How often budget usage is counted from the audit trail and pushed to the proxies (control-plane/src/budget-usage/). */
  budgetUsageIntervalMs: BudgetUsageIntervalMs,
});
export type ControlPlaneConfig = z.infer<typeof ControlPlaneConfig>;

const parseJson = (name: string, value: string | undefined): unknown => {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new z.ZodError([{ code: 'custom', path: [name], message: 'is not valid JSON', input: undefined }]);
  }
};

const AUDIT_ENV: Readonly<Record<keyof AuditSinkConfig, keyof typeof CONTROL_PLANE_ENV>> = {
  enabled: 'MCPGATE_AUDIT_SINK',
  groupId: 'MCPGATE_AUDIT_GROUP_ID',
  lanes: 'MCPGATE_AUDIT_LANES',
  maxBatchEvents: 'MCPGATE_AUDIT_MAX_BATCH_EVENTS',
  checkpointEvery: 'MCPGATE_AUDIT_CHECKPOINT_EVERY',
  checkpointIntervalMs: 'MCPGATE_AUDIT_CHECKPOINT_INTERVAL_MS',
  topicRefreshMs: 'MCPGATE_AUDIT_TOPIC_REFRESH_MS',
  admissionThreads: 'MCPGATE_AUDIT_ADMISSION_THREADS',
  adminActivity: 'MCPGATE_AUDIT_ADMIN_ACTIVITY',
};

/** The MCPGATE_AUDIT_* variables that are set; a bad one is reported under its variable's name. */
const auditFromEnv = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const [field, name] of Object.entries(AUDIT_ENV)) {
    const value = env[name];
    if (!value) continue;
    const parsed = AuditSinkConfig.shape[field as keyof AuditSinkConfig].safeParse(value);
    if (!parsed.success) throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })));
    values[field] = value;
  }
  return values;
};

/** One variable checked on its own, so a bad value is reported under the variable's name; undefined when unset. */
const fromEnv = (env: Readonly<Record<string, string | undefined>>, name: keyof typeof CONTROL_PLANE_ENV, schema: z.ZodType): string | undefined => {
  const value = env[name];
  if (!value) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })));
  return value;
};

/**
 * Builds the configuration from environment variables (see CONTROL_PLANE_ENV) with the embedded
 * defaults: data under `.mcpgate/`, file event log, PGlite, API on 127.0.0.1:4000, development keys. Throws a ZodError naming each bad variable.
 */
export const controlPlaneConfigFromEnv = (env: Readonly<Record<string, string | undefined>>): ControlPlaneConfig => {
  const dataDir = env['MCPGATE_DATA_DIR'] || '.mcpgate';
  const databaseUrl = env['DATABASE_URL'];
  return ControlPlaneConfig.parse({
    dataDir,
    database: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir: `${dataDir}/read-models` },
    api: { host: env['MCPGATE_API_HOST'] || '127.0.0.1', port: env['MCPGATE_API_PORT'] || 4000 },
    eventLog: env['MCPGATE_KAFKA_BROKERS']
      ? { kind: 'kafka', brokers: env['MCPGATE_KAFKA_BROKERS'].split(',').map((b) => b.trim()).filter(Boolean) }
      : { kind: 'file', dir: `${dataDir}/event-log` },
    keysDir: env['MCPGATE_KEYS_DIR'] || `${dataDir}/keys`,
    environment: env['MCPGATE_ENV'] || 'development',
    ...(env['MCPGATE_PUBLIC_URL'] ? { publicUrl: env['MCPGATE_PUBLIC_URL'] } : {}),
    oidcProviders: parseJson('MCPGATE_OIDC_PROVIDERS', env['MCPGATE_OIDC_PROVIDERS']) ?? [],
    audit: auditFromEnv(env),
    budgetUsageIntervalMs: fromEnv(env, 'MCPGATE_BUDGET_USAGE_INTERVAL_MS', BudgetUsageIntervalMs),
  });
};
