import { graphql } from '../../generated/gql';

/** What the console shows of one virtual server, in lists and on its edit page. */
export const VirtualServerFieldsFragment = graphql(`
  fragment VirtualServerFields on VirtualServerNode {
    id
    name
    prefixMode
    anonymousAccess
    serverIds
    config
    version
  }
`);

export const VirtualServersQuery = graphql(`
  query VirtualServers($tenantId: ID!) {
    virtualServers(tenantId: $tenantId, first: 100) {
      nodes {
        ...VirtualServerFields
      }
    }
  }
`);

export const VirtualServerPageQuery = graphql(`
  query VirtualServerPage($tenantId: ID!, $first: Int!, $after: String, $filter: VirtualServerFilter) {
    virtualServers(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      nodes {
        ...VirtualServerFields
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
  }
`);

export const CreateVirtualServerMutation = graphql(`
  mutation CreateVirtualServer($tenantId: ID!, $config: JSONObject!) {
    createVirtualServer(tenantId: $tenantId, config: $config) {
      id
      version
    }
  }
`);

export const ReconfigureVirtualServerMutation = graphql(`
  mutation ReconfigureVirtualServer($tenantId: ID!, $virtualServerId: ID!, $config: JSONObject!) {
    reconfigureVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId, config: $config) {
      version
    }
  }
`);

export const DeleteVirtualServerMutation = graphql(`
  mutation DeleteVirtualServer($tenantId: ID!, $virtualServerId: ID!) {
    deleteVirtualServer(tenantId: $tenantId, virtualServerId: $virtualServerId) {
      version
    }
  }
`);
