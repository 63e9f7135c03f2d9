import { graphql } from '../../generated/gql';

export const AuditEventsQuery = graphql(`
  query AuditEvents($tenantId: ID!, $filter: AuditFilterInput, $first: Int!, $after: String) {
    auditEvents(tenantId: $tenantId, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          ...AuditRow
        }
      }
    }
  }
`);

export const AuditRowFragment = graphql(`
  fragment AuditRow on AuditRecordNode {
    eventId
    seq
    time
    kind
    method
    tool
    region
    proxyId
    latencyMs
    principal
    upstreamServerId
    virtualServerId
    decision {
      outcome
      reason
      ruleId
      policyVersion {
        logPosition
      }
    }
  }
`);

export const AuditTailSubscription = graphql(`
  subscription AuditTail($tenantId: ID!, $filter: AuditFilterInput) {
    auditTail(tenantId: $tenantId, filter: $filter) {
      ...AuditRow
    }
  }
`);

export const AuditEventDetailQuery = graphql(`
  query AuditEventDetail($tenantId: ID!, $eventId: ID!) {
    auditEvent(tenantId: $tenantId, eventId: $eventId) {
      eventId
      seq
      hash
      prevHash
      macKeyId
      time
      kind
      method
      tool
      region
      proxyId
      latencyMs
      traceId
      argumentsHash
      principal
      upstreamServerId
      virtualServerId
      change
      event
      checkpoint {
        seq
        keyId
        signedAt
      }
      decision {
        outcome
        reason
        ruleId
        message
        policyVersion {
          logPosition
          contentHash
        }
      }
    }
  }
`);

export const AuditChartsQuery = graphql(`
  query AuditCharts($tenantId: ID!, $filter: AuditFilterInput, $interval: AuditBucketInterval!) {
    auditCallsOverTime(tenantId: $tenantId, filter: $filter, interval: $interval) {
      start
      allowed
      denied
      failed
      total
    }
    auditDenialsByReason(tenantId: $tenantId, filter: $filter, first: 10) {
      reason
      ruleId
      count
    }
    auditTopTools(tenantId: $tenantId, filter: $filter, first: 10) {
      tool
      calls
      denied
      failed
    }
    auditLatency(tenantId: $tenantId, filter: $filter) {
      count
      p50
      p95
      p99
      max
    }
  }
`);
