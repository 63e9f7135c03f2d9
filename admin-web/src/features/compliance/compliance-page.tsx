import { Stack } from '@mantine/core';
import { useParams } from 'react-router';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { EmptyState } from '../../components/query-state';
import { EvidencePacksPanel } from './evidence-packs-panel';
import { VerificationPanel } from './verification-panel';

/** Compliance: prove the audit trail intact, and produce evidence packs for auditors. */
export const CompliancePage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  return (
    <>
      <PageHeader title="Compliance" description="Prove the audit trail is intact and hand auditors a signed evidence pack for a period." />
      <Stack>
        {can('audit:verify') ? <VerificationPanel tenantId={tenantId} /> : <EmptyState title="Verification needs the audit:verify permission">Ask a tenant admin for the compliance-auditor role.</EmptyState>}
        {can('evidence:generate') ? <EvidencePacksPanel tenantId={tenantId} /> : <EmptyState title="Evidence packs need the evidence:generate permission">Ask a tenant admin for the compliance-auditor role.</EmptyState>}
      </Stack>
    </>
  );
};
