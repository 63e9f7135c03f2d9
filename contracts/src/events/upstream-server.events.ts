import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { CredentialId, Region, Slug, UpstreamServerId } from '../ids.js';
import { ToolGlob } from '../policy/policy-rules.js';

/** An upstream reached over HTTP: SSE (legacy) or Streamable HTTP. */
export const HttpEndpoint = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  url: z.url({ protocol: /^https?$/ }),
  /** Only for endpoints in some regions; empty means every region of the server. */
  regions: z.array(Region).default([]),
});
export type HttpEndpoint = z.infer<typeof HttpEndpoint>;

/** An upstream started as a child process of the proxy, speaking MCP over stdio. */
export const StdioEndpoint = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  command: z.string().min(1).max(1024),
  args: z.array(z.string().max(4096)).max(100).default([]),
  /** Non-secret environment only; secrets come from the credential. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(4096)).default({}),
  cwd: z.string().max(1024).optional(),
  regions: z.array(Region).default([]),
});
export type StdioEndpoint = z.infer<typeof StdioEndpoint>;

/** How the proxy reaches a server: the transport fixes the endpoint shape. Several endpoints mean failover. */
export const UpstreamTransport = z.discriminatedUnion('transport', [
  z.object({ transport: z.literal('stdio'), endpoints: z.array(StdioEndpoint).min(1).max(10) }),
  z.object({ transport: z.literal('sse'), endpoints: z.array(HttpEndpoint).min(1).max(10) }),
  z.object({ transport: z.literal('streamable-http'), endpoints: z.array(HttpEndpoint).min(1).max(10) }),
]);
export type UpstreamTransport = z.infer<typeof UpstreamTransport>;

export const UpstreamTimeouts = z.object({
  connectMs: z.number().int().min(100).max(120_000).default(5_000),
  callMs: z.number().int().min(100).max(3_600_000).default(60_000),
});
export const HealthCheck = z.object({
  intervalMs: z.number().int().min(1_000).max(3_600_000).default(15_000),
  timeoutMs: z.number().int().min(100).max(60_000).default(3_000),
  unhealthyAfter: z.number().int().min(1).max(100).default(3),
  healthyAfter: z.number().int().min(1).max(100).default(2),
});

/** Where the secret for calls comes from, and how it is injected. */
export const CredentialBinding = z.object({
  credentialId: CredentialId,
  /** `header`: sent as an HTTP header; `env`: set in a stdio child's environment. */
  inject: z.discriminatedUnion('as', [
    z.object({ as: z.literal('header'), name: z.string().regex(/^[A-Za-z0-9-]+$/), prefix: z.string().max(50).default('') }),
    z.object({ as: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }),
  ]),
});
export type CredentialBinding = z.infer<typeof CredentialBinding>;

export const UpstreamServerConfig = z.object({
  name: Slug,
  description: z.string().max(1000).default(''),
  connection: UpstreamTransport,
  timeouts: UpstreamTimeouts.default({ connectMs: 5_000, callMs: 60_000 }),
  healthCheck: HealthCheck.default({ intervalMs: 15_000, timeoutMs: 3_000, unhealthyAfter: 3, healthyAfter: 2 }),
  credential: CredentialBinding.optional(),
  /** Regions whose proxies may reach this server. */
  regions: z.array(Region).min(1).max(50),
  /** Compliance tags, e.g. `phi` for HIPAA reporting. */
  tags: z.array(Slug).max(20).default([]),
  /**
   * Tool-name globs of this server whose calls handle PHI (HIPAA evidence reports them). A server
   * tagged `phi` marks all its tools. Optional, and absent (not `[]`) when unset, so events written
   * before it existed parse and hash as they were.
   */
  phiTools: z.array(ToolGlob).min(1).max(100).optional(),
});
export type UpstreamServerConfig = z.infer<typeof UpstreamServerConfig>;

export const UpstreamServerRegistered = eventSchema(
  'UpstreamServerRegistered',
  z.object({ serverId: UpstreamServerId, config: UpstreamServerConfig }),
);
/** The whole new configuration (a server's configuration is small and changes as one unit). */
export const UpstreamServerReconfigured = eventSchema('UpstreamServerReconfigured', z.object({ config: UpstreamServerConfig }));
export const UpstreamServerRemoved = eventSchema('UpstreamServerRemoved', z.object({}));

export const UpstreamServerEvent = z.discriminatedUnion('type', [
  UpstreamServerRegistered,
  UpstreamServerReconfigured,
  UpstreamServerRemoved,
]);
export type UpstreamServerEvent = z.infer<typeof UpstreamServerEvent>;
