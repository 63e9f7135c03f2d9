import { graphql } from '../../generated/gql';

export const RolloutFieldsFragment = graphql(`
  fragment RolloutFields on RolloutNode {
    tenantId
    enforcedEverywhere
    publishedAt
    latest {
      logPosition
      contentHash
    }
    regions {
      region
      enforced
      proxies {
        proxyId
        region
        current
        stale
        reportedAt
        appliedAt
        version {
          logPosition
          contentHash
        }
      }
    }
  }
`);

export const RolloutQuery = graphql(`
  query Rollout($tenantId: ID!) {
    rollout(tenantId: $tenantId) {
      ...RolloutFields
    }
  }
`);

export const RolloutChangedSubscription = graphql(`
  subscription RolloutChanged($tenantId: ID!) {
    rolloutChanged(tenantId: $tenantId) {
      ...RolloutFields
    }
  }
`);
