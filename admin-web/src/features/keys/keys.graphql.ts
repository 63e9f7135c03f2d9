import { graphql } from '../../generated/gql';

export const VirtualKeysQuery = graphql(`
  query VirtualKeys($tenantId: ID!) {
    virtualKeys(tenantId: $tenantId) {
      id
      name
      keyPrefix
      status
      scopes
      expiresAt
      revokedAt
      virtualServerIds
      version
    }
  }
`);

export const IssueVirtualKeyMutation = graphql(`
  mutation IssueVirtualKey($input: IssueVirtualKeyInput!) {
    issueVirtualKey(input: $input) {
      keyId
      secret
      version
    }
  }
`);

export const RotateVirtualKeyMutation = graphql(`
  mutation RotateVirtualKey($tenantId: ID!, $keyId: ID!, $graceSeconds: Int!) {
    rotateVirtualKey(tenantId: $tenantId, keyId: $keyId, graceSeconds: $graceSeconds) {
      keyId
      secret
      version
    }
  }
`);

export const RevokeVirtualKeyMutation = graphql(`
  mutation RevokeVirtualKey($tenantId: ID!, $keyId: ID!, $reason: String!) {
    revokeVirtualKey(tenantId: $tenantId, keyId: $keyId, reason: $reason) {
      version
    }
  }
`);
