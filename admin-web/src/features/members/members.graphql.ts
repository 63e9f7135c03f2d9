import { graphql } from '../../generated/gql';

export const MembersQuery = graphql(`
  query Members($tenantId: ID!) {
    roleBindings(tenantId: $tenantId) {
      id
      role
      status
      subject
    }
    roles(tenantId: $tenantId) {
      id
      name
      description
      permissions
      builtIn
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
