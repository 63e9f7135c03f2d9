import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { CredentialId, Slug } from '../ids.js';

/** SIEM exporter id, `exp_…`. */
export const AuditExporterId = z.string().regex(/^exp_[A-Za-z0-9_-]{10,64}$/, { message: 'must be a exp_… identifier' });
export type AuditExporterId = z.infer<typeof AuditExporterId>;

const HTTP_ON_LOOPBACK = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?:[/?#]|$)/i;
const USER_INFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/**
 * Where an exporter sends events over HTTP: `https:`, or `http:` on a loopback host only (a receiver
 * on the same machine). No user info (credentials go through the vault, never into a URL), no
 * fragment.
 */
export const ExporterUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .superRefine((value, ctx) => {
    if (!/^https:\/\//i.test(value) && !HTTP_ON_LOOPBACK.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'url must use https (http only on localhost, 127.0.0.1 or [::1])' });
    }
    if (USER_INFO.test(value)) ctx.addIssue({ code: 'custom', message: 'url must not contain user info: reference a credential instead' });
    if (value.includes('#')) ctx.addIssue({ code: 'custom', message: 'url must not contain a fragment' });
  });

/** A DNS name or an IPv4/IPv6 literal. */
export const ExporterHost = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]{2,39})$/, {
    message: 'must be a host name or an IP address',
  });

/** A PEM certificate (public material: a CA to trust, or the client certificate of mutual TLS). */
export const CertificatePem = z
  .string()
  .max(32_768)
  .regex(/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, { message: 'must be one or more PEM certificates' });

/** What each record of a JSON-based exporter carries: the audit event as stored, or OCSF API Activity (class 6003). */
export const ExportJsonFormat = z.enum(['mcpgate', 'ocsf']);
export type ExportJsonFormat = z.infer<typeof ExportJsonFormat>;

/** Splunk HTTP Event Collector: `POST <url>/services/collector/event`, `Authorization: Splunk <token>`. */
export const SplunkHecDestination = z.object({
  kind: z.literal('splunk-hec'),
  /** The collector's base URL (`https://splunk.example:8088`); the path is added. */
  url: ExporterUrl,
  /** A vaulted credential holding the HEC token. */
  tokenCredentialId: CredentialId,
  index: z.string().regex(/^[a-z0-9_][a-z0-9_-]{0,79}$/).optional(),
  sourcetype: z.string().min(1).max(100).default('mcpgate:audit'),
  source: z.string().min(1).max(200).default('mcpgate'),
});

/** Elasticsearch / OpenSearch `_bulk` with ECS field names; documents are `create`d with the event id as `_id`. */
export const ElasticsearchDestination = z.object({
  kind: z.literal('elasticsearch'),
  /** The cluster's base URL; `/_bulk` is added. */
  url: ExporterUrl,
  /** Index or data stream name (lowercase, no wildcards or separators). */
  index: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a lowercase index name' }),
  /** A vaulted credential with an Elasticsearch API key (sent as `Authorization: ApiKey <key>`); none for an open cluster. */
  apiKeyCredentialId: CredentialId.optional(),
});

/** Syslog RFC 5424 over TCP or TLS (RFC 6587 octet counting / RFC 5425), with a CEF or LEEF message. */
export const SyslogDestination = z.object({
  kind: z.literal('syslog'),
  host: ExporterHost,
  port: z.number().int().min(1).max(65_535),
  transport: z.enum(['tcp', 'tls']),
  payload: z.enum(['cef', 'leef']),
  /** Syslog facility 0–23; default 13 (log audit). */
  facility: z.number().int().min(0).max(23).default(13),
  /** TLS only: CA certificates to trust instead of the system's; the server name checked in its certificate (default: host). */
  caCertificatePem: CertificatePem.optional(),
  serverName: z.string().min(1).max(253).optional(),
  /** Mutual TLS: the client certificate (public) and a vaulted credential with its private key (PEM). */
  clientCertificatePem: CertificatePem.optional(),
  clientKeyCredentialId: CredentialId.optional(),
}).superRefine((d, ctx) => {
  if (d.transport === 'tcp') {
    for (const field of ['caCertificatePem', 'serverName', 'clientCertificatePem', 'clientKeyCredentialId'] as const) {
      if (d[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} needs transport tls` });
    }
  }
  if ((d.clientCertificatePem === undefined) !== (d.clientKeyCredentialId === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['clientKeyCredentialId'], message: 'mutual TLS needs both clientCertificatePem and clientKeyCredentialId' });
  }
});

/** A generic HTTPS webhook; each request is signed with HMAC-SHA256 over timestamp, delivery id and body. */
export const WebhookDestination = z.object({
  kind: z.literal('webhook'),
  url: ExporterUrl,
  /** A vaulted credential holding the HMAC signing key shared with the receiver. */
  signingKeyCredentialId: CredentialId,
  format: ExportJsonFormat.default('mcpgate'),
});

/**
 * Newline-delimited JSON files on the control plane's disk, under the operator's export directory
 * (`<export dir>/<tenant id>/<directory>/`): never a path a tenant chooses.
 */
export const FileDestination = z.object({
  kind: z.literal('file'),
  directory: Slug,
  format: ExportJsonFormat.default('mcpgate'),
  /** Start a new file when the current one would exceed this many bytes (1 MiB – 10 GiB; default 100 MiB). */
  rotateBytes: z.number().int().min(1_048_576).max(10_737_418_240).default(104_857_600),
  /** …or when it is older than this many seconds (60 s – 31 days; default 1 day). */
  rotateSeconds: z.number().int().min(60).max(2_678_400).default(86_400),
});

export const ExporterDestination = z.discriminatedUnion('kind', [SplunkHecDestination, ElasticsearchDestination, SyslogDestination, WebhookDestination, FileDestination]);
export type ExporterDestination = z.infer<typeof ExporterDestination>;
export type ExporterKind = ExporterDestination['kind'];

/** The credentials a destination references (each must exist in the tenant). */
export const credentialsOfDestination = (d: ExporterDestination): string[] => {
  switch (d.kind) {
    case 'splunk-hec':
      return [d.tokenCredentialId];
    case 'elasticsearch':
      return d.apiKeyCredentialId ? [d.apiKeyCredentialId] : [];
    case 'syslog':
      return d.clientKeyCredentialId ? [d.clientKeyCredentialId] : [];
    case 'webhook':
      return [d.signingKeyCredentialId];
    case 'file':
      return [];
  }
};

/** How an exporter batches and retries. */
export const ExporterDelivery = z.object({
  /** Events per request (or per file write). */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** Attempts of one batch before it becomes a dead letter and the exporter moves on. */
  maxAttempts: z.number().int().min(1).max(30).default(8),
});
export type ExporterDelivery = z.infer<typeof ExporterDelivery>;

/** One exporter's configuration: a name unique in the tenant, where to, and how. */
export const AuditExporterConfig = z.object({
  name: Slug,
  destination: ExporterDestination,
  delivery: ExporterDelivery.default({ batchSize: 100, maxAttempts: 8 }),
});
export type AuditExporterConfig = z.infer<typeof AuditExporterConfig>;

/**
 * A tenant's audit trail is exported to a SIEM from now on. `startFrom: earliest` delivers the
 * whole stored trail first; `latest` starts after the newest record when the exporter first runs.
 * The stream is `audit-exporter-<exporterId>`.
 */
export const AuditExporterCreated = eventSchema(
  'AuditExporterCreated',
  z.object({
    exporterId: AuditExporterId,
    name: Slug,
    destination: ExporterDestination,
    delivery: ExporterDelivery,
    startFrom: z.enum(['earliest', 'latest']),
    enabled: z.boolean(),
  }),
);
/** The whole configuration after the change (not a patch); delivery continues from the same cursor. */
export const AuditExporterReconfigured = eventSchema('AuditExporterReconfigured', z.object({ name: Slug, destination: ExporterDestination, delivery: ExporterDelivery }));
/** Delivery resumes from the exporter's cursor: nothing recorded meanwhile is skipped. */
export const AuditExporterEnabled = eventSchema('AuditExporterEnabled', z.object({}));
/** Delivery pauses; the cursor stays where it is. */
export const AuditExporterDisabled = eventSchema('AuditExporterDisabled', z.object({}));
export const AuditExporterDeleted = eventSchema('AuditExporterDeleted', z.object({}));

export const AuditExporterEvent = z.discriminatedUnion('type', [AuditExporterCreated, AuditExporterReconfigured, AuditExporterEnabled, AuditExporterDisabled, AuditExporterDeleted]);
export type AuditExporterEvent = z.infer<typeof AuditExporterEvent>;
