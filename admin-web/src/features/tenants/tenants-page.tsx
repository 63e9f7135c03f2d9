import { Anchor, Button, Group, Modal, SegmentedControl, Table, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useSession } from '../../auth/session-context';
import { PageHeader } from '../../components/page-header';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { StatusBadge } from '../../components/status-badge';
import { tenantPath } from '../../layout/navigation';
import { CreateTenantForm } from './create-tenant-form';
import { ReactivateTenantMutation, SuspendTenantMutation, TenantsQuery } from './tenants.graphql';

/** Every tenant the user may read; platform admins create, suspend and reactivate them here. */
export const TenantsPage = () => {
  const session = useSession();
  const canManage = session.platformPermissions.has('platform:tenants:manage');
  const navigate = useNavigate();
  const pager = usePager();
  const [search, setSearch] = useListFilter('q');
  const [status, setStatus] = useListFilter('status', 'all');
  const [creating, { open, close }] = useDisclosure();
  const tenants = useApiQuery(TenantsQuery, { first: PAGE_SIZE, after: pager.after, filter: { nameContains: search || null, status: status === 'all' ? null : status } });
  const suspend = useApiMutation(SuspendTenantMutation);
  const reactivate = useApiMutation(ReactivateTenantMutation);

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Isolated organisations, each with its own servers, keys, policies and audit trail."
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
              New tenant
            </Button>
          )
        }
      />
      <Group mb="md">
        <TextInput aria-label="Search tenants" placeholder="Search by name or slug" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={300} />
        <SegmentedControl aria-label="Status" value={status} onChange={setStatus} data={['all', 'active', 'suspended', 'deleted']} />
      </Group>
      {(suspend.error ?? reactivate.error) && <ErrorNotice error={suspend.error ?? reactivate.error} title="The tenant did not change" />}
      {tenants.error?.code === 'FORBIDDEN' ? (
        <EmptyState title="No tenants for you yet">You have no role in any tenant yet: ask a tenant admin to grant you one, then sign in again.</EmptyState>
      ) : (
      <QueryState
        query={tenants}
        label="tenants"
        isEmpty={(d) => d.tenants.totalCount === 0 && !search && status === 'all' && pager.depth === 0}
        empty={
          <EmptyState title="No tenants yet" action={canManage && <Button onClick={open}>Create the first tenant</Button>}>
            {canManage ? 'Create a tenant to register MCP servers and issue keys for it.' : 'You have no role in any tenant yet: ask a tenant admin to add you.'}
          </EmptyState>
        }
      >
        {(data) => {
          const rows = data.tenants.nodes;
          if (rows.length === 0) return <EmptyState title="No tenant matches">Change the search or the status filter.</EmptyState>;
          return (
            <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Tenant</Table.Th>
                    <Table.Th>Slug</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Regions</Table.Th>
                    <Table.Th>Created</Table.Th>
                    {canManage && <Table.Th>Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor component={Link} to={tenantPath(t.id)}>
                          {t.displayName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{t.slug}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={t.status} />
                      </Table.Td>
                      <Table.Td>{t.regions.join(', ')}</Table.Td>
                      <Table.Td>{new Date(t.createdAt).toLocaleString()}</Table.Td>
                      {canManage && (
                        <Table.Td>
                          {t.status === 'active' && (
                            <Button size="xs" variant="default" onClick={() => suspend.mutate({ tenantId: t.id, reason: 'suspended from the console' })} aria-label={`Suspend ${t.slug}`}>
                              Suspend
                            </Button>
                          )}
                          {t.status === 'suspended' && (
                            <Button size="xs" variant="default" onClick={() => reactivate.mutate({ tenantId: t.id })} aria-label={`Reactivate ${t.slug}`}>
                              Reactivate
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager pager={pager} pageInfo={data.tenants.pageInfo} totalCount={data.tenants.totalCount} shown={rows.length} label="tenants" />
            </>
          );
        }}
      </QueryState>
      )}
      <Modal opened={creating} onClose={close} title="New tenant">
        <CreateTenantForm
          onCreated={(id) => {
            close();
            void navigate(tenantPath(id));
          }}
        />
      </Modal>
    </>
  );
};
