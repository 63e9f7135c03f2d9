import { Anchor, Button, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, QueryState } from '../../components/query-state';
import { tenantPath } from '../../layout/navigation';
import { PoliciesQuery } from './policies.graphql';

/** The tenant's policies; each opens in the editor with its history, effective view and simulation. */
export const PoliciesPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [search, setSearch] = useListFilter('q');
  const policies = useApiQuery(PoliciesQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter: { nameContains: search || null } });
  return (
    <>
      <PageHeader
        title="Policies"
        description="Tool rules, rate limits, budgets, tool costs and audit settings; all active policies combine, deny first."
        actions={
          <>
            <Button variant="default" component={Link} to={tenantPath(tenantId, 'policies/effective')}>
              Effective policy
            </Button>
            <Button variant="default" component={Link} to={tenantPath(tenantId, 'policies/budgets')}>
              Budgets
            </Button>
            {can('policy:manage') && (
              <Button component={Link} to={tenantPath(tenantId, 'policies/new')} leftSection={<IconPlus size={16} aria-hidden />}>
                New policy
              </Button>
            )}
          </>
        }
      />
      <TextInput mb="md" aria-label="Search policies" placeholder="Search by name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
      <QueryState
        query={policies}
        label="policies"
        isEmpty={(d) => d.policies.totalCount === 0 && !search && pager.depth === 0}
        empty={
          <EmptyState title="No policies" action={can('policy:manage') && <Button component={Link} to={tenantPath(tenantId, 'policies/new')}>Write the first policy</Button>}>
            Without policies every tool a key opens is allowed. Add rules to deny or limit tools per role, group or user.
          </EmptyState>
        }
      >
        {(data) => data.policies.nodes.length === 0 ? (
          <EmptyState title="No policy matches">Change the search.</EmptyState>
        ) : (
          <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Rules</Table.Th>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>Last change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.policies.nodes.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={tenantPath(tenantId, `policies/${p.id}`)}>
                        {p.name}
                      </Anchor>
                      {p.description && (
                        <Text size="xs" c="dimmed">
                          {p.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {((p.document['toolRules'] as unknown[] | undefined) ?? []).length} tool rules, {((p.document['rateLimits'] as unknown[] | undefined) ?? []).length} rate limits, {((p.document['budgets'] as unknown[] | undefined) ?? []).length} budgets, {((p.document['toolCosts'] as unknown[] | undefined) ?? []).length} tool costs
                    </Table.Td>
                    <Table.Td>v{p.version}</Table.Td>
                    <Table.Td>{new Date(p.updatedAt).toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager pager={pager} pageInfo={data.policies.pageInfo} totalCount={data.policies.totalCount} shown={data.policies.nodes.length} label="policies" />
          </>
        )}
      </QueryState>
    </>
  );
};
