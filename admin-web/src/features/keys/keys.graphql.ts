import { graphql } from '../../generated/gql';

export const VirtualKeysQuery = graphql(`
  query VirtualKeys($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualKeyFilter) {
    virtualKeys(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      nodes {
        id
        name
        keyPrefix
        status
        scopes
        expiresAt
        revokedAt
        virtualServerIds
        version
        usage {
          calls
          denied
          lastUsedAt
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
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
