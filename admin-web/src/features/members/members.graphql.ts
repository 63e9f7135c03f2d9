import { graphql } from '../../generated/gql';

export const MembersQuery = graphql(`
  query Members($tenantId: ID!, $first: Int!, $after: String, $filter: RoleBindingFilter) {
    roleBindings(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      nodes {
        id
        role
        status
        subject
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
    roles(tenantId: $tenantId, first: 100) {
      nodes {
        id
        name
        description
        permissions
        builtIn
      }
    }
  }
`);

export const CreateRoleBindingMutation = graphql(`
  mutation CreateRoleBinding($tenantId: ID!, $subject: JSONObject!, $role: String!) {
    createRoleBinding(tenantId: $tenantId, subject: $subject, role: $role) {
      id
      version
    }
  }
`);

export const RemoveRoleBindingMutation = graphql(`
  mutation RemoveRoleBinding($tenantId: ID!, $bindingId: ID!) {
    removeRoleBinding(tenantId: $tenantId, bindingId: $bindingId) {
      version
    }
  }
`);
