import { z } from 'zod';
import { Region, TenantId, Timestamp, UpstreamServerId } from '../ids.js';
import { PolicyVersion } from '../snapshot/policy-snapshot.js';

/** Kafka topic of proxy reports, keyed by proxy id (compacted: the latest report of each proxy). */
export const PROXY_REPORTS_TOPIC = 'mcpgate.proxy.reports';

/**
 * How the reports topic is created by whichever side finds it missing first (a proxy publishing,
 * or the control plane following): one definition, so the first creator never picks other settings.
 * Compacted: the latest report of each proxy is all anyone needs.
 */
export const PROXY_REPORTS_TOPIC_SETTINGS = {
  numPartitions: 3,
  configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
} as const;

/** One tenant's policy snapshot as a proxy enforces it. */
export const ReportedSnapshot = z.object({
  tenantId: TenantId,
  version: PolicyVersion,
  /** When this proxy swapped the snapshot in. */
  appliedAt: Timestamp,
});
export type ReportedSnapshot = z.infer<typeof ReportedSnapshot>;

/** A tool as an upstream listed it (name, title, description and hints: never arguments or results). */
export const ReportedTool = z.object({
  name: z.string().min(1).max(256),
  title: z.string().max(256).optional(),
  description: z.string().max(2000).optional(),
  readOnly: z.boolean().optional(),
  idempotent: z.boolean().optional(),
  destructive: z.boolean().optional(),
});
export type ReportedTool = z.infer<typeof ReportedTool>;

/** One upstream endpoint as a proxy sees it: its circuit, and the tools it listed last. */
export const ReportedEndpoint = z.object({
  tenantId: TenantId,
  upstreamServerId: UpstreamServerId,
  endpointId: z.string().min(1).max(100),
  health: z.enum(['healthy', 'unhealthy', 'unknown']),
  /** Why it is unhealthy (scrubbed, bounded). */
  lastError: z.string().max(500).optional(),
  /** The last tools/list this proxy saw from it, when it has one. */
  tools: z.array(ReportedTool).max(1000).optional(),
  listedAt: Timestamp.optional(),
});
export type ReportedEndpoint = z.infer<typeof ReportedEndpoint>;

/**
 * What a proxy reports about itself every few seconds: which snapshot version it enforces per
 * tenant (so an admin sees when a change is enforced everywhere), and the health and tool
 * catalogue of the upstream endpoints it talks to. Bounded, so one report stays a small record.
 */
export const ProxyReport = z.object({
  schemaVersion: z.literal(1),
  proxyId: z.string().min(1).max(100),
  region: Region,
  startedAt: Timestamp,
  reportedAt: Timestamp,
  /** The next report is due within this many seconds; a proxy silent for three intervals is gone. */
  intervalSeconds: z.number().int().min(1).max(3600),
  snapshots: z.array(ReportedSnapshot).max(10_000),
  endpoints: z.array(ReportedEndpoint).max(10_000),
});
export type ProxyReport = z.infer<typeof ProxyReport>;
