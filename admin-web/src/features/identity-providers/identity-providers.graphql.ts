import { graphql } from '../../generated/gql';

export const IdentityProvidersQuery = graphql(`
  query IdentityProviders($tenantId: ID!, $first: Int!, $after: String, $filter: IdentityProviderFilter) {
    identityProviders(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      nodes {
        id
        issuer
        jwksUri
        audiences
        groupsClaim
        status
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

export const RegisterIdentityProviderMutation = graphql(`
  mutation RegisterIdentityProvider($tenantId: ID!, $input: RegisterIdentityProviderInput!) {
    registerIdentityProvider(tenantId: $tenantId, input: $input) {
      version
    }
  }
`);

export const RemoveIdentityProviderMutation = graphql(`
  mutation RemoveIdentityProvider($tenantId: ID!, $identityProviderId: ID!) {
    removeIdentityProvider(tenantId: $tenantId, identityProviderId: $identityProviderId) {
      version
    }
  }
`);
