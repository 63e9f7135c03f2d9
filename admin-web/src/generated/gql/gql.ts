/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Session {\n    me {\n      kind\n      subject\n      groups\n      platformAdmin\n    }\n    myPermissions\n  }\n": typeof types.SessionDocument,
    "\n  query TenantPermissions($tenantId: ID!) {\n    myPermissions(tenantId: $tenantId)\n  }\n": typeof types.TenantPermissionsDocument,
    "\n  query IdentityProviders($tenantId: ID!) {\n    identityProviders(tenantId: $tenantId, first: 100) {\n      id\n      issuer\n      jwksUri\n      audiences\n      groupsClaim\n      status\n      updatedAt\n    }\n  }\n": typeof types.IdentityProvidersDocument,
    "\n  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {\n    registerIdentityProvider(tenantId: $tenantId, input: $input) {\n      version\n    }\n  }\n": typeof types.RegisterIdentityProviderDocument,
    "\n  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {\n    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {\n      version\n    }\n  }\n": typeof types.RemoveIdentityProviderDocument,
    "\n  query VirtualKeys($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId) {\n      id\n      name\n      keyPrefix\n      status\n      scopes\n      expiresAt\n      revokedAt\n      virtualServerIds\n      version\n    }\n  }\n": typeof types.VirtualKeysDocument,
    "\n  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {\n    issueVirtualKey(input: $input) {\n      keyId\n      secret\n      version\n    }\n  }\n": typeof types.IssueVirtualKeyDocument,
    "\n  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {\n    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {\n      keyId\n      secret\n      version\n    }\n  }\n": typeof types.RotateVirtualKeyDocument,
    "\n  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {\n    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {\n      version\n    }\n  }\n": typeof types.RevokeVirtualKeyDocument,
    "\n  query Members($tenantId: ID!) {\n    roleBindings(tenantId: $tenantId) {\n      id\n      role\n      status\n      subject\n    }\n    roles(tenantId: $tenantId) {\n      id\n      name\n      description\n      permissions\n      builtIn\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {\n    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {\n      id\n      version\n    }\n  }\n": typeof types.CreateRoleBindingDocument,
    "\n  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {\n    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {\n      version\n    }\n  }\n": typeof types.RemoveRoleBindingDocument,
    "\n  query TenantOverview($tenantId: ID!) {\n    tenant(tenantId: $tenantId) {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      updatedAt\n      version\n    }\n  }\n": typeof types.TenantOverviewDocument,
    "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      eventId\n      type\n      time\n      actor\n      streamId\n      streamVersion\n    }\n  }\n": typeof types.ActivityDocument,
    "\n  query Policies($tenantId: ID!) {\n    policies(tenantId: $tenantId) {\n      id\n      name\n      description\n      document\n      version\n      updatedAt\n    }\n  }\n": typeof types.PoliciesDocument,
    "\n  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {\n    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {\n      id\n      version\n      logPosition\n    }\n  }\n": typeof types.CreatePolicyDocument,
    "\n  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {\n    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {\n      version\n      logPosition\n    }\n  }\n": typeof types.UpdatePolicyDocument,
    "\n  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {\n    deletePolicy(tenantId: $tenantId, policyId: $policyId) {\n      version\n    }\n  }\n": typeof types.DeletePolicyDocument,
    "\n  query EffectivePolicy($tenantId: ID!, $at: String!) {\n    effectivePolicyAt(tenantId: $tenantId, at: $at)\n  }\n": typeof types.EffectivePolicyDocument,
    "\n  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {\n    policyDiff(tenantId: $tenantId, from: $from, to: $to)\n  }\n": typeof types.PolicyDiffDocument,
    "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!]!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls)\n  }\n": typeof types.SimulatePolicyDocument,
    "\n  query UpstreamServers($tenantId: ID!, $includeRemoved: Boolean!) {\n    upstreamServers(tenantId: $tenantId, includeRemoved: $includeRemoved, first: 100) {\n      id\n      name\n      transport\n      regions\n      status\n      tags\n      config\n      version\n    }\n  }\n": typeof types.UpstreamServersDocument,
    "\n  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {\n    registerUpstreamServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": typeof types.RegisterUpstreamServerDocument,
    "\n  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {\n    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {\n      version\n    }\n  }\n": typeof types.ReconfigureUpstreamServerDocument,
    "\n  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {\n    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {\n      version\n    }\n  }\n": typeof types.RemoveUpstreamServerDocument,
    "\n  query Tenants {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      version\n    }\n  }\n": typeof types.TenantsDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      id\n      version\n    }\n  }\n": typeof types.CreateTenantDocument,
    "\n  mutation SuspendTenant($tenantId: ID!, $reason: String!) {\n    suspendTenant(tenantId: $tenantId, reason: $reason) {\n      version\n    }\n  }\n": typeof types.SuspendTenantDocument,
    "\n  mutation ReactivateTenant($tenantId: ID!) {\n    reactivateTenant(tenantId: $tenantId) {\n      version\n    }\n  }\n": typeof types.ReactivateTenantDocument,
    "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId) {\n      id\n      name\n      prefixMode\n      anonymousAccess\n      serverIds\n      config\n      version\n    }\n  }\n": typeof types.VirtualServersDocument,
    "\n  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {\n    createVirtualServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": typeof types.CreateVirtualServerDocument,
    "\n  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {\n    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {\n      version\n    }\n  }\n": typeof types.ReconfigureVirtualServerDocument,
    "\n  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {\n    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {\n      version\n    }\n  }\n": typeof types.DeleteVirtualServerDocument,
    "\n  query TenantList {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n    }\n  }\n": typeof types.TenantListDocument,
};
const documents: Documents = {
    "\n  query Session {\n    me {\n      kind\n      subject\n      groups\n      platformAdmin\n    }\n    myPermissions\n  }\n": types.SessionDocument,
    "\n  query TenantPermissions($tenantId: ID!) {\n    myPermissions(tenantId: $tenantId)\n  }\n": types.TenantPermissionsDocument,
    "\n  query IdentityProviders($tenantId: ID!) {\n    identityProviders(tenantId: $tenantId, first: 100) {\n      id\n      issuer\n      jwksUri\n      audiences\n      groupsClaim\n      status\n      updatedAt\n    }\n  }\n": types.IdentityProvidersDocument,
    "\n  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {\n    registerIdentityProvider(tenantId: $tenantId, input: $input) {\n      version\n    }\n  }\n": types.RegisterIdentityProviderDocument,
    "\n  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {\n    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {\n      version\n    }\n  }\n": types.RemoveIdentityProviderDocument,
    "\n  query VirtualKeys($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId) {\n      id\n      name\n      keyPrefix\n      status\n      scopes\n      expiresAt\n      revokedAt\n      virtualServerIds\n      version\n    }\n  }\n": types.VirtualKeysDocument,
    "\n  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {\n    issueVirtualKey(input: $input) {\n      keyId\n      secret\n      version\n    }\n  }\n": types.IssueVirtualKeyDocument,
    "\n  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {\n    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {\n      keyId\n      secret\n      version\n    }\n  }\n": types.RotateVirtualKeyDocument,
    "\n  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {\n    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {\n      version\n    }\n  }\n": types.RevokeVirtualKeyDocument,
    "\n  query Members($tenantId: ID!) {\n    roleBindings(tenantId: $tenantId) {\n      id\n      role\n      status\n      subject\n    }\n    roles(tenantId: $tenantId) {\n      id\n      name\n      description\n      permissions\n      builtIn\n    }\n  }\n": types.MembersDocument,
    "\n  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {\n    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {\n      id\n      version\n    }\n  }\n": types.CreateRoleBindingDocument,
    "\n  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {\n    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {\n      version\n    }\n  }\n": types.RemoveRoleBindingDocument,
    "\n  query TenantOverview($tenantId: ID!) {\n    tenant(tenantId: $tenantId) {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      updatedAt\n      version\n    }\n  }\n": types.TenantOverviewDocument,
    "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      eventId\n      type\n      time\n      actor\n      streamId\n      streamVersion\n    }\n  }\n": types.ActivityDocument,
    "\n  query Policies($tenantId: ID!) {\n    policies(tenantId: $tenantId) {\n      id\n      name\n      description\n      document\n      version\n      updatedAt\n    }\n  }\n": types.PoliciesDocument,
    "\n  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {\n    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {\n      id\n      version\n      logPosition\n    }\n  }\n": types.CreatePolicyDocument,
    "\n  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {\n    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {\n      version\n      logPosition\n    }\n  }\n": types.UpdatePolicyDocument,
    "\n  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {\n    deletePolicy(tenantId: $tenantId, policyId: $policyId) {\n      version\n    }\n  }\n": types.DeletePolicyDocument,
    "\n  query EffectivePolicy($tenantId: ID!, $at: String!) {\n    effectivePolicyAt(tenantId: $tenantId, at: $at)\n  }\n": types.EffectivePolicyDocument,
    "\n  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {\n    policyDiff(tenantId: $tenantId, from: $from, to: $to)\n  }\n": types.PolicyDiffDocument,
    "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!]!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls)\n  }\n": types.SimulatePolicyDocument,
    "\n  query UpstreamServers($tenantId: ID!, $includeRemoved: Boolean!) {\n    upstreamServers(tenantId: $tenantId, includeRemoved: $includeRemoved, first: 100) {\n      id\n      name\n      transport\n      regions\n      status\n      tags\n      config\n      version\n    }\n  }\n": types.UpstreamServersDocument,
    "\n  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {\n    registerUpstreamServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": types.RegisterUpstreamServerDocument,
    "\n  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {\n    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {\n      version\n    }\n  }\n": types.ReconfigureUpstreamServerDocument,
    "\n  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {\n    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {\n      version\n    }\n  }\n": types.RemoveUpstreamServerDocument,
    "\n  query Tenants {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      version\n    }\n  }\n": types.TenantsDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      id\n      version\n    }\n  }\n": types.CreateTenantDocument,
    "\n  mutation SuspendTenant($tenantId: ID!, $reason: String!) {\n    suspendTenant(tenantId: $tenantId, reason: $reason) {\n      version\n    }\n  }\n": types.SuspendTenantDocument,
    "\n  mutation ReactivateTenant($tenantId: ID!) {\n    reactivateTenant(tenantId: $tenantId) {\n      version\n    }\n  }\n": types.ReactivateTenantDocument,
    "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId) {\n      id\n      name\n      prefixMode\n      anonymousAccess\n      serverIds\n      config\n      version\n    }\n  }\n": types.VirtualServersDocument,
    "\n  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {\n    createVirtualServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": types.CreateVirtualServerDocument,
    "\n  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {\n    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {\n      version\n    }\n  }\n": types.ReconfigureVirtualServerDocument,
    "\n  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {\n    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {\n      version\n    }\n  }\n": types.DeleteVirtualServerDocument,
    "\n  query TenantList {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n    }\n  }\n": types.TenantListDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    me {\n      kind\n      subject\n      groups\n      platformAdmin\n    }\n    myPermissions\n  }\n"): typeof import('./graphql').SessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantPermissions($tenantId: ID!) {\n    myPermissions(tenantId: $tenantId)\n  }\n"): typeof import('./graphql').TenantPermissionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdentityProviders($tenantId: ID!) {\n    identityProviders(tenantId: $tenantId, first: 100) {\n      id\n      issuer\n      jwksUri\n      audiences\n      groupsClaim\n      status\n      updatedAt\n    }\n  }\n"): typeof import('./graphql').IdentityProvidersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {\n    registerIdentityProvider(tenantId: $tenantId, input: $input) {\n      version\n    }\n  }\n"): typeof import('./graphql').RegisterIdentityProviderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {\n    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {\n      version\n    }\n  }\n"): typeof import('./graphql').RemoveIdentityProviderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VirtualKeys($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId) {\n      id\n      name\n      keyPrefix\n      status\n      scopes\n      expiresAt\n      revokedAt\n      virtualServerIds\n      version\n    }\n  }\n"): typeof import('./graphql').VirtualKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {\n    issueVirtualKey(input: $input) {\n      keyId\n      secret\n      version\n    }\n  }\n"): typeof import('./graphql').IssueVirtualKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {\n    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {\n      keyId\n      secret\n      version\n    }\n  }\n"): typeof import('./graphql').RotateVirtualKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {\n    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {\n      version\n    }\n  }\n"): typeof import('./graphql').RevokeVirtualKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($tenantId: ID!) {\n    roleBindings(tenantId: $tenantId) {\n      id\n      role\n      status\n      subject\n    }\n    roles(tenantId: $tenantId) {\n      id\n      name\n      description\n      permissions\n      builtIn\n    }\n  }\n"): typeof import('./graphql').MembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {\n    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {\n      id\n      version\n    }\n  }\n"): typeof import('./graphql').CreateRoleBindingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {\n    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {\n      version\n    }\n  }\n"): typeof import('./graphql').RemoveRoleBindingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantOverview($tenantId: ID!) {\n    tenant(tenantId: $tenantId) {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      updatedAt\n      version\n    }\n  }\n"): typeof import('./graphql').TenantOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      eventId\n      type\n      time\n      actor\n      streamId\n      streamVersion\n    }\n  }\n"): typeof import('./graphql').ActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Policies($tenantId: ID!) {\n    policies(tenantId: $tenantId) {\n      id\n      name\n      description\n      document\n      version\n      updatedAt\n    }\n  }\n"): typeof import('./graphql').PoliciesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {\n    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {\n      id\n      version\n      logPosition\n    }\n  }\n"): typeof import('./graphql').CreatePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {\n    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {\n      version\n      logPosition\n    }\n  }\n"): typeof import('./graphql').UpdatePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {\n    deletePolicy(tenantId: $tenantId, policyId: $policyId) {\n      version\n    }\n  }\n"): typeof import('./graphql').DeletePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EffectivePolicy($tenantId: ID!, $at: String!) {\n    effectivePolicyAt(tenantId: $tenantId, at: $at)\n  }\n"): typeof import('./graphql').EffectivePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {\n    policyDiff(tenantId: $tenantId, from: $from, to: $to)\n  }\n"): typeof import('./graphql').PolicyDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!]!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls)\n  }\n"): typeof import('./graphql').SimulatePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UpstreamServers($tenantId: ID!, $includeRemoved: Boolean!) {\n    upstreamServers(tenantId: $tenantId, includeRemoved: $includeRemoved, first: 100) {\n      id\n      name\n      transport\n      regions\n      status\n      tags\n      config\n      version\n    }\n  }\n"): typeof import('./graphql').UpstreamServersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {\n    registerUpstreamServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n"): typeof import('./graphql').RegisterUpstreamServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {\n    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {\n      version\n    }\n  }\n"): typeof import('./graphql').ReconfigureUpstreamServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {\n    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {\n      version\n    }\n  }\n"): typeof import('./graphql').RemoveUpstreamServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tenants {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      version\n    }\n  }\n"): typeof import('./graphql').TenantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      id\n      version\n    }\n  }\n"): typeof import('./graphql').CreateTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendTenant($tenantId: ID!, $reason: String!) {\n    suspendTenant(tenantId: $tenantId, reason: $reason) {\n      version\n    }\n  }\n"): typeof import('./graphql').SuspendTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateTenant($tenantId: ID!) {\n    reactivateTenant(tenantId: $tenantId) {\n      version\n    }\n  }\n"): typeof import('./graphql').ReactivateTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId) {\n      id\n      name\n      prefixMode\n      anonymousAccess\n      serverIds\n      config\n      version\n    }\n  }\n"): typeof import('./graphql').VirtualServersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {\n    createVirtualServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n"): typeof import('./graphql').CreateVirtualServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {\n    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {\n      version\n    }\n  }\n"): typeof import('./graphql').ReconfigureVirtualServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {\n    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {\n      version\n    }\n  }\n"): typeof import('./graphql').DeleteVirtualServerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantList {\n    tenants {\n      id\n      slug\n      displayName\n      status\n      regions\n    }\n  }\n"): typeof import('./graphql').TenantListDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
