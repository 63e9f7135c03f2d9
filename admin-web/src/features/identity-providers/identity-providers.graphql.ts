import { graphql } from '../../generated/gql';

export const IdentityProvidersQuery = graphql(`
  query IdentityProviders($tenantId: ID!) {
    identityProviders(tenantId: $tenantId, first: 100) {
      id
      issuer
      jwksUri
      audiences
      groupsClaim
      status
      updatedAt
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
