import type { RunningAuditTrail } from '../audit/audit-role.js';
import type { EvidencePacks } from '../audit/evidence/evidence-job.js';
import type { CommandBus } from '../core/command-bus.js';
import type { LogApplier } from '../core/log-applier.js';
import type { Database } from '../infra/database/database.js';
import type { ControlPlaneMetrics } from '../infra/metrics/control-plane-metrics.js';
import type { Vault } from '../infra/crypto/vault.js';
import type { IssuerDiscovery } from '../infra/oidc/issuer-discovery.js';
import type { PointInTime } from '../point-in-time/point-in-time.js';
import type { RolloutTracker } from '../rollout/rollout-tracker.js';
import type { BudgetUsageTracker } from '../budget-usage/budget-usage-tracker.js';
import type { PublishedSnapshot } from '../snapshot/snapshotter.js';
import type { ApiTokenUsage } from './auth/api-token-usage.js';

/** What the API needs from the running control plane, handed over by `startControlPlane`. */
export interface ControlPlaneRuntime {
  readonly commands: CommandBus;
  readonly applier: LogApplier;
  readonly database: Database;
  /** Seals credential secrets as they arrive; the plaintext goes no further than this. */
  readonly vault: Vault;
  readonly pointInTime: PointInTime;
  /** Finds an identity provider's `jwksUri` when an admin registers one without it. */
  readonly issuerDiscovery: IssuerDiscovery;
  readonly environment: 'development' | 'production';
  /** The audit trail: queries, verification and live tails (the audit resolvers). */
  readonly audit: RunningAuditTrail;
  /** Compliance evidence pack jobs (src/audit/evidence/README.md). */
  readonly evidence: EvidencePacks;
  /** Counts API token uses and writes them for "last use" (written every few seconds and on close). */
  readonly apiTokenUsage: ApiTokenUsage;
  /** Follows snapshot publications (the snapshotter's feed); returns an unsubscribe function. */
  onSnapshotPublished(listener: (published: PublishedSnapshot) => void): () => void;
  /** Rollout status per region and proxy, and the live tool catalogues proxies report. */
  readonly rollout: RolloutTracker;
  /** Budget usage counted from the audit trail (what the proxies are sent). */
  readonly budgetUsage: Pick<BudgetUsageTracker, 'usage'>;
  /** Prometheus metrics of this control plane (served at /metrics; GraphQL operations observed into it). */
  readonly metrics: ControlPlaneMetrics;
}
