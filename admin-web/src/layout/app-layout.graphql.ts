import { graphql } from '../generated/gql';

export const TenantListQuery = graphql(`
  query TenantList {
    tenants {
      id
      slug
      displayName
      status
      regions
    }
  }
`);
