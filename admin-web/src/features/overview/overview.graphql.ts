import { graphql } from '../../generated/gql';

export const TenantOverviewQuery = graphql(`
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
`);

export const ActivityQuery = graphql(`
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
`);
