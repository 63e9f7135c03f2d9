import { graphql } from '../generated/gql';

export const TenantListQuery = graphql(`
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
`);
