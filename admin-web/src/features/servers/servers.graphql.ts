import { graphql } from '../../generated/gql';

export const UpstreamServersQuery = graphql(`
  query UpstreamServers($tenantId: ID!, $includeRemoved: Boolean!) {
    upstreamServers(tenantId: $tenantId, includeRemoved: $includeRemoved, first: 100) {
      id
      name
      transport
      regions
      status
      tags
      config
      version
    }
  }
`);

export const RegisterUpstreamServerMutation = graphql(`
  mutation RegisterUpstreamServer($tenantId: ID!, $config: JSONObject!) {
    registerUpstreamServer(tenantId: $tenantId, config: $config) {
      id
      version
    }
  }
`);

export const ReconfigureUpstreamServerMutation = graphql(`
  mutation ReconfigureUpstreamServer($tenantId: ID!, $serverId: ID!, $config: JSONObject!) {
    reconfigureUpstreamServer(tenantId: $tenantId, serverId: $serverId, config: $config) {
      version
    }
  }
`);

export const RemoveUpstreamServerMutation = graphql(`
  mutation RemoveUpstreamServer($tenantId: ID!, $serverId: ID!) {
    removeUpstreamServer(tenantId: $tenantId, serverId: $serverId) {
      version
    }
  }
`);
