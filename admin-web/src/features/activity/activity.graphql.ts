import { graphql } from '../../generated/gql';

export const ActivityHistoryQuery = graphql(`
  query ActivityHistory($tenantId: ID!, $first: Int!, $after: String, $filter: ActivityFilter) {
    activity(tenantId: $tenantId, first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        eventId
        type
        time
        actor
        streamId
        streamVersion
        data
        before
        after
      }
    }
  }
`);

export const ActivityAddedSubscription = graphql(`
  subscription ActivityAdded($tenantId: ID!) {
    activityAdded(tenantId: $tenantId) {
      eventId
      type
    }
  }
`);
