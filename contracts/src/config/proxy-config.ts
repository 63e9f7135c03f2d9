import { z } from 'zod';

/**
 * The proxy's static configuration: where it listens, which region it serves, whose snapshots it
 * trusts and with which key it opens sealed secrets. Everything about tenants arrives in snapshots.
 */
export const PROXY_ENV = {
  MCPGATE_REGION: { description: 'the region this proxy serves, e.g. eu-west-1', sensitive: false },
  MCPGATE_PROXY_ID: { description: 'this replica’s name in status and audit (default: host name)', sensitive: false },
  MCPGATE_PROXY_HOST: { description: 'address the proxy listens on (default 127.0.0.1)', sensitive: false },
  MCPGATE_PROXY_PORT: { description: 'port of the proxy (default 8080)', sensitive: false },
  MCPGATE_PROXY_DATA_DIR: { description: 'where the last good snapshots are kept (default .mcpgate/proxy)', sensitive: false },
  MCPGATE_KAFKA_BROKERS: { description: 'host:port,… of Kafka (snapshot topic); unset in the single-process default', sensitive: false },
  MCPGATE_TRUSTED_SIGNING_KEYS: { description: 'JSON object: snapshot signing key id → Ed25519 public key (PEM)', sensitive: false },
  MCPGATE_REGION_KEY: { description: 'JSON {keyId, privateKeyPem}: this region’s key for sealed credentials and session ids', sensitive: true },
  MCPGATE_PROXY_PUBLIC_URL: { description: 'the base URL agents use (behind a load balancer); default: from the Host header', sensitive: false },
  MCPGATE_PROXY_ALLOWED_HOSTS: { description: 'comma-separated host names agents may use besides loopback (DNS-rebinding protection)', sensitive: false },
  MCPGATE_AUDIT_SPOOL_DIR: { description: 'where the audit spool lives (default <MCPGATE_PROXY_DATA_DIR>/audit-spool); one per proxy process, on local disk', sensitive: false },
  MCPGATE_AUDIT_SPOOL_MAX_BYTES: { description: 'disk the spool may use (default 1 GiB); beyond it each tenant’s onAuditFailure applies', sensitive: false },
  MCPGATE_AUDIT_SPOOL_WRITES: { description: 'where the spool’s synchronous writes run: adaptive (default; on the event loop while the disk is fast) or off-thread (always on the thread pool)', sensitive: false },
  MCPGATE_TRACES_EXPORTER: { description: 'otlp to export traces (with OTEL_EXPORTER_OTLP_ENDPOINT), none by default', sensitive: false },
  MCPGATE_LOG_LEVEL: { description: 'debug, info (default), warn or error', sensitive: false },
  MCPGATE_PROXY_MAX_CONCURRENT_REQUESTS: { description: 'agent requests (POSTs) a replica holds at once (default 4096); beyond it new ones get 503 with Retry-After', sensitive: false },
  MCPGATE_PROXY_ADVERTISE_URL: { description: 'how the region’s other replicas reach this one (default: the listen address)', sensitive: false },
} as const;

export const ProxyConfig = z.object({
  region: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
  proxyId: z.string().min(1).max(200),
  listen: z.object({ host: z.string().min(1), port: z.coerce.number().int().min(0).max(65_535) }),
  dataDir: z.string().min(1),
  kafkaBrokers: z.array(z.string().regex(/^[^\s:,]+:\d+$/, { message: 'must be host:port' })).default([]),
  trustedSigningKeys: z.record(z.string().min(1), z.string().includes('BEGIN PUBLIC KEY')).refine((keys) => Object.keys(keys).length > 0, {
    message: 'at least one trusted signing key is needed',
  }),
  regionKey: z.object({ keyId: z.string().min(1), privateKeyPem: z.string().includes('PRIVATE KEY') }),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  allowedHosts: z.array(z.string().min(1).max(253)).default([]),
  advertiseUrl: z.url({ protocol: /^https?$/ }).optional(),
  limits: z
    .object({
      /** Largest agent request body. */
      maxBodyBytes: z.number().int().min(1_024).max(256 * 1024 * 1024).default(4 * 1024 * 1024),
      /** How long a session id stays valid (sessions carry their state; there is no idle timer). */
      sessionLifetimeSeconds: z.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
      /** stdio upstream children this replica runs at most. */
      maxStdioProcesses: z.number().int().min(0).max(100_000).default(256),
      /** A stdio child idle this long is stopped. */
      stdioIdleSeconds: z.number().int().min(5).max(86_400).default(600),
      /** New sessions per second per caller (key, user, or anonymous per tenant), and the burst; beyond: 429. */
      newSessionsPerSecond: z.number().positive().max(100_000).default(50),
      newSessionsBurst: z.number().int().positive().max(1_000_000).default(200),
      /** A client must have sent its request headers within this time (slow-header clients are cut off). */
      headersTimeoutMs: z.number().int().min(500).max(300_000).default(10_000),
      /** … and its whole request body within this time. */
      requestTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
      /** Agent POSTs in progress at once; beyond it a request is refused with 503 and Retry-After before it is read (load shedding). */
      maxConcurrentRequests: z.coerce.number().int().min(1).max(1_000_000).default(4_096),
    })
    .default({
      maxBodyBytes: 4 * 1024 * 1024,
      sessionLifetimeSeconds: 24 * 3600,
      maxStdioProcesses: 256,
      stdioIdleSeconds: 600,
      newSessionsPerSecond: 50,
      newSessionsBurst: 200,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      maxConcurrentRequests: 4_096,
    }),
  /** The durable audit spool (used when Kafka brokers are configured; events are shipped to mcpgate.audit.<region>). */
  audit: z
    .object({
      spoolDir: z.string().min(1).optional(),
      spoolMaxBytes: z.coerce.number().int().min(4 * 1024 * 1024).default(1024 ** 3),
      spoolSegmentBytes: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
      /** Where the spool's synchronous writes run (proxy/src/audit/spool/README.md, "Where the write runs"). */
      spoolWrites: z.enum(['adaptive', 'off-thread']).default('adaptive'),
    })
    .refine((a) => a.spoolMaxBytes >= 4 * a.spoolSegmentBytes, { message: 'spoolMaxBytes must be at least 4 × spoolSegmentBytes' })
    .default({ spoolMaxBytes: 1024 ** 3, spoolSegmentBytes: 16 * 1024 * 1024, spoolWrites: 'adaptive' }),
  /** Where traces go: `otlp` (OTEL_EXPORTER_OTLP_ENDPOINT) or `none` (spans and trace ids stay in-process for audit). */
  tracesExporter: z.enum(['none', 'otlp']).default('none'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Accept http:// identity providers (JWKS and metadata over plain HTTP). Insecure: development and tests only. */
  insecureHttpIdentityProviders: z.boolean().default(false),
  /** How often the proxy reports its snapshot versions, endpoint health and tool catalogues to the control plane (also within a second of a snapshot swap). */
  reportIntervalSeconds: z.coerce.number().int().min(1).max(3600).default(10),
});
export type ProxyConfig = z.infer<typeof ProxyConfig>;

const jsonEnv = (name: string, value: string | undefined): unknown => {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new z.ZodError([{ code: 'custom', path: [name], message: 'is not valid JSON', input: undefined }]);
  }
};
const listEnv = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);

/**
 * The proxy's configuration from environment variables (see PROXY_ENV). Region, trusted signing
 * keys and the region key have no defaults: a proxy that does not know whose policy to trust
 * refuses to start. Throws a ZodError naming each bad variable.
 */
export const proxyConfigFromEnv = (env: Readonly<Record<string, string | undefined>>, defaults: { readonly hostname?: string } = {}): ProxyConfig =>
  ProxyConfig.parse({
    region: env['MCPGATE_REGION'],
    proxyId: env['MCPGATE_PROXY_ID'] || defaults.hostname || 'proxy',
    listen: { host: env['MCPGATE_PROXY_HOST'] || '127.0.0.1', port: env['MCPGATE_PROXY_PORT'] || 8080 },
    dataDir: env['MCPGATE_PROXY_DATA_DIR'] || '.mcpgate/proxy',
    kafkaBrokers: listEnv(env['MCPGATE_KAFKA_BROKERS']),
    trustedSigningKeys: jsonEnv('MCPGATE_TRUSTED_SIGNING_KEYS', env['MCPGATE_TRUSTED_SIGNING_KEYS']) ?? {},
    regionKey: jsonEnv('MCPGATE_REGION_KEY', env['MCPGATE_REGION_KEY']),
    ...(env['MCPGATE_PROXY_PUBLIC_URL'] ? { publicUrl: env['MCPGATE_PROXY_PUBLIC_URL'] } : {}),
    allowedHosts: listEnv(env['MCPGATE_PROXY_ALLOWED_HOSTS']),
    ...(env['MCPGATE_PROXY_ADVERTISE_URL'] ? { advertiseUrl: env['MCPGATE_PROXY_ADVERTISE_URL'] } : {}),
    ...(env['MCPGATE_TRACES_EXPORTER'] ? { tracesExporter: env['MCPGATE_TRACES_EXPORTER'] } : {}),
    limits: { ...(env['MCPGATE_PROXY_MAX_CONCURRENT_REQUESTS'] ? { maxConcurrentRequests: env['MCPGATE_PROXY_MAX_CONCURRENT_REQUESTS'] } : {}) },
    audit: {
      ...(env['MCPGATE_AUDIT_SPOOL_DIR'] ? { spoolDir: env['MCPGATE_AUDIT_SPOOL_DIR'] } : {}),
      ...(env['MCPGATE_AUDIT_SPOOL_MAX_BYTES'] ? { spoolMaxBytes: env['MCPGATE_AUDIT_SPOOL_MAX_BYTES'] } : {}),
      ...(env['MCPGATE_AUDIT_SPOOL_WRITES'] ? { spoolWrites: env['MCPGATE_AUDIT_SPOOL_WRITES'] } : {}),
    },
    ...(env['MCPGATE_LOG_LEVEL'] ? { logLevel: env['MCPGATE_LOG_LEVEL'] } : {}),
    ...(env['MCPGATE_PROXY_REPORT_INTERVAL_SECONDS'] ? { reportIntervalSeconds: env['MCPGATE_PROXY_REPORT_INTERVAL_SECONDS'] } : {}),
  });
