import { graphql } from '../../generated/gql';

export const AuditVerificationQuery = graphql(`
  query AuditVerification($tenantId: ID!, $from: DateTime, $to: DateTime) {
    auditVerification(tenantId: $tenantId, from: $from, to: $to) {
      ok
      records
      checkpoints
      fromSeq
      toSeq
      lastCheckpointSeq
      unsignedTail
      anchor
      macChecked
      retentions
      problem {
        kind
        seq
        detail
        eventId
      }
    }
  }
`);

export const EvidencePackFieldsFragment = graphql(`
  fragment EvidencePackFields on EvidencePackNode {
    id
    framework
    from
    to
    status
    sha256
    bytes
    error
    requestedBy
    createdAt
    finishedAt
    downloadUrl
    progress {
      phase
      done
      total
      percent
    }
  }
`);

export const EvidencePacksQuery = graphql(`
  query EvidencePacks($tenantId: ID!, $first: Int!, $after: String) {
    evidencePacks(tenantId: $tenantId, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...EvidencePackFields
      }
    }
  }
`);

export const EvidencePackQuery = graphql(`
  query EvidencePack($tenantId: ID!, $id: ID!) {
    evidencePack(tenantId: $tenantId, id: $id) {
      ...EvidencePackFields
    }
  }
`);

export const GenerateEvidencePackMutation = graphql(`
  mutation GenerateEvidencePack($tenantId: ID!, $input: GenerateEvidencePackInput!) {
    generateEvidencePack(tenantId: $tenantId, input: $input) {
      ...EvidencePackFields
    }
  }
`);
