import { graphql } from '../../generated/gql';

export const TenantsQuery = graphql(`
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
`);

export const CreateTenantMutation = graphql(`
  mutation CreateTenant($input: CreateTenantInput!) {
    createTenant(input: $input) {
      id
      version
    }
  }
`);

export const SuspendTenantMutation = graphql(`
  mutation SuspendTenant($tenantId: ID!, $reason: String!) {
    suspendTenant(tenantId: $tenantId, reason: $reason) {
      version
    }
  }
`);

export const ReactivateTenantMutation = graphql(`
  mutation ReactivateTenant($tenantId: ID!) {
    reactivateTenant(tenantId: $tenantId) {
      version
    }
  }
`);
