import { graphql } from '../../generated/gql';

export const PoliciesQuery = graphql(`
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
`);

export const CreatePolicyMutation = graphql(`
  mutation CreatePolicy($tenantId: ID!, $name: String!, $description: String!, $document: JSONObject!) {
    createPolicy(tenantId: $tenantId, name: $name, description: $description, document: $document) {
      id
      version
      logPosition
    }
  }
`);

export const UpdatePolicyMutation = graphql(`
  mutation UpdatePolicy($tenantId: ID!, $policyId: ID!, $document: JSONObject!, $changeNote: String!) {
    updatePolicy(tenantId: $tenantId, policyId: $policyId, document: $document, changeNote: $changeNote) {
      version
      logPosition
    }
  }
`);

export const DeletePolicyMutation = graphql(`
  mutation DeletePolicy($tenantId: ID!, $policyId: ID!) {
    deletePolicy(tenantId: $tenantId, policyId: $policyId) {
      version
    }
  }
`);

export const EffectivePolicyQuery = graphql(`
  query EffectivePolicy($tenantId: ID!, $at: String!) {
    effectivePolicyAt(tenantId: $tenantId, at: $at)
  }
`);

export const PolicyDiffQuery = graphql(`
  query PolicyDiff($tenantId: ID!, $from: String!, $to: String!) {
    policyDiff(tenantId: $tenantId, from: $from, to: $to)
  }
`);

export const SimulatePolicyQuery = graphql(`
  query SimulatePolicy($tenantId: ID!, $policyId: ID, $candidate: JSONObject!, $calls: [JSONObject!], $from: DateTime, $limit: Int!) {
    simulatePolicyChange(tenantId: $tenantId, policyId: $policyId, candidate: $candidate, calls: $calls, from: $from, limit: $limit) {
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
`);

export const BudgetUsageQuery = graphql(`
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
`);
