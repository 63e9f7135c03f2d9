/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ActivityFilter = {
  /** who: a user's subject, a service account's id or a system component */
  actor?: string | null | undefined;
  /** aggregate kind: tenant, role, role-binding, upstream-server, virtual-server, virtual-key, policy, credential, service-account, identity-provider, audit-exporter */
  aggregate?: string | null | undefined;
  /** changes at or after this time */
  from?: string | null | undefined;
  /** one stream, e.g. virtual-key-<id> */
  streamId?: string | null | undefined;
  /** changes before this time */
  to?: string | null | undefined;
  /** event types, e.g. VirtualKeyRevoked */
  types?: Array<string> | null | undefined;
};

/** bucket width of a time series (UTC, aligned to the epoch) */
export type AuditBucketInterval =
  | 'DAY'
  | 'FIFTEEN_MINUTES'
  | 'FIVE_MINUTES'
  | 'HOUR'
  | 'MINUTE';

/** every field set narrows the records (AND); `to` is exclusive */
export type AuditFilterInput = {
  from?: string | null | undefined;
  /** a virtual key id (same as principal.keyId) */
  keyId?: string | null | undefined;
  kind?: AuditRecordKind | null | undefined;
  /** JSON-RPC method (tools/call), or admin/<event type> */
  method?: string | null | undefined;
  /** allowed, denied or failed */
  outcome?: string | null | undefined;
  /** the policy version that decided: <partition>:<offset> of the control-plane log */
  policyVersion?: string | null | undefined;
  principal?: AuditPrincipalFilter | null | undefined;
  /** the decision reason, e.g. policy.tool_denied */
  reason?: string | null | undefined;
  region?: string | null | undefined;
  to?: string | null | undefined;
  tool?: string | null | undefined;
  upstreamServerId?: string | null | undefined;
  virtualServerId?: string | null | undefined;
};

/** who made the call: a virtual key (kind virtual-key, keyId), an OAuth user (kind oauth, issuer, subject), or an admin (kind admin, subject = user subject, service account id or system component) */
export type AuditPrincipalFilter = {
  issuer?: string | null | undefined;
  keyId?: string | null | undefined;
  /** virtual-key, oauth, anonymous or admin */
  kind?: string | null | undefined;
  subject?: string | null | undefined;
};

/** a call through a proxy, or a change applied by the control plane */
export type AuditRecordKind =
  | 'ADMIN'
  | 'TOOL_CALL';

export type CreateTenantInput = {
  displayName: string;
  regions: Array<string>;
  slug: string;
};

/** SOC 2 (Trust Services Criteria) or the HIPAA Security Rule */
export type EvidenceFramework =
  | 'HIPAA'
  | 'SOC2';

export type EvidencePackStatus =
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type GenerateEvidencePackInput = {
  framework: EvidenceFramework;
  /** start of the period (inclusive) */
  from: string;
  /** end of the period (exclusive); at most 400 days after `from` */
  to: string;
};

export type IdentityProviderFilter = {
  /** in the id or the issuer, any case */
  nameContains?: string | null | undefined;
  /** active (default) or removed */
  status?: string | null | undefined;
};

export type IssueVirtualKeyInput = {
  expiresAt?: string | null | undefined;
  name: string;
  /** virtualServerIds, tools {allow, deny}, rateLimits, budget */
  scopes: Record<string, unknown>;
  tenantId: string;
};

export type PolicyFilter = {
  nameContains?: string | null | undefined;
  /** active (default) or deleted */
  status?: string | null | undefined;
};

export type RegisterIdentityProviderInput = {
  audiences: Array<string>;
  /** default `groups` */
  groupsClaim?: string | null | undefined;
  /** a slug such as `okta`; reuse the admin-login provider’s id for the same IdP so group bindings apply to both */
  id: string;
  issuer: string;
  /** discovered from the issuer’s metadata (RFC 8414 or OpenID Connect discovery) when left out */
  jwksUri?: string | null | undefined;
};

export type RoleBindingFilter = {
  /** bindings granting this role */
  role?: string | null | undefined;
  /** active (default) or removed */
  status?: string | null | undefined;
  /** in the subject (a user's issuer and subject, a group's IdP and name), any case */
  subjectContains?: string | null | undefined;
  /** user or group */
  subjectKind?: string | null | undefined;
};

export type TenantFilter = {
  /** in the slug or the display name, any case */
  nameContains?: string | null | undefined;
  /** active, suspended or deleted */
  status?: string | null | undefined;
};

export type UpstreamServerFilter = {
  nameContains?: string | null | undefined;
  /** servers deployed in this region */
  region?: string | null | undefined;
  /** active (default) or removed */
  status?: string | null | undefined;
  /** servers carrying this tag */
  tag?: string | null | undefined;
  /** stdio, sse or streamable-http */
  transport?: string | null | undefined;
};

export type VirtualKeyFilter = {
  /** keys that expire before this time */
  expiringBefore?: string | null | undefined;
  nameContains?: string | null | undefined;
  /** active or revoked; both when unset */
  status?: string | null | undefined;
  /** keys scoped to this virtual server */
  virtualServerId?: string | null | undefined;
};

export type VirtualServerFilter = {
  nameContains?: string | null | undefined;
  /** active (default) or deleted */
  status?: string | null | undefined;
  /** virtual servers bundling tools of this upstream server */
  upstreamServerId?: string | null | undefined;
};

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { myPermissions: Array<string>, me: { kind: string, subject: string, groups: Array<string>, platformAdmin: boolean } | null };

export type TenantPermissionsQueryVariables = Exact<{
  tenantId: string;
}>;


export type TenantPermissionsQuery = { myPermissions: Array<string> };

export type ActivityHistoryQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: ActivityFilter | null | undefined;
}>;


export type ActivityHistoryQuery = { activity: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ eventId: string, type: string, time: string, actor: Record<string, unknown>, streamId: string, streamVersion: number, data: Record<string, unknown>, before: Record<string, unknown> | null, after: Record<string, unknown> | null }> } };

export type ActivityAddedSubscriptionVariables = Exact<{
  tenantId: string;
}>;


export type ActivityAddedSubscription = { activityAdded: { eventId: string, type: string } };

export type AuditEventsQueryVariables = Exact<{
  tenantId: string;
  filter?: AuditFilterInput | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, edges: Array<{ node: { eventId: string, seq: number, time: string, kind: AuditRecordKind, method: string, tool: string | null, region: string, proxyId: string, latencyMs: number, principal: Record<string, unknown>, upstreamServerId: string | null, virtualServerId: string | null, decision: { outcome: string, reason: string, ruleId: string | null, policyVersion: { logPosition: string } } } }> } };

export type AuditRowFragment = { eventId: string, seq: number, time: string, kind: AuditRecordKind, method: string, tool: string | null, region: string, proxyId: string, latencyMs: number, principal: Record<string, unknown>, upstreamServerId: string | null, virtualServerId: string | null, decision: { outcome: string, reason: string, ruleId: string | null, policyVersion: { logPosition: string } } };

export type AuditTailSubscriptionVariables = Exact<{
  tenantId: string;
  filter?: AuditFilterInput | null | undefined;
}>;


export type AuditTailSubscription = { auditTail: { eventId: string, seq: number, time: string, kind: AuditRecordKind, method: string, tool: string | null, region: string, proxyId: string, latencyMs: number, principal: Record<string, unknown>, upstreamServerId: string | null, virtualServerId: string | null, decision: { outcome: string, reason: string, ruleId: string | null, policyVersion: { logPosition: string } } } };

export type AuditEventDetailQueryVariables = Exact<{
  tenantId: string;
  eventId: string;
}>;


export type AuditEventDetailQuery = { auditEvent: { eventId: string, seq: number, hash: string, prevHash: string, macKeyId: string, time: string, kind: AuditRecordKind, method: string, tool: string | null, region: string, proxyId: string, latencyMs: number, traceId: string | null, argumentsHash: string | null, principal: Record<string, unknown>, upstreamServerId: string | null, virtualServerId: string | null, change: Record<string, unknown> | null, event: Record<string, unknown>, checkpoint: { seq: number, keyId: string, signedAt: string } | null, decision: { outcome: string, reason: string, ruleId: string | null, message: string | null, policyVersion: { logPosition: string, contentHash: string } } } | null };

export type AuditChartsQueryVariables = Exact<{
  tenantId: string;
  filter?: AuditFilterInput | null | undefined;
  interval: AuditBucketInterval;
}>;


export type AuditChartsQuery = { auditCallsOverTime: Array<{ start: string, allowed: number, denied: number, failed: number, total: number }>, auditDenialsByReason: Array<{ reason: string, ruleId: string | null, count: number }>, auditTopTools: Array<{ tool: string, calls: number, denied: number, failed: number }>, auditLatency: { count: number, p50: number | null, p95: number | null, p99: number | null, max: number | null } };

export type AuditVerificationQueryVariables = Exact<{
  tenantId: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type AuditVerificationQuery = { auditVerification: { ok: boolean, records: number, checkpoints: number, fromSeq: number | null, toSeq: number | null, lastCheckpointSeq: number | null, unsignedTail: number, anchor: string | null, macChecked: boolean, retentions: number, problem: { kind: string, seq: number, detail: string, eventId: string | null } | null } };

export type EvidencePackFieldsFragment = { id: string, framework: EvidenceFramework, from: string, to: string, status: EvidencePackStatus, sha256: string | null, bytes: number | null, error: string | null, requestedBy: string, createdAt: string, finishedAt: string | null, downloadUrl: string | null, progress: { phase: string, done: number, total: number, percent: number } };

export type EvidencePacksQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type EvidencePacksQuery = { evidencePacks: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, framework: EvidenceFramework, from: string, to: string, status: EvidencePackStatus, sha256: string | null, bytes: number | null, error: string | null, requestedBy: string, createdAt: string, finishedAt: string | null, downloadUrl: string | null, progress: { phase: string, done: number, total: number, percent: number } }> } };

export type EvidencePackQueryVariables = Exact<{
  tenantId: string;
  id: string;
}>;


export type EvidencePackQuery = { evidencePack: { id: string, framework: EvidenceFramework, from: string, to: string, status: EvidencePackStatus, sha256: string | null, bytes: number | null, error: string | null, requestedBy: string, createdAt: string, finishedAt: string | null, downloadUrl: string | null, progress: { phase: string, done: number, total: number, percent: number } } };

export type GenerateEvidencePackMutationVariables = Exact<{
  tenantId: string;
  input: GenerateEvidencePackInput;
}>;


export type GenerateEvidencePackMutation = { generateEvidencePack: { id: string, framework: EvidenceFramework, from: string, to: string, status: EvidencePackStatus, sha256: string | null, bytes: number | null, error: string | null, requestedBy: string, createdAt: string, finishedAt: string | null, downloadUrl: string | null, progress: { phase: string, done: number, total: number, percent: number } } };

export type IdentityProvidersQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: IdentityProviderFilter | null | undefined;
}>;


export type IdentityProvidersQuery = { identityProviders: { totalCount: number, nodes: Array<{ id: string, issuer: string, jwksUri: string, audiences: Array<string>, groupsClaim: string, status: string, updatedAt: string }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type RegisterIdentityProviderMutationVariables = Exact<{
  tenantId: string;
  input: RegisterIdentityProviderInput;
}>;


export type RegisterIdentityProviderMutation = { registerIdentityProvider: { version: number } };

export type RemoveIdentityProviderMutationVariables = Exact<{
  tenantId: string;
  identityProviderId: string;
}>;


export type RemoveIdentityProviderMutation = { removeIdentityProvider: { version: number } };

export type VirtualKeysQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: VirtualKeyFilter | null | undefined;
}>;


export type VirtualKeysQuery = { virtualKeys: { totalCount: number, nodes: Array<{ id: string, name: string, keyPrefix: string, status: string, scopes: Record<string, unknown>, expiresAt: string | null, revokedAt: string | null, virtualServerIds: Array<string>, version: number, usage: { calls: number, denied: number, lastUsedAt: string } | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type IssueVirtualKeyMutationVariables = Exact<{
  input: IssueVirtualKeyInput;
}>;


export type IssueVirtualKeyMutation = { issueVirtualKey: { keyId: string, secret: string, version: number } };

export type RotateVirtualKeyMutationVariables = Exact<{
  tenantId: string;
  keyId: string;
  graceSeconds: number;
}>;


export type RotateVirtualKeyMutation = { rotateVirtualKey: { keyId: string, secret: string, version: number } };

export type RevokeVirtualKeyMutationVariables = Exact<{
  tenantId: string;
  keyId: string;
  reason: string;
}>;


export type RevokeVirtualKeyMutation = { revokeVirtualKey: { version: number } };

export type MembersQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: RoleBindingFilter | null | undefined;
}>;


export type MembersQuery = { roleBindings: { totalCount: number, nodes: Array<{ id: string, role: string, status: string, subject: Record<string, unknown> }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } }, roles: { nodes: Array<{ id: string, name: string, description: string, permissions: Array<string>, builtIn: boolean }> } };

export type CreateRoleBindingMutationVariables = Exact<{
  tenantId: string;
  subject: Record<string, unknown>;
  role: string;
}>;


export type CreateRoleBindingMutation = { createRoleBinding: { id: string | null, version: number } };

export type RemoveRoleBindingMutationVariables = Exact<{
  tenantId: string;
  bindingId: string;
}>;


export type RemoveRoleBindingMutation = { removeRoleBinding: { version: number } };

export type TenantOverviewQueryVariables = Exact<{
  tenantId: string;
}>;


export type TenantOverviewQuery = { tenant: { id: string, slug: string, displayName: string, status: string, regions: Array<string>, createdAt: string, updatedAt: string, version: number } | null };

export type ActivityQueryVariables = Exact<{
  tenantId: string;
  first: number;
}>;


export type ActivityQuery = { activity: { nodes: Array<{ eventId: string, type: string, time: string, actor: Record<string, unknown>, streamId: string, streamVersion: number }> } };

export type PoliciesQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: PolicyFilter | null | undefined;
}>;


export type PoliciesQuery = { policies: { totalCount: number, nodes: Array<{ id: string, name: string, description: string, document: Record<string, unknown>, version: number, updatedAt: string }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type CreatePolicyMutationVariables = Exact<{
  tenantId: string;
  name: string;
  description: string;
  document: Record<string, unknown>;
}>;


export type CreatePolicyMutation = { createPolicy: { id: string | null, version: number, logPosition: string | null } };

export type UpdatePolicyMutationVariables = Exact<{
  tenantId: string;
  policyId: string;
  document: Record<string, unknown>;
  changeNote: string;
}>;


export type UpdatePolicyMutation = { updatePolicy: { version: number, logPosition: string | null } };

export type DeletePolicyMutationVariables = Exact<{
  tenantId: string;
  policyId: string;
}>;


export type DeletePolicyMutation = { deletePolicy: { version: number } };

export type EffectivePolicyQueryVariables = Exact<{
  tenantId: string;
  at: string;
}>;


export type EffectivePolicyQuery = { effectivePolicyAt: Record<string, unknown> };

export type PolicyDiffQueryVariables = Exact<{
  tenantId: string;
  from: string;
  to: string;
}>;


export type PolicyDiffQuery = { policyDiff: Record<string, unknown> };

export type SimulatePolicyQueryVariables = Exact<{
  tenantId: string;
  policyId?: string | null | undefined;
  candidate: Record<string, unknown>;
  calls?: Array<Record<string, unknown>> | Record<string, unknown> | null | undefined;
  from?: string | null | undefined;
  limit: number;
}>;


export type SimulatePolicyQuery = { simulatePolicyChange: { source: string, examined: number, changed: number, newlyDenied: number, newlyAllowed: number, sampleResults: Array<Record<string, unknown>>, changedCalls: Array<{ eventId: string, time: string, tool: string, principal: Record<string, unknown>, recordedOutcome: string, before: string, after: string, ruleBefore: string | null, ruleAfter: string | null, reasonBefore: string, reasonAfter: string }> } };

export type BudgetUsageQueryVariables = Exact<{
  tenantId: string;
}>;


export type BudgetUsageQuery = { budgetUsage: { tenantId: string, countedThroughSeq: string, asOf: string, budgets: Array<{ budgetId: string, id: string, keyId: string | null, policyName: string | null, scope: string, period: string, periodStart: string, periodEnd: string, maxCalls: number | null, maxCost: number | null, subjectCount: number, subjects: Array<{ subject: string, calls: number, cost: number, spent: boolean }> }> } };

export type RolloutFieldsFragment = { tenantId: string, enforcedEverywhere: boolean, publishedAt: string | null, latest: { logPosition: string, contentHash: string } | null, regions: Array<{ region: string, enforced: boolean, proxies: Array<{ proxyId: string, region: string, current: boolean, stale: boolean, reportedAt: string, appliedAt: string | null, version: { logPosition: string, contentHash: string } | null }> }> };

export type RolloutQueryVariables = Exact<{
  tenantId: string;
}>;


export type RolloutQuery = { rollout: { tenantId: string, enforcedEverywhere: boolean, publishedAt: string | null, latest: { logPosition: string, contentHash: string } | null, regions: Array<{ region: string, enforced: boolean, proxies: Array<{ proxyId: string, region: string, current: boolean, stale: boolean, reportedAt: string, appliedAt: string | null, version: { logPosition: string, contentHash: string } | null }> }> } };

export type RolloutChangedSubscriptionVariables = Exact<{
  tenantId: string;
}>;


export type RolloutChangedSubscription = { rolloutChanged: { tenantId: string, enforcedEverywhere: boolean, publishedAt: string | null, latest: { logPosition: string, contentHash: string } | null, regions: Array<{ region: string, enforced: boolean, proxies: Array<{ proxyId: string, region: string, current: boolean, stale: boolean, reportedAt: string, appliedAt: string | null, version: { logPosition: string, contentHash: string } | null }> }> } };

export type UpstreamServerStatusQueryVariables = Exact<{
  tenantId: string;
  upstreamServerId: string;
}>;


export type UpstreamServerStatusQuery = { upstreamServerStatus: { upstreamServerId: string, toolsListedAt: string | null, tools: Array<{ name: string, title: string | null, description: string | null, readOnly: boolean | null, destructive: boolean | null, idempotent: boolean | null }>, endpoints: Array<{ endpointId: string, proxyId: string, region: string, health: string, lastError: string | null, reportedAt: string, listedAt: string | null, stale: boolean }> } };

export type UpstreamServerFieldsFragment = { id: string, name: string, transport: string, regions: Array<string>, status: string, tags: Array<string>, config: Record<string, unknown>, version: number };

export type UpstreamServersQueryVariables = Exact<{
  tenantId: string;
  status?: string | null | undefined;
}>;


export type UpstreamServersQuery = { upstreamServers: { nodes: Array<{ id: string, name: string, transport: string, regions: Array<string>, status: string, tags: Array<string>, config: Record<string, unknown>, version: number }> } };

export type UpstreamServerPageQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: UpstreamServerFilter | null | undefined;
}>;


export type UpstreamServerPageQuery = { upstreamServers: { totalCount: number, nodes: Array<{ id: string, name: string, transport: string, regions: Array<string>, status: string, tags: Array<string>, config: Record<string, unknown>, version: number }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type RegisterUpstreamServerMutationVariables = Exact<{
  tenantId: string;
  config: Record<string, unknown>;
}>;


export type RegisterUpstreamServerMutation = { registerUpstreamServer: { id: string | null, version: number } };

export type ReconfigureUpstreamServerMutationVariables = Exact<{
  tenantId: string;
  serverId: string;
  config: Record<string, unknown>;
}>;


export type ReconfigureUpstreamServerMutation = { reconfigureUpstreamServer: { version: number } };

export type RemoveUpstreamServerMutationVariables = Exact<{
  tenantId: string;
  serverId: string;
}>;


export type RemoveUpstreamServerMutation = { removeUpstreamServer: { version: number } };

export type TenantsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: TenantFilter | null | undefined;
}>;


export type TenantsQuery = { tenants: { totalCount: number, nodes: Array<{ id: string, slug: string, displayName: string, status: string, regions: Array<string>, createdAt: string, version: number }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type CreateTenantMutationVariables = Exact<{
  input: CreateTenantInput;
}>;


export type CreateTenantMutation = { createTenant: { id: string | null, version: number } };

export type SuspendTenantMutationVariables = Exact<{
  tenantId: string;
  reason: string;
}>;


export type SuspendTenantMutation = { suspendTenant: { version: number } };

export type ReactivateTenantMutationVariables = Exact<{
  tenantId: string;
}>;


export type ReactivateTenantMutation = { reactivateTenant: { version: number } };

export type CataloguePreviewSubjectsQueryVariables = Exact<{
  tenantId: string;
}>;


export type CataloguePreviewSubjectsQuery = { virtualKeys: { nodes: Array<{ id: string, name: string, status: string, scopes: Record<string, unknown> }> }, roles: { nodes: Array<{ id: string, name: string }> }, policies: { nodes: Array<{ id: string, name: string, document: Record<string, unknown> }> } };

export type VirtualServerFieldsFragment = { id: string, name: string, prefixMode: string, anonymousAccess: boolean, serverIds: Array<string>, config: Record<string, unknown>, version: number };

export type VirtualServersQueryVariables = Exact<{
  tenantId: string;
}>;


export type VirtualServersQuery = { virtualServers: { nodes: Array<{ id: string, name: string, prefixMode: string, anonymousAccess: boolean, serverIds: Array<string>, config: Record<string, unknown>, version: number }> } };

export type VirtualServerPageQueryVariables = Exact<{
  tenantId: string;
  first: number;
  after?: string | null | undefined;
  filter?: VirtualServerFilter | null | undefined;
}>;


export type VirtualServerPageQuery = { virtualServers: { totalCount: number, nodes: Array<{ id: string, name: string, prefixMode: string, anonymousAccess: boolean, serverIds: Array<string>, config: Record<string, unknown>, version: number }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type CreateVirtualServerMutationVariables = Exact<{
  tenantId: string;
  config: Record<string, unknown>;
}>;


export type CreateVirtualServerMutation = { createVirtualServer: { id: string | null, version: number } };

export type ReconfigureVirtualServerMutationVariables = Exact<{
  tenantId: string;
  virtualServerId: string;
  config: Record<string, unknown>;
}>;


export type ReconfigureVirtualServerMutation = { reconfigureVirtualServer: { version: number } };

export type DeleteVirtualServerMutationVariables = Exact<{
  tenantId: string;
  virtualServerId: string;
}>;


export type DeleteVirtualServerMutation = { deleteVirtualServer: { version: number } };

export type TenantListQueryVariables = Exact<{ [key: string]: never; }>;


export type TenantListQuery = { tenants: { nodes: Array<{ id: string, slug: string, displayName: string, status: string, regions: Array<string> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AuditRowFragmentDoc = new TypedDocumentString(`
    fragment AuditRow on AuditRecordNode {
  eventId
  seq
  time
  kind
  method
  tool
  region
  proxyId
  latencyMs
  principal
  upstreamServerId
  virtualServerId
  decision {
    outcome
    reason
    ruleId
    policyVersion {
      logPosition
    }
  }
}
    `, {"fragmentName":"AuditRow"}) as unknown as TypedDocumentString<AuditRowFragment, unknown>;
export const EvidencePackFieldsFragmentDoc = new TypedDocumentString(`
    fragment EvidencePackFields on EvidencePackNode {
  id
  framework
  from
  to
  status
  sha256
  bytes
  error
  requestedBy
  createdAt
  finishedAt
  downloadUrl
  progress {
    phase
    done
    total
    percent
  }
}
    `, {"fragmentName":"EvidencePackFields"}) as unknown as TypedDocumentString<EvidencePackFieldsFragment, unknown>;
export const RolloutFieldsFragmentDoc = new TypedDocumentString(`
    fragment RolloutFields on RolloutNode {
  tenantId
  enforcedEverywhere
  publishedAt
  latest {
    logPosition
    contentHash
  }
  regions {
    region
    enforced
    proxies {
      proxyId
      region
      current
      stale
      reportedAt
      appliedAt
      version {
        logPosition
        contentHash
      }
    }
  }
}
    `, {"fragmentName":"RolloutFields"}) as unknown as TypedDocumentString<RolloutFieldsFragment, unknown>;
export const UpstreamServerFieldsFragmentDoc = new TypedDocumentString(`
    fragment UpstreamServerFields on UpstreamServerNode {
  id
  name
  transport
  regions
  status
  tags
  config
  version
}
    `, {"fragmentName":"UpstreamServerFields"}) as unknown as TypedDocumentString<UpstreamServerFieldsFragment, unknown>;
export const VirtualServerFieldsFragmentDoc = new TypedDocumentString(`
    fragment VirtualServerFields on VirtualServerNode {
  id
  name
  prefixMode
  anonymousAccess
  serverIds
  config
  version
}
    `, {"fragmentName":"VirtualServerFields"}) as unknown as TypedDocumentString<VirtualServerFieldsFragment, unknown>;
export const SessionDocument = new TypedDocumentString(`
    query Session {
  me {
    kind
    subject
    groups
    platformAdmin
  }
  myPermissions
}
    `) as unknown as TypedDocumentString<SessionQuery, SessionQueryVariables>;
export const TenantPermissionsDocument = new TypedDocumentString(`
    query TenantPermissions($tenantId: ID!) {
  myPermissions(tenantId: $tenantId)
}
    `) as unknown as TypedDocumentString<TenantPermissionsQuery, TenantPermissionsQueryVariables>;
export const ActivityHistoryDocument = new TypedDocumentString(`
    query ActivityHistory($tenantId: ID!, $first: Int!, $after: String, $filter: ActivityFilter) {
  activity(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      eventId
      type
      time
      actor
      streamId
      streamVersion
      data
      before
      after
    }
  }
}
    `) as unknown as TypedDocumentString<ActivityHistoryQuery, ActivityHistoryQueryVariables>;
export const ActivityAddedDocument = new TypedDocumentString(`
    subscription ActivityAdded($tenantId: ID!) {
  activityAdded(tenantId: $tenantId) {
    eventId
    type
  }
}
    `) as unknown as TypedDocumentString<ActivityAddedSubscription, ActivityAddedSubscriptionVariables>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($tenantId: ID!, $filter: AuditFilterInput, $first: Int!, $after: String) {
  auditEvents(tenantId: $tenantId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    edges {
      node {
        ...AuditRow
      }
    }
  }
}
    fragment AuditRow on AuditRecordNode {
  eventId
  seq
  time
  kind
  method
  tool
  region
  proxyId
  latencyMs
  principal
  upstreamServerId
  virtualServerId
  decision {
    outcome
    reason
    ruleId
    policyVersion {
      logPosition
    }
  }
}`) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const AuditTailDocument = new TypedDocumentString(`
    subscription AuditTail($tenantId: ID!, $filter: AuditFilterInput) {
  auditTail(tenantId: $tenantId, filter: $filter) {
    ...AuditRow
  }
}
    fragment AuditRow on AuditRecordNode {
  eventId
  seq
  time
  kind
  method
  tool
  region
  proxyId
  latencyMs
  principal
  upstreamServerId
  virtualServerId
  decision {
    outcome
    reason
    ruleId
    policyVersion {
      logPosition
    }
  }
}`) as unknown as TypedDocumentString<AuditTailSubscription, AuditTailSubscriptionVariables>;
export const AuditEventDetailDocument = new TypedDocumentString(`
    query AuditEventDetail($tenantId: ID!, $eventId: ID!) {
  auditEvent(tenantId: $tenantId, eventId: $eventId) {
    eventId
    seq
    hash
    prevHash
    macKeyId
    time
    kind
    method
    tool
    region
    proxyId
    latencyMs
    traceId
    argumentsHash
    principal
    upstreamServerId
    virtualServerId
    change
    event
    checkpoint {
      seq
      keyId
      signedAt
    }
    decision {
      outcome
      reason
      ruleId
      message
      policyVersion {
        logPosition
        contentHash
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventDetailQuery, AuditEventDetailQueryVariables>;
export const AuditChartsDocument = new TypedDocumentString(`
    query AuditCharts($tenantId: ID!, $filter: AuditFilterInput, $interval: AuditBucketInterval!) {
  auditCallsOverTime(tenantId: $tenantId, filter: $filter, interval: $interval) {
    start
    allowed
    denied
    failed
    total
  }
  auditDenialsByReason(tenantId: $tenantId, filter: $filter, first: 10) {
    reason
    ruleId
    count
  }
  auditTopTools(tenantId: $tenantId, filter: $filter, first: 10) {
    tool
    calls
    denied
    failed
  }
  auditLatency(tenantId: $tenantId, filter: $filter) {
    count
    p50
    p95
    p99
    max
  }
}
    `) as unknown as TypedDocumentString<AuditChartsQuery, AuditChartsQueryVariables>;
export const AuditVerificationDocument = new TypedDocumentString(`
    query AuditVerification($tenantId: ID!, $from: DateTime, $to: DateTime) {
  auditVerification(tenantId: $tenantId, from: $from, to: $to) {
    ok
    records
    checkpoints
    fromSeq
    toSeq
    lastCheckpointSeq
    unsignedTail
    anchor
    macChecked
    retentions
    problem {
      kind
      seq
      detail
      eventId
    }
  }
}
    `) as unknown as TypedDocumentString<AuditVerificationQuery, AuditVerificationQueryVariables>;
export const EvidencePacksDocument = new TypedDocumentString(`
    query EvidencePacks($tenantId: ID!, $first: Int!, $after: String) {
  evidencePacks(tenantId: $tenantId, first: $first, after: $after) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      ...EvidencePackFields
    }
  }
}
    fragment EvidencePackFields on EvidencePackNode {
  id
  framework
  from
  to
  status
  sha256
  bytes
  error
  requestedBy
  createdAt
  finishedAt
  downloadUrl
  progress {
    phase
    done
    total
    percent
  }
}`) as unknown as TypedDocumentString<EvidencePacksQuery, EvidencePacksQueryVariables>;
export const EvidencePackDocument = new TypedDocumentString(`
    query EvidencePack($tenantId: ID!, $id: ID!) {
  evidencePack(tenantId: $tenantId, id: $id) {
    ...EvidencePackFields
  }
}
    fragment EvidencePackFields on EvidencePackNode {
  id
  framework
  from
  to
  status
  sha256
  bytes
  error
  requestedBy
  createdAt
  finishedAt
  downloadUrl
  progress {
    phase
    done
    total
    percent
  }
}`) as unknown as TypedDocumentString<EvidencePackQuery, EvidencePackQueryVariables>;
export const GenerateEvidencePackDocument = new TypedDocumentString(`
    mutation GenerateEvidencePack($tenantId: ID!, $input: GenerateEvidencePackInput!) {
  generateEvidencePack(tenantId: $tenantId, input: $input) {
    ...EvidencePackFields
  }
}
    fragment EvidencePackFields on EvidencePackNode {
  id
  framework
  from
  to
  status
  sha256
  bytes
  error
  requestedBy
  createdAt
  finishedAt
  downloadUrl
  progress {
    phase
    done
    total
    percent
  }
}`) as unknown as TypedDocumentString<GenerateEvidencePackMutation, GenerateEvidencePackMutationVariables>;
export const IdentityProvidersDocument = new TypedDocumentString(`
    query IdentityProviders($tenantId: ID!, $first: Int!, $after: String, $filter: IdentityProviderFilter) {
  identityProviders(
    tenantId: $tenantId
    first: $first
    after: $after
    filter: $filter
  ) {
    nodes {
      id
      issuer
      jwksUri
      audiences
      groupsClaim
      status
      updatedAt
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<IdentityProvidersQuery, IdentityProvidersQueryVariables>;
export const RegisterIdentityProviderDocument = new TypedDocumentString(`
    mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {
  registerIdentityProvider(tenantId: $tenantId, input: $input) {
    version
  }
}
    `) as unknown as TypedDocumentString<RegisterIdentityProviderMutation, RegisterIdentityProviderMutationVariables>;
export const RemoveIdentityProviderDocument = new TypedDocumentString(`
    mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {
  removeIdentityProvider(
    tenantId: $tenantId
    identityProviderId: $identityProviderId
  ) {
    version
  }
}
    `) as unknown as TypedDocumentString<RemoveIdentityProviderMutation, RemoveIdentityProviderMutationVariables>;
export const VirtualKeysDocument = new TypedDocumentString(`
    query VirtualKeys($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualKeyFilter) {
  virtualKeys(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
    nodes {
      id
      name
      keyPrefix
      status
      scopes
      expiresAt
      revokedAt
      virtualServerIds
      version
      usage {
        calls
        denied
        lastUsedAt
      }
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<VirtualKeysQuery, VirtualKeysQueryVariables>;
export const IssueVirtualKeyDocument = new TypedDocumentString(`
    mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {
  issueVirtualKey(input: $input) {
    keyId
    secret
    version
  }
}
    `) as unknown as TypedDocumentString<IssueVirtualKeyMutation, IssueVirtualKeyMutationVariables>;
export const RotateVirtualKeyDocument = new TypedDocumentString(`
    mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {
  rotateVirtualKey(
    tenantId: $tenantId
    keyId: $keyId
    graceSeconds: $graceSeconds
  ) {
    keyId
    secret
    version
  }
}
    `) as unknown as TypedDocumentString<RotateVirtualKeyMutation, RotateVirtualKeyMutationVariables>;
export const RevokeVirtualKeyDocument = new TypedDocumentString(`
    mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {
  revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {
    version
  }
}
    `) as unknown as TypedDocumentString<RevokeVirtualKeyMutation, RevokeVirtualKeyMutationVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members($tenantId: ID!, $first: Int!, $after: String, $filter: RoleBindingFilter) {
  roleBindings(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
    nodes {
      id
      role
      status
      subject
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
  roles(tenantId: $tenantId, first: 100) {
    nodes {
      id
      name
      description
      permissions
      builtIn
    }
  }
}
    `) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const CreateRoleBindingDocument = new TypedDocumentString(`
    mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {
  createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<CreateRoleBindingMutation, CreateRoleBindingMutationVariables>;
export const RemoveRoleBindingDocument = new TypedDocumentString(`
    mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {
  removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {
    version
  }
}
    `) as unknown as TypedDocumentString<RemoveRoleBindingMutation, RemoveRoleBindingMutationVariables>;
export const TenantOverviewDocument = new TypedDocumentString(`
    query TenantOverview($tenantId: ID!) {
  tenant(tenantId: $tenantId) {
    id
    slug
    displayName
    status
    regions
    createdAt
    updatedAt
    version
  }
}
    `) as unknown as TypedDocumentString<TenantOverviewQuery, TenantOverviewQueryVariables>;
export const ActivityDocument = new TypedDocumentString(`
    query Activity($tenantId: ID!, $first: Int!) {
  activity(tenantId: $tenantId, first: $first) {
    nodes {
      eventId
      type
      time
      actor
      streamId
      streamVersion
    }
  }
}
    `) as unknown as TypedDocumentString<ActivityQuery, ActivityQueryVariables>;
export const PoliciesDocument = new TypedDocumentString(`
    query Policies($tenantId: ID!, $first: Int!, $after: String, $filter: PolicyFilter) {
  policies(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
    nodes {
      id
      name
      description
      document
      version
      updatedAt
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<PoliciesQuery, PoliciesQueryVariables>;
export const CreatePolicyDocument = new TypedDocumentString(`
    mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {
  createPolicy(
    tenantId: $tenantId
    name: $name
    description: $description
    document: $document
  ) {
    id
    version
    logPosition
  }
}
    `) as unknown as TypedDocumentString<CreatePolicyMutation, CreatePolicyMutationVariables>;
export const UpdatePolicyDocument = new TypedDocumentString(`
    mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {
  updatePolicy(
    tenantId: $tenantId
    policyId: $policyId
    document: $document
    changeNote: $changeNote
  ) {
    version
    logPosition
  }
}
    `) as unknown as TypedDocumentString<UpdatePolicyMutation, UpdatePolicyMutationVariables>;
export const DeletePolicyDocument = new TypedDocumentString(`
    mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {
  deletePolicy(tenantId: $tenantId, policyId: $policyId) {
    version
  }
}
    `) as unknown as TypedDocumentString<DeletePolicyMutation, DeletePolicyMutationVariables>;
export const EffectivePolicyDocument = new TypedDocumentString(`
    query EffectivePolicy($tenantId: ID!, $at: String!) {
  effectivePolicyAt(tenantId: $tenantId, at: $at)
}
    `) as unknown as TypedDocumentString<EffectivePolicyQuery, EffectivePolicyQueryVariables>;
export const PolicyDiffDocument = new TypedDocumentString(`
    query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {
  policyDiff(tenantId: $tenantId, from: $from, to: $to)
}
    `) as unknown as TypedDocumentString<PolicyDiffQuery, PolicyDiffQueryVariables>;
export const SimulatePolicyDocument = new TypedDocumentString(`
    query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {
  simulatePolicyChange(
    tenantId: $tenantId
    policyId: $policyId
    candidate: $candidate
    calls: $calls
    from: $from
    limit: $limit
  ) {
    source
    examined
    changed
    newlyDenied
    newlyAllowed
    changedCalls {
      eventId
      time
      tool
      principal
      recordedOutcome
      before
      after
      ruleBefore
      ruleAfter
      reasonBefore
      reasonAfter
    }
    sampleResults
  }
}
    `) as unknown as TypedDocumentString<SimulatePolicyQuery, SimulatePolicyQueryVariables>;
export const BudgetUsageDocument = new TypedDocumentString(`
    query BudgetUsage($tenantId: ID!) {
  budgetUsage(tenantId: $tenantId) {
    tenantId
    countedThroughSeq
    asOf
    budgets {
      budgetId
      id
      keyId
      policyName
      scope
      period
      periodStart
      periodEnd
      maxCalls
      maxCost
      subjectCount
      subjects {
        subject
        calls
        cost
        spent
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BudgetUsageQuery, BudgetUsageQueryVariables>;
export const RolloutDocument = new TypedDocumentString(`
    query Rollout($tenantId: ID!) {
  rollout(tenantId: $tenantId) {
    ...RolloutFields
  }
}
    fragment RolloutFields on RolloutNode {
  tenantId
  enforcedEverywhere
  publishedAt
  latest {
    logPosition
    contentHash
  }
  regions {
    region
    enforced
    proxies {
      proxyId
      region
      current
      stale
      reportedAt
      appliedAt
      version {
        logPosition
        contentHash
      }
    }
  }
}`) as unknown as TypedDocumentString<RolloutQuery, RolloutQueryVariables>;
export const RolloutChangedDocument = new TypedDocumentString(`
    subscription RolloutChanged($tenantId: ID!) {
  rolloutChanged(tenantId: $tenantId) {
    ...RolloutFields
  }
}
    fragment RolloutFields on RolloutNode {
  tenantId
  enforcedEverywhere
  publishedAt
  latest {
    logPosition
    contentHash
  }
  regions {
    region
    enforced
    proxies {
      proxyId
      region
      current
      stale
      reportedAt
      appliedAt
      version {
        logPosition
        contentHash
      }
    }
  }
}`) as unknown as TypedDocumentString<RolloutChangedSubscription, RolloutChangedSubscriptionVariables>;
export const UpstreamServerStatusDocument = new TypedDocumentString(`
    query UpstreamServerStatus($tenantId: ID!, $upstreamServerId: ID!) {
  upstreamServerStatus(tenantId: $tenantId, upstreamServerId: $upstreamServerId) {
    upstreamServerId
    toolsListedAt
    tools {
      name
      title
      description
      readOnly
      destructive
      idempotent
    }
    endpoints {
      endpointId
      proxyId
      region
      health
      lastError
      reportedAt
      listedAt
      stale
    }
  }
}
    `) as unknown as TypedDocumentString<UpstreamServerStatusQuery, UpstreamServerStatusQueryVariables>;
export const UpstreamServersDocument = new TypedDocumentString(`
    query UpstreamServers($tenantId: ID!, $status: String) {
  upstreamServers(tenantId: $tenantId, first: 100, filter: {status: $status}) {
    nodes {
      ...UpstreamServerFields
    }
  }
}
    fragment UpstreamServerFields on UpstreamServerNode {
  id
  name
  transport
  regions
  status
  tags
  config
  version
}`) as unknown as TypedDocumentString<UpstreamServersQuery, UpstreamServersQueryVariables>;
export const UpstreamServerPageDocument = new TypedDocumentString(`
    query UpstreamServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: UpstreamServerFilter) {
  upstreamServers(
    tenantId: $tenantId
    first: $first
    after: $after
    filter: $filter
  ) {
    nodes {
      ...UpstreamServerFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    fragment UpstreamServerFields on UpstreamServerNode {
  id
  name
  transport
  regions
  status
  tags
  config
  version
}`) as unknown as TypedDocumentString<UpstreamServerPageQuery, UpstreamServerPageQueryVariables>;
export const RegisterUpstreamServerDocument = new TypedDocumentString(`
    mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {
  registerUpstreamServer(tenantId: $tenantId, config: $config) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<RegisterUpstreamServerMutation, RegisterUpstreamServerMutationVariables>;
export const ReconfigureUpstreamServerDocument = new TypedDocumentString(`
    mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {
  reconfigureUpstreamServer(
    tenantId: $tenantId
    serverId: $serverId
    config: $config
  ) {
    version
  }
}
    `) as unknown as TypedDocumentString<ReconfigureUpstreamServerMutation, ReconfigureUpstreamServerMutationVariables>;
export const RemoveUpstreamServerDocument = new TypedDocumentString(`
    mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {
  removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {
    version
  }
}
    `) as unknown as TypedDocumentString<RemoveUpstreamServerMutation, RemoveUpstreamServerMutationVariables>;
export const TenantsDocument = new TypedDocumentString(`
    query Tenants($first: Int!, $after: String, $filter: TenantFilter) {
  tenants(first: $first, after: $after, filter: $filter) {
    nodes {
      id
      slug
      displayName
      status
      regions
      createdAt
      version
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<TenantsQuery, TenantsQueryVariables>;
export const CreateTenantDocument = new TypedDocumentString(`
    mutation CreateTenant($input: CreateTenantInput!) {
  createTenant(input: $input) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<CreateTenantMutation, CreateTenantMutationVariables>;
export const SuspendTenantDocument = new TypedDocumentString(`
    mutation SuspendTenant($tenantId: ID!, $reason: String!) {
  suspendTenant(tenantId: $tenantId, reason: $reason) {
    version
  }
}
    `) as unknown as TypedDocumentString<SuspendTenantMutation, SuspendTenantMutationVariables>;
export const ReactivateTenantDocument = new TypedDocumentString(`
    mutation ReactivateTenant($tenantId: ID!) {
  reactivateTenant(tenantId: $tenantId) {
    version
  }
}
    `) as unknown as TypedDocumentString<ReactivateTenantMutation, ReactivateTenantMutationVariables>;
export const CataloguePreviewSubjectsDocument = new TypedDocumentString(`
    query CataloguePreviewSubjects($tenantId: ID!) {
  virtualKeys(tenantId: $tenantId, first: 100, filter: {status: "active"}) {
    nodes {
      id
      name
      status
      scopes
    }
  }
  roles(tenantId: $tenantId, first: 100) {
    nodes {
      id
      name
    }
  }
  policies(tenantId: $tenantId, first: 100) {
    nodes {
      id
      name
      document
    }
  }
}
    `) as unknown as TypedDocumentString<CataloguePreviewSubjectsQuery, CataloguePreviewSubjectsQueryVariables>;
export const VirtualServersDocument = new TypedDocumentString(`
    query VirtualServers($tenantId: ID!) {
  virtualServers(tenantId: $tenantId, first: 100) {
    nodes {
      ...VirtualServerFields
    }
  }
}
    fragment VirtualServerFields on VirtualServerNode {
  id
  name
  prefixMode
  anonymousAccess
  serverIds
  config
  version
}`) as unknown as TypedDocumentString<VirtualServersQuery, VirtualServersQueryVariables>;
export const VirtualServerPageDocument = new TypedDocumentString(`
    query VirtualServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualServerFilter) {
  virtualServers(
    tenantId: $tenantId
    first: $first
    after: $after
    filter: $filter
  ) {
    nodes {
      ...VirtualServerFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    fragment VirtualServerFields on VirtualServerNode {
  id
  name
  prefixMode
  anonymousAccess
  serverIds
  config
  version
}`) as unknown as TypedDocumentString<VirtualServerPageQuery, VirtualServerPageQueryVariables>;
export const CreateVirtualServerDocument = new TypedDocumentString(`
    mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {
  createVirtualServer(tenantId: $tenantId, config: $config) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<CreateVirtualServerMutation, CreateVirtualServerMutationVariables>;
export const ReconfigureVirtualServerDocument = new TypedDocumentString(`
    mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {
  reconfigureVirtualServer(
    tenantId: $tenantId
    virtualServerId: $virtualServerId
    config: $config
  ) {
    version
  }
}
    `) as unknown as TypedDocumentString<ReconfigureVirtualServerMutation, ReconfigureVirtualServerMutationVariables>;
export const DeleteVirtualServerDocument = new TypedDocumentString(`
    mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {
  deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {
    version
  }
}
    `) as unknown as TypedDocumentString<DeleteVirtualServerMutation, DeleteVirtualServerMutationVariables>;
export const TenantListDocument = new TypedDocumentString(`
    query TenantList {
  tenants(first: 100) {
    nodes {
      id
      slug
      displayName
      status
      regions
    }
  }
}
    `) as unknown as TypedDocumentString<TenantListQuery, TenantListQueryVariables>;