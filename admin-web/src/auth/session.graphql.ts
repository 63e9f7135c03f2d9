import { graphql } from '../generated/gql';

export const SessionQuery = graphql(`
  query Session {
    me {
      kind
      subject
      groups
      platformAdmin
    }
    myPermissions
  }
`);

export const TenantPermissionsQuery = graphql(`
  query TenantPermissions($tenantId: ID!) {
    myPermissions(tenantId: $tenantId)
  }
`);
