import { graphql } from '../../generated/gql';

export const UpstreamServerStatusQuery = graphql(`
  query UpstreamServerStatus($tenantId: ID!, $upstreamServerId: ID!) {
    upstreamServerStatus(tenantId: $tenantId, upstreamServerId: $upstreamServerId) {
      upstreamServerId
      toolsListedAt
      tools {
        name
        title
        description
        readOnly
        destructive
        idempotent
      }
      endpoints {
        endpointId
        proxyId
        region
        health
        lastError
        reportedAt
        listedAt
        stale
      }
    }
  }
`);
