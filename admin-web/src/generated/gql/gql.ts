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
    "\n  query ActivityHistory($tenantId: ID!, $first: Int!, $after: String, $filter: ActivityFilter) {\n    activity(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n        data\n        before\n        after\n      }\n    }\n  }\n": typeof types.ActivityHistoryDocument,
    "\n  subscription ActivityAdded($tenantId: ID!) {\n    activityAdded(tenantId: $tenantId) {\n      eventId\n      type\n    }\n  }\n": typeof types.ActivityAddedDocument,
    "\n  query AuditEvents($tenantId: ID!, $filter: AuditFilterInput, $first: Int!, $after: String) {\n    auditEvents(tenantId: $tenantId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...AuditRow\n        }\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  fragment AuditRow on AuditRecordNode {\n    eventId\n    seq\n    time\n    kind\n    method\n    tool\n    region\n    proxyId\n    latencyMs\n    principal\n    upstreamServerId\n    virtualServerId\n    decision {\n      outcome\n      reason\n      ruleId\n      policyVersion {\n        logPosition\n      }\n    }\n  }\n": typeof types.AuditRowFragmentDoc,
    "\n  subscription AuditTail($tenantId: ID!, $filter: AuditFilterInput) {\n    auditTail(tenantId: $tenantId, filter: $filter) {\n      ...AuditRow\n    }\n  }\n": typeof types.AuditTailDocument,
    "\n  query AuditEventDetail($tenantId: ID!, $eventId: ID!) {\n    auditEvent(tenantId: $tenantId, eventId: $eventId) {\n      eventId\n      seq\n      hash\n      prevHash\n      macKeyId\n      time\n      kind\n      method\n      tool\n      region\n      proxyId\n      latencyMs\n      traceId\n      argumentsHash\n      principal\n      upstreamServerId\n      virtualServerId\n      change\n      event\n      checkpoint {\n        seq\n        keyId\n        signedAt\n      }\n      decision {\n        outcome\n        reason\n        ruleId\n        message\n        policyVersion {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n": typeof types.AuditEventDetailDocument,
    "\n  query AuditCharts($tenantId: ID!, $filter: AuditFilterInput, $interval: AuditBucketInterval!) {\n    auditCallsOverTime(tenantId: $tenantId, filter: $filter, interval: $interval) {\n      start\n      allowed\n      denied\n      failed\n      total\n    }\n    auditDenialsByReason(tenantId: $tenantId, filter: $filter, first: 10) {\n      reason\n      ruleId\n      count\n    }\n    auditTopTools(tenantId: $tenantId, filter: $filter, first: 10) {\n      tool\n      calls\n      denied\n      failed\n    }\n    auditLatency(tenantId: $tenantId, filter: $filter) {\n      count\n      p50\n      p95\n      p99\n      max\n    }\n  }\n": typeof types.AuditChartsDocument,
    "\n  query AuditVerification($tenantId: ID!, $from: DateTime, $to: DateTime) {\n    auditVerification(tenantId: $tenantId, from: $from, to: $to) {\n      ok\n      records\n      checkpoints\n      fromSeq\n      toSeq\n      lastCheckpointSeq\n      unsignedTail\n      anchor\n      macChecked\n      retentions\n      problem {\n        kind\n        seq\n        detail\n        eventId\n      }\n    }\n  }\n": typeof types.AuditVerificationDocument,
    "\n  fragment EvidencePackFields on EvidencePackNode {\n    id\n    framework\n    from\n    to\n    status\n    sha256\n    bytes\n    error\n    requestedBy\n    createdAt\n    finishedAt\n    downloadUrl\n    progress {\n      phase\n      done\n      total\n      percent\n    }\n  }\n": typeof types.EvidencePackFieldsFragmentDoc,
    "\n  query EvidencePacks($tenantId: ID!, $first: Int!, $after: String) {\n    evidencePacks(tenantId: $tenantId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        ...EvidencePackFields\n      }\n    }\n  }\n": typeof types.EvidencePacksDocument,
    "\n  query EvidencePack($tenantId: ID!, $id: ID!) {\n    evidencePack(tenantId: $tenantId, id: $id) {\n      ...EvidencePackFields\n    }\n  }\n": typeof types.EvidencePackDocument,
    "\n  mutation GenerateEvidencePack($tenantId: ID!, $input: GenerateEvidencePackInput!) {\n    generateEvidencePack(tenantId: $tenantId, input: $input) {\n      ...EvidencePackFields\n    }\n  }\n": typeof types.GenerateEvidencePackDocument,
    "\n  query IdentityProviders($tenantId: ID!, $first: Int!, $after: String, $filter: IdentityProviderFilter) {\n    identityProviders(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        issuer\n        jwksUri\n        audiences\n        groupsClaim\n        status\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.IdentityProvidersDocument,
    "\n  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {\n    registerIdentityProvider(tenantId: $tenantId, input: $input) {\n      version\n    }\n  }\n": typeof types.RegisterIdentityProviderDocument,
    "\n  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {\n    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {\n      version\n    }\n  }\n": typeof types.RemoveIdentityProviderDocument,
    "\n  query VirtualKeys($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualKeyFilter) {\n    virtualKeys(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        keyPrefix\n        status\n        scopes\n        expiresAt\n        revokedAt\n        virtualServerIds\n        version\n        usage {\n          calls\n          denied\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.VirtualKeysDocument,
    "\n  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {\n    issueVirtualKey(input: $input) {\n      keyId\n      secret\n      version\n    }\n  }\n": typeof types.IssueVirtualKeyDocument,
    "\n  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {\n    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {\n      keyId\n      secret\n      version\n    }\n  }\n": typeof types.RotateVirtualKeyDocument,
    "\n  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {\n    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {\n      version\n    }\n  }\n": typeof types.RevokeVirtualKeyDocument,
    "\n  query Members($tenantId: ID!, $first: Int!, $after: String, $filter: RoleBindingFilter) {\n    roleBindings(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        role\n        status\n        subject\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        description\n        permissions\n        builtIn\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {\n    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {\n      id\n      version\n    }\n  }\n": typeof types.CreateRoleBindingDocument,
    "\n  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {\n    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {\n      version\n    }\n  }\n": typeof types.RemoveRoleBindingDocument,
    "\n  query TenantOverview($tenantId: ID!) {\n    tenant(tenantId: $tenantId) {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      updatedAt\n      version\n    }\n  }\n": typeof types.TenantOverviewDocument,
    "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n      }\n    }\n  }\n": typeof types.ActivityDocument,
    "\n  query Policies($tenantId: ID!, $first: Int!, $after: String, $filter: PolicyFilter) {\n    policies(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        document\n        version\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.PoliciesDocument,
    "\n  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {\n    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {\n      id\n      version\n      logPosition\n    }\n  }\n": typeof types.CreatePolicyDocument,
    "\n  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {\n    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {\n      version\n      logPosition\n    }\n  }\n": typeof types.UpdatePolicyDocument,
    "\n  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {\n    deletePolicy(tenantId: $tenantId, policyId: $policyId) {\n      version\n    }\n  }\n": typeof types.DeletePolicyDocument,
    "\n  query EffectivePolicy($tenantId: ID!, $at: String!) {\n    effectivePolicyAt(tenantId: $tenantId, at: $at)\n  }\n": typeof types.EffectivePolicyDocument,
    "\n  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {\n    policyDiff(tenantId: $tenantId, from: $from, to: $to)\n  }\n": typeof types.PolicyDiffDocument,
    "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls, from: $from, limit: $limit) {\n      source\n      examined\n      changed\n      newlyDenied\n      newlyAllowed\n      changedCalls {\n        eventId\n        time\n        tool\n        principal\n        recordedOutcome\n        before\n        after\n        ruleBefore\n        ruleAfter\n        reasonBefore\n        reasonAfter\n      }\n      sampleResults\n    }\n  }\n": typeof types.SimulatePolicyDocument,
    "\n  query BudgetUsage($tenantId: ID!) {\n    budgetUsage(tenantId: $tenantId) {\n      tenantId\n      countedThroughSeq\n      asOf\n      budgets {\n        budgetId\n        id\n        keyId\n        policyName\n        scope\n        period\n        periodStart\n        periodEnd\n        maxCalls\n        maxCost\n        subjectCount\n        subjects {\n          subject\n          calls\n          cost\n          spent\n        }\n      }\n    }\n  }\n": typeof types.BudgetUsageDocument,
    "\n  fragment RolloutFields on RolloutNode {\n    tenantId\n    enforcedEverywhere\n    publishedAt\n    latest {\n      logPosition\n      contentHash\n    }\n    regions {\n      region\n      enforced\n      proxies {\n        proxyId\n        region\n        current\n        stale\n        reportedAt\n        appliedAt\n        version {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n": typeof types.RolloutFieldsFragmentDoc,
    "\n  query Rollout($tenantId: ID!) {\n    rollout(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n": typeof types.RolloutDocument,
    "\n  subscription RolloutChanged($tenantId: ID!) {\n    rolloutChanged(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n": typeof types.RolloutChangedDocument,
    "\n  query UpstreamServerStatus($tenantId: ID!, $upstreamServerId: ID!) {\n    upstreamServerStatus(tenantId: $tenantId, upstreamServerId: $upstreamServerId) {\n      upstreamServerId\n      toolsListedAt\n      tools {\n        name\n        title\n        description\n        readOnly\n        destructive\n        idempotent\n      }\n      endpoints {\n        endpointId\n        proxyId\n        region\n        health\n        lastError\n        reportedAt\n        listedAt\n        stale\n      }\n    }\n  }\n": typeof types.UpstreamServerStatusDocument,
    "\n  fragment UpstreamServerFields on UpstreamServerNode {\n    id\n    name\n    transport\n    regions\n    status\n    tags\n    config\n    version\n  }\n": typeof types.UpstreamServerFieldsFragmentDoc,
    "\n  query UpstreamServers($tenantId: ID!, $status: String) {\n    upstreamServers(tenantId: $tenantId, first: 100, filter: { status: $status }) {\n      nodes {\n        ...UpstreamServerFields\n      }\n    }\n  }\n": typeof types.UpstreamServersDocument,
    "\n  query UpstreamServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: UpstreamServerFilter) {\n    upstreamServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...UpstreamServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.UpstreamServerPageDocument,
    "\n  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {\n    registerUpstreamServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": typeof types.RegisterUpstreamServerDocument,
    "\n  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {\n    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {\n      version\n    }\n  }\n": typeof types.ReconfigureUpstreamServerDocument,
    "\n  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {\n    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {\n      version\n    }\n  }\n": typeof types.RemoveUpstreamServerDocument,
    "\n  query Tenants($first: Int!, $after: String, $filter: TenantFilter) {\n    tenants(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n        createdAt\n        version\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.TenantsDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      id\n      version\n    }\n  }\n": typeof types.CreateTenantDocument,
    "\n  mutation SuspendTenant($tenantId: ID!, $reason: String!) {\n    suspendTenant(tenantId: $tenantId, reason: $reason) {\n      version\n    }\n  }\n": typeof types.SuspendTenantDocument,
    "\n  mutation ReactivateTenant($tenantId: ID!) {\n    reactivateTenant(tenantId: $tenantId) {\n      version\n    }\n  }\n": typeof types.ReactivateTenantDocument,
    "\n  query CataloguePreviewSubjects($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId, first: 100, filter: { status: \"active\" }) {\n      nodes {\n        id\n        name\n        status\n        scopes\n      }\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    policies(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        document\n      }\n    }\n  }\n": typeof types.CataloguePreviewSubjectsDocument,
    "\n  fragment VirtualServerFields on VirtualServerNode {\n    id\n    name\n    prefixMode\n    anonymousAccess\n    serverIds\n    config\n    version\n  }\n": typeof types.VirtualServerFieldsFragmentDoc,
    "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId, first: 100) {\n      nodes {\n        ...VirtualServerFields\n      }\n    }\n  }\n": typeof types.VirtualServersDocument,
    "\n  query VirtualServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualServerFilter) {\n    virtualServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...VirtualServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.VirtualServerPageDocument,
    "\n  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {\n    createVirtualServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": typeof types.CreateVirtualServerDocument,
    "\n  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {\n    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {\n      version\n    }\n  }\n": typeof types.ReconfigureVirtualServerDocument,
    "\n  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {\n    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {\n      version\n    }\n  }\n": typeof types.DeleteVirtualServerDocument,
    "\n  query TenantList {\n    tenants(first: 100) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n      }\n    }\n  }\n": typeof types.TenantListDocument,
};
const documents: Documents = {
    "\n  query Session {\n    me {\n      kind\n      subject\n      groups\n      platformAdmin\n    }\n    myPermissions\n  }\n": types.SessionDocument,
    "\n  query TenantPermissions($tenantId: ID!) {\n    myPermissions(tenantId: $tenantId)\n  }\n": types.TenantPermissionsDocument,
    "\n  query ActivityHistory($tenantId: ID!, $first: Int!, $after: String, $filter: ActivityFilter) {\n    activity(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n        data\n        before\n        after\n      }\n    }\n  }\n": types.ActivityHistoryDocument,
    "\n  subscription ActivityAdded($tenantId: ID!) {\n    activityAdded(tenantId: $tenantId) {\n      eventId\n      type\n    }\n  }\n": types.ActivityAddedDocument,
    "\n  query AuditEvents($tenantId: ID!, $filter: AuditFilterInput, $first: Int!, $after: String) {\n    auditEvents(tenantId: $tenantId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...AuditRow\n        }\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  fragment AuditRow on AuditRecordNode {\n    eventId\n    seq\n    time\n    kind\n    method\n    tool\n    region\n    proxyId\n    latencyMs\n    principal\n    upstreamServerId\n    virtualServerId\n    decision {\n      outcome\n      reason\n      ruleId\n      policyVersion {\n        logPosition\n      }\n    }\n  }\n": types.AuditRowFragmentDoc,
    "\n  subscription AuditTail($tenantId: ID!, $filter: AuditFilterInput) {\n    auditTail(tenantId: $tenantId, filter: $filter) {\n      ...AuditRow\n    }\n  }\n": types.AuditTailDocument,
    "\n  query AuditEventDetail($tenantId: ID!, $eventId: ID!) {\n    auditEvent(tenantId: $tenantId, eventId: $eventId) {\n      eventId\n      seq\n      hash\n      prevHash\n      macKeyId\n      time\n      kind\n      method\n      tool\n      region\n      proxyId\n      latencyMs\n      traceId\n      argumentsHash\n      principal\n      upstreamServerId\n      virtualServerId\n      change\n      event\n      checkpoint {\n        seq\n        keyId\n        signedAt\n      }\n      decision {\n        outcome\n        reason\n        ruleId\n        message\n        policyVersion {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n": types.AuditEventDetailDocument,
    "\n  query AuditCharts($tenantId: ID!, $filter: AuditFilterInput, $interval: AuditBucketInterval!) {\n    auditCallsOverTime(tenantId: $tenantId, filter: $filter, interval: $interval) {\n      start\n      allowed\n      denied\n      failed\n      total\n    }\n    auditDenialsByReason(tenantId: $tenantId, filter: $filter, first: 10) {\n      reason\n      ruleId\n      count\n    }\n    auditTopTools(tenantId: $tenantId, filter: $filter, first: 10) {\n      tool\n      calls\n      denied\n      failed\n    }\n    auditLatency(tenantId: $tenantId, filter: $filter) {\n      count\n      p50\n      p95\n      p99\n      max\n    }\n  }\n": types.AuditChartsDocument,
    "\n  query AuditVerification($tenantId: ID!, $from: DateTime, $to: DateTime) {\n    auditVerification(tenantId: $tenantId, from: $from, to: $to) {\n      ok\n      records\n      checkpoints\n      fromSeq\n      toSeq\n      lastCheckpointSeq\n      unsignedTail\n      anchor\n      macChecked\n      retentions\n      problem {\n        kind\n        seq\n        detail\n        eventId\n      }\n    }\n  }\n": types.AuditVerificationDocument,
    "\n  fragment EvidencePackFields on EvidencePackNode {\n    id\n    framework\n    from\n    to\n    status\n    sha256\n    bytes\n    error\n    requestedBy\n    createdAt\n    finishedAt\n    downloadUrl\n    progress {\n      phase\n      done\n      total\n      percent\n    }\n  }\n": types.EvidencePackFieldsFragmentDoc,
    "\n  query EvidencePacks($tenantId: ID!, $first: Int!, $after: String) {\n    evidencePacks(tenantId: $tenantId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        ...EvidencePackFields\n      }\n    }\n  }\n": types.EvidencePacksDocument,
    "\n  query EvidencePack($tenantId: ID!, $id: ID!) {\n    evidencePack(tenantId: $tenantId, id: $id) {\n      ...EvidencePackFields\n    }\n  }\n": types.EvidencePackDocument,
    "\n  mutation GenerateEvidencePack($tenantId: ID!, $input: GenerateEvidencePackInput!) {\n    generateEvidencePack(tenantId: $tenantId, input: $input) {\n      ...EvidencePackFields\n    }\n  }\n": types.GenerateEvidencePackDocument,
    "\n  query IdentityProviders($tenantId: ID!, $first: Int!, $after: String, $filter: IdentityProviderFilter) {\n    identityProviders(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        issuer\n        jwksUri\n        audiences\n        groupsClaim\n        status\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.IdentityProvidersDocument,
    "\n  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {\n    registerIdentityProvider(tenantId: $tenantId, input: $input) {\n      version\n    }\n  }\n": types.RegisterIdentityProviderDocument,
    "\n  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {\n    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {\n      version\n    }\n  }\n": types.RemoveIdentityProviderDocument,
    "\n  query VirtualKeys($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualKeyFilter) {\n    virtualKeys(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        keyPrefix\n        status\n        scopes\n        expiresAt\n        revokedAt\n        virtualServerIds\n        version\n        usage {\n          calls\n          denied\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.VirtualKeysDocument,
    "\n  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {\n    issueVirtualKey(input: $input) {\n      keyId\n      secret\n      version\n    }\n  }\n": types.IssueVirtualKeyDocument,
    "\n  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {\n    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {\n      keyId\n      secret\n      version\n    }\n  }\n": types.RotateVirtualKeyDocument,
    "\n  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {\n    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {\n      version\n    }\n  }\n": types.RevokeVirtualKeyDocument,
    "\n  query Members($tenantId: ID!, $first: Int!, $after: String, $filter: RoleBindingFilter) {\n    roleBindings(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        role\n        status\n        subject\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        description\n        permissions\n        builtIn\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {\n    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {\n      id\n      version\n    }\n  }\n": types.CreateRoleBindingDocument,
    "\n  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {\n    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {\n      version\n    }\n  }\n": types.RemoveRoleBindingDocument,
    "\n  query TenantOverview($tenantId: ID!) {\n    tenant(tenantId: $tenantId) {\n      id\n      slug\n      displayName\n      status\n      regions\n      createdAt\n      updatedAt\n      version\n    }\n  }\n": types.TenantOverviewDocument,
    "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n      }\n    }\n  }\n": types.ActivityDocument,
    "\n  query Policies($tenantId: ID!, $first: Int!, $after: String, $filter: PolicyFilter) {\n    policies(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        document\n        version\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.PoliciesDocument,
    "\n  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {\n    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {\n      id\n      version\n      logPosition\n    }\n  }\n": types.CreatePolicyDocument,
    "\n  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {\n    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {\n      version\n      logPosition\n    }\n  }\n": types.UpdatePolicyDocument,
    "\n  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {\n    deletePolicy(tenantId: $tenantId, policyId: $policyId) {\n      version\n    }\n  }\n": types.DeletePolicyDocument,
    "\n  query EffectivePolicy($tenantId: ID!, $at: String!) {\n    effectivePolicyAt(tenantId: $tenantId, at: $at)\n  }\n": types.EffectivePolicyDocument,
    "\n  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {\n    policyDiff(tenantId: $tenantId, from: $from, to: $to)\n  }\n": types.PolicyDiffDocument,
    "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls, from: $from, limit: $limit) {\n      source\n      examined\n      changed\n      newlyDenied\n      newlyAllowed\n      changedCalls {\n        eventId\n        time\n        tool\n        principal\n        recordedOutcome\n        before\n        after\n        ruleBefore\n        ruleAfter\n        reasonBefore\n        reasonAfter\n      }\n      sampleResults\n    }\n  }\n": types.SimulatePolicyDocument,
    "\n  query BudgetUsage($tenantId: ID!) {\n    budgetUsage(tenantId: $tenantId) {\n      tenantId\n      countedThroughSeq\n      asOf\n      budgets {\n        budgetId\n        id\n        keyId\n        policyName\n        scope\n        period\n        periodStart\n        periodEnd\n        maxCalls\n        maxCost\n        subjectCount\n        subjects {\n          subject\n          calls\n          cost\n          spent\n        }\n      }\n    }\n  }\n": types.BudgetUsageDocument,
    "\n  fragment RolloutFields on RolloutNode {\n    tenantId\n    enforcedEverywhere\n    publishedAt\n    latest {\n      logPosition\n      contentHash\n    }\n    regions {\n      region\n      enforced\n      proxies {\n        proxyId\n        region\n        current\n        stale\n        reportedAt\n        appliedAt\n        version {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n": types.RolloutFieldsFragmentDoc,
    "\n  query Rollout($tenantId: ID!) {\n    rollout(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n": types.RolloutDocument,
    "\n  subscription RolloutChanged($tenantId: ID!) {\n    rolloutChanged(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n": types.RolloutChangedDocument,
    "\n  query UpstreamServerStatus($tenantId: ID!, $upstreamServerId: ID!) {\n    upstreamServerStatus(tenantId: $tenantId, upstreamServerId: $upstreamServerId) {\n      upstreamServerId\n      toolsListedAt\n      tools {\n        name\n        title\n        description\n        readOnly\n        destructive\n        idempotent\n      }\n      endpoints {\n        endpointId\n        proxyId\n        region\n        health\n        lastError\n        reportedAt\n        listedAt\n        stale\n      }\n    }\n  }\n": types.UpstreamServerStatusDocument,
    "\n  fragment UpstreamServerFields on UpstreamServerNode {\n    id\n    name\n    transport\n    regions\n    status\n    tags\n    config\n    version\n  }\n": types.UpstreamServerFieldsFragmentDoc,
    "\n  query UpstreamServers($tenantId: ID!, $status: String) {\n    upstreamServers(tenantId: $tenantId, first: 100, filter: { status: $status }) {\n      nodes {\n        ...UpstreamServerFields\n      }\n    }\n  }\n": types.UpstreamServersDocument,
    "\n  query UpstreamServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: UpstreamServerFilter) {\n    upstreamServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...UpstreamServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.UpstreamServerPageDocument,
    "\n  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {\n    registerUpstreamServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": types.RegisterUpstreamServerDocument,
    "\n  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {\n    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {\n      version\n    }\n  }\n": types.ReconfigureUpstreamServerDocument,
    "\n  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {\n    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {\n      version\n    }\n  }\n": types.RemoveUpstreamServerDocument,
    "\n  query Tenants($first: Int!, $after: String, $filter: TenantFilter) {\n    tenants(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n        createdAt\n        version\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.TenantsDocument,
    "\n  mutation CreateTenant($input: CreateTenantInput!) {\n    createTenant(input: $input) {\n      id\n      version\n    }\n  }\n": types.CreateTenantDocument,
    "\n  mutation SuspendTenant($tenantId: ID!, $reason: String!) {\n    suspendTenant(tenantId: $tenantId, reason: $reason) {\n      version\n    }\n  }\n": types.SuspendTenantDocument,
    "\n  mutation ReactivateTenant($tenantId: ID!) {\n    reactivateTenant(tenantId: $tenantId) {\n      version\n    }\n  }\n": types.ReactivateTenantDocument,
    "\n  query CataloguePreviewSubjects($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId, first: 100, filter: { status: \"active\" }) {\n      nodes {\n        id\n        name\n        status\n        scopes\n      }\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    policies(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        document\n      }\n    }\n  }\n": types.CataloguePreviewSubjectsDocument,
    "\n  fragment VirtualServerFields on VirtualServerNode {\n    id\n    name\n    prefixMode\n    anonymousAccess\n    serverIds\n    config\n    version\n  }\n": types.VirtualServerFieldsFragmentDoc,
    "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId, first: 100) {\n      nodes {\n        ...VirtualServerFields\n      }\n    }\n  }\n": types.VirtualServersDocument,
    "\n  query VirtualServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualServerFilter) {\n    virtualServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...VirtualServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.VirtualServerPageDocument,
    "\n  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {\n    createVirtualServer(tenantId: $tenantId, config: $config) {\n      id\n      version\n    }\n  }\n": types.CreateVirtualServerDocument,
    "\n  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {\n    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {\n      version\n    }\n  }\n": types.ReconfigureVirtualServerDocument,
    "\n  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {\n    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {\n      version\n    }\n  }\n": types.DeleteVirtualServerDocument,
    "\n  query TenantList {\n    tenants(first: 100) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n      }\n    }\n  }\n": types.TenantListDocument,
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
export function graphql(source: "\n  query ActivityHistory($tenantId: ID!, $first: Int!, $after: String, $filter: ActivityFilter) {\n    activity(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n        data\n        before\n        after\n      }\n    }\n  }\n"): typeof import('./graphql').ActivityHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ActivityAdded($tenantId: ID!) {\n    activityAdded(tenantId: $tenantId) {\n      eventId\n      type\n    }\n  }\n"): typeof import('./graphql').ActivityAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($tenantId: ID!, $filter: AuditFilterInput, $first: Int!, $after: String) {\n    auditEvents(tenantId: $tenantId, filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...AuditRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AuditEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditRow on AuditRecordNode {\n    eventId\n    seq\n    time\n    kind\n    method\n    tool\n    region\n    proxyId\n    latencyMs\n    principal\n    upstreamServerId\n    virtualServerId\n    decision {\n      outcome\n      reason\n      ruleId\n      policyVersion {\n        logPosition\n      }\n    }\n  }\n"): typeof import('./graphql').AuditRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditTail($tenantId: ID!, $filter: AuditFilterInput) {\n    auditTail(tenantId: $tenantId, filter: $filter) {\n      ...AuditRow\n    }\n  }\n"): typeof import('./graphql').AuditTailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEventDetail($tenantId: ID!, $eventId: ID!) {\n    auditEvent(tenantId: $tenantId, eventId: $eventId) {\n      eventId\n      seq\n      hash\n      prevHash\n      macKeyId\n      time\n      kind\n      method\n      tool\n      region\n      proxyId\n      latencyMs\n      traceId\n      argumentsHash\n      principal\n      upstreamServerId\n      virtualServerId\n      change\n      event\n      checkpoint {\n        seq\n        keyId\n        signedAt\n      }\n      decision {\n        outcome\n        reason\n        ruleId\n        message\n        policyVersion {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AuditEventDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditCharts($tenantId: ID!, $filter: AuditFilterInput, $interval: AuditBucketInterval!) {\n    auditCallsOverTime(tenantId: $tenantId, filter: $filter, interval: $interval) {\n      start\n      allowed\n      denied\n      failed\n      total\n    }\n    auditDenialsByReason(tenantId: $tenantId, filter: $filter, first: 10) {\n      reason\n      ruleId\n      count\n    }\n    auditTopTools(tenantId: $tenantId, filter: $filter, first: 10) {\n      tool\n      calls\n      denied\n      failed\n    }\n    auditLatency(tenantId: $tenantId, filter: $filter) {\n      count\n      p50\n      p95\n      p99\n      max\n    }\n  }\n"): typeof import('./graphql').AuditChartsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditVerification($tenantId: ID!, $from: DateTime, $to: DateTime) {\n    auditVerification(tenantId: $tenantId, from: $from, to: $to) {\n      ok\n      records\n      checkpoints\n      fromSeq\n      toSeq\n      lastCheckpointSeq\n      unsignedTail\n      anchor\n      macChecked\n      retentions\n      problem {\n        kind\n        seq\n        detail\n        eventId\n      }\n    }\n  }\n"): typeof import('./graphql').AuditVerificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EvidencePackFields on EvidencePackNode {\n    id\n    framework\n    from\n    to\n    status\n    sha256\n    bytes\n    error\n    requestedBy\n    createdAt\n    finishedAt\n    downloadUrl\n    progress {\n      phase\n      done\n      total\n      percent\n    }\n  }\n"): typeof import('./graphql').EvidencePackFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EvidencePacks($tenantId: ID!, $first: Int!, $after: String) {\n    evidencePacks(tenantId: $tenantId, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      nodes {\n        ...EvidencePackFields\n      }\n    }\n  }\n"): typeof import('./graphql').EvidencePacksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EvidencePack($tenantId: ID!, $id: ID!) {\n    evidencePack(tenantId: $tenantId, id: $id) {\n      ...EvidencePackFields\n    }\n  }\n"): typeof import('./graphql').EvidencePackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateEvidencePack($tenantId: ID!, $input: GenerateEvidencePackInput!) {\n    generateEvidencePack(tenantId: $tenantId, input: $input) {\n      ...EvidencePackFields\n    }\n  }\n"): typeof import('./graphql').GenerateEvidencePackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdentityProviders($tenantId: ID!, $first: Int!, $after: String, $filter: IdentityProviderFilter) {\n    identityProviders(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        issuer\n        jwksUri\n        audiences\n        groupsClaim\n        status\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').IdentityProvidersDocument;
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
export function graphql(source: "\n  query VirtualKeys($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualKeyFilter) {\n    virtualKeys(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        keyPrefix\n        status\n        scopes\n        expiresAt\n        revokedAt\n        virtualServerIds\n        version\n        usage {\n          calls\n          denied\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').VirtualKeysDocument;
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
export function graphql(source: "\n  query Members($tenantId: ID!, $first: Int!, $after: String, $filter: RoleBindingFilter) {\n    roleBindings(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        role\n        status\n        subject\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        description\n        permissions\n        builtIn\n      }\n    }\n  }\n"): typeof import('./graphql').MembersDocument;
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
export function graphql(source: "\n  query Activity($tenantId: ID!, $first: Int!) {\n    activity(tenantId: $tenantId, first: $first) {\n      nodes {\n        eventId\n        type\n        time\n        actor\n        streamId\n        streamVersion\n      }\n    }\n  }\n"): typeof import('./graphql').ActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Policies($tenantId: ID!, $first: Int!, $after: String, $filter: PolicyFilter) {\n    policies(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        document\n        version\n        updatedAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').PoliciesDocument;
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
export function graphql(source: "\n  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {\n    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls, from: $from, limit: $limit) {\n      source\n      examined\n      changed\n      newlyDenied\n      newlyAllowed\n      changedCalls {\n        eventId\n        time\n        tool\n        principal\n        recordedOutcome\n        before\n        after\n        ruleBefore\n        ruleAfter\n        reasonBefore\n        reasonAfter\n      }\n      sampleResults\n    }\n  }\n"): typeof import('./graphql').SimulatePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BudgetUsage($tenantId: ID!) {\n    budgetUsage(tenantId: $tenantId) {\n      tenantId\n      countedThroughSeq\n      asOf\n      budgets {\n        budgetId\n        id\n        keyId\n        policyName\n        scope\n        period\n        periodStart\n        periodEnd\n        maxCalls\n        maxCost\n        subjectCount\n        subjects {\n          subject\n          calls\n          cost\n          spent\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').BudgetUsageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RolloutFields on RolloutNode {\n    tenantId\n    enforcedEverywhere\n    publishedAt\n    latest {\n      logPosition\n      contentHash\n    }\n    regions {\n      region\n      enforced\n      proxies {\n        proxyId\n        region\n        current\n        stale\n        reportedAt\n        appliedAt\n        version {\n          logPosition\n          contentHash\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RolloutFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rollout($tenantId: ID!) {\n    rollout(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n"): typeof import('./graphql').RolloutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RolloutChanged($tenantId: ID!) {\n    rolloutChanged(tenantId: $tenantId) {\n      ...RolloutFields\n    }\n  }\n"): typeof import('./graphql').RolloutChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UpstreamServerStatus($tenantId: ID!, $upstreamServerId: ID!) {\n    upstreamServerStatus(tenantId: $tenantId, upstreamServerId: $upstreamServerId) {\n      upstreamServerId\n      toolsListedAt\n      tools {\n        name\n        title\n        description\n        readOnly\n        destructive\n        idempotent\n      }\n      endpoints {\n        endpointId\n        proxyId\n        region\n        health\n        lastError\n        reportedAt\n        listedAt\n        stale\n      }\n    }\n  }\n"): typeof import('./graphql').UpstreamServerStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UpstreamServerFields on UpstreamServerNode {\n    id\n    name\n    transport\n    regions\n    status\n    tags\n    config\n    version\n  }\n"): typeof import('./graphql').UpstreamServerFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UpstreamServers($tenantId: ID!, $status: String) {\n    upstreamServers(tenantId: $tenantId, first: 100, filter: { status: $status }) {\n      nodes {\n        ...UpstreamServerFields\n      }\n    }\n  }\n"): typeof import('./graphql').UpstreamServersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UpstreamServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: UpstreamServerFilter) {\n    upstreamServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...UpstreamServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').UpstreamServerPageDocument;
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
export function graphql(source: "\n  query Tenants($first: Int!, $after: String, $filter: TenantFilter) {\n    tenants(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n        createdAt\n        version\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').TenantsDocument;
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
export function graphql(source: "\n  query CataloguePreviewSubjects($tenantId: ID!) {\n    virtualKeys(tenantId: $tenantId, first: 100, filter: { status: \"active\" }) {\n      nodes {\n        id\n        name\n        status\n        scopes\n      }\n    }\n    roles(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    policies(tenantId: $tenantId, first: 100) {\n      nodes {\n        id\n        name\n        document\n      }\n    }\n  }\n"): typeof import('./graphql').CataloguePreviewSubjectsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VirtualServerFields on VirtualServerNode {\n    id\n    name\n    prefixMode\n    anonymousAccess\n    serverIds\n    config\n    version\n  }\n"): typeof import('./graphql').VirtualServerFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VirtualServers($tenantId: ID!) {\n    virtualServers(tenantId: $tenantId, first: 100) {\n      nodes {\n        ...VirtualServerFields\n      }\n    }\n  }\n"): typeof import('./graphql').VirtualServersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VirtualServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualServerFilter) {\n    virtualServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {\n      nodes {\n        ...VirtualServerFields\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): typeof import('./graphql').VirtualServerPageDocument;
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
export function graphql(source: "\n  query TenantList {\n    tenants(first: 100) {\n      nodes {\n        id\n        slug\n        displayName\n        status\n        regions\n      }\n    }\n  }\n"): typeof import('./graphql').TenantListDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
