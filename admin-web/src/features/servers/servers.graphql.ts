import { graphql } from '../../generated/gql';

/** What the console shows of one upstream server, in lists and on its edit page. */
export const UpstreamServerFieldsFragment = graphql(`
  fragment UpstreamServerFields on UpstreamServerNode {
    id
    name
    transport
    regions
    status
    tags
    config
    version
  }
`);

export const UpstreamServersQuery = graphql(`
  query UpstreamServers($tenantId: ID!, $status: String) {
    upstreamServers(tenantId: $tenantId, first: 100, filter: { status: $status }) {
      nodes {
        ...UpstreamServerFields
      }
    }
  }
`);

export const UpstreamServerPageQuery = graphql(`
  query UpstreamServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: UpstreamServerFilter) {
    upstreamServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      nodes {
        ...UpstreamServerFields
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
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
