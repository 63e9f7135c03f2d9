import { graphql } from '../../generated/gql';

/** Who a preview can be for: the tenant's active keys and its roles, and the policies that decide. */
export const CataloguePreviewSubjectsQuery = graphql(`
  query CataloguePreviewSubjects($tenantId: ID!) {
    virtualKeys(tenantId: $tenantId, first: 100, filter: { status: "active" }) {
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
`);
