/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateTenantInput = {
  displayName: string;
  regions: Array<string>;
  slug: string;
};

export type IssueVirtualKeyInput = {
  expiresAt?: string | null | undefined;
  name: string;
  /** virtualServerIds, tools {allow, deny}, rateLimits, budget */
  scopes: Record<string, unknown>;
  tenantId: string;
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

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { myPermissions: Array<string>, me: { kind: string, subject: string, groups: Array<string>, platformAdmin: boolean } | null };

export type TenantPermissionsQueryVariables = Exact<{
  tenantId: string;
}>;


export type TenantPermissionsQuery = { myPermissions: Array<string> };

export type IdentityProvidersQueryVariables = Exact<{
  tenantId: string;
}>;


export type IdentityProvidersQuery = { identityProviders: Array<{ id: string, issuer: string, jwksUri: string, audiences: Array<string>, groupsClaim: string, status: string, updatedAt: string }> };

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
}>;


export type VirtualKeysQuery = { virtualKeys: Array<{ id: string, name: string, keyPrefix: string, status: string, scopes: Record<string, unknown>, expiresAt: string | null, revokedAt: string | null, virtualServerIds: Array<string>, version: number }> };

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
}>;


export type MembersQuery = { roleBindings: Array<{ id: string, role: string, status: string, subject: Record<string, unknown> }>, roles: Array<{ id: string, name: string, description: string, permissions: Array<string>, builtIn: boolean }> };

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


export type ActivityQuery = { activity: Array<{ eventId: string, type: string, time: string, actor: Record<string, unknown>, streamId: string, streamVersion: number }> };

export type PoliciesQueryVariables = Exact<{
  tenantId: string;
}>;


export type PoliciesQuery = { policies: Array<{ id: string, name: string, description: string, document: Record<string, unknown>, version: number, updatedAt: string }> };

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
  calls: Array<Record<string, unknown>> | Record<string, unknown>;
}>;


export type SimulatePolicyQuery = { simulatePolicyChange: Array<Record<string, unknown>> };

export type UpstreamServersQueryVariables = Exact<{
  tenantId: string;
  includeRemoved: boolean;
}>;


export type UpstreamServersQuery = { upstreamServers: Array<{ id: string, name: string, transport: string, regions: Array<string>, status: string, tags: Array<string>, config: Record<string, unknown>, version: number }> };

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

export type TenantsQueryVariables = Exact<{ [key: string]: never; }>;


export type TenantsQuery = { tenants: Array<{ id: string, slug: string, displayName: string, status: string, regions: Array<string>, createdAt: string, version: number }> };

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

export type VirtualServersQueryVariables = Exact<{
  tenantId: string;
}>;


export type VirtualServersQuery = { virtualServers: Array<{ id: string, name: string, prefixMode: string, anonymousAccess: boolean, serverIds: Array<string>, config: Record<string, unknown>, version: number }> };

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


export type TenantListQuery = { tenants: Array<{ id: string, slug: string, displayName: string, status: string, regions: Array<string> }> };

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
export const IdentityProvidersDocument = new TypedDocumentString(`
    query IdentityProviders($tenantId: ID!) {
  identityProviders(tenantId: $tenantId, first: 100) {
    id
    issuer
    jwksUri
    audiences
    groupsClaim
    status
    updatedAt
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
    query VirtualKeys($tenantId: ID!) {
  virtualKeys(tenantId: $tenantId) {
    id
    name
    keyPrefix
    status
    scopes
    expiresAt
    revokedAt
    virtualServerIds
    version
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
    query Members($tenantId: ID!) {
  roleBindings(tenantId: $tenantId) {
    id
    role
    status
    subject
  }
  roles(tenantId: $tenantId) {
    id
    name
    description
    permissions
    builtIn
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
    eventId
    type
    time
    actor
    streamId
    streamVersion
  }
}
    `) as unknown as TypedDocumentString<ActivityQuery, ActivityQueryVariables>;
export const PoliciesDocument = new TypedDocumentString(`
    query Policies($tenantId: ID!) {
  policies(tenantId: $tenantId) {
    id
    name
    description
    document
    version
    updatedAt
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
    query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!]!) {
  simulatePolicyChange(
    tenantId: $tenantId
    policyId: $policyId
    candidate: $candidate
    calls: $calls
  )
}
    `) as unknown as TypedDocumentString<SimulatePolicyQuery, SimulatePolicyQueryVariables>;
export const UpstreamServersDocument = new TypedDocumentString(`
    query UpstreamServers($tenantId: ID!, $includeRemoved: Boolean!) {
  upstreamServers(
    tenantId: $tenantId
    includeRemoved: $includeRemoved
    first: 100
  ) {
    id
    name
    transport
    regions
    status
    tags
    config
    version
  }
}
    `) as unknown as TypedDocumentString<UpstreamServersQuery, UpstreamServersQueryVariables>;
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
    query Tenants {
  tenants {
    id
    slug
    displayName
    status
    regions
    createdAt
    version
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
export const VirtualServersDocument = new TypedDocumentString(`
    query VirtualServers($tenantId: ID!) {
  virtualServers(tenantId: $tenantId) {
    id
    name
    prefixMode
    anonymousAccess
    serverIds
    config
    version
  }
}
    `) as unknown as TypedDocumentString<VirtualServersQuery, VirtualServersQueryVariables>;
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
  tenants {
    id
    slug
    displayName
    status
    regions
  }
}
    `) as unknown as TypedDocumentString<TenantListQuery, TenantListQueryVariables>;