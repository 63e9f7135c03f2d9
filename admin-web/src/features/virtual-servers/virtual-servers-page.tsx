import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { ConfirmModal } from '../../components/confirm-modal';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { tenantPath } from '../../layout/navigation';
import { UpstreamServersQuery } from '../servers/servers.graphql';
import { DeleteVirtualServerMutation, VirtualServerPageQuery } from './virtual-servers.graphql';

/** Virtual MCP servers: one endpoint each, bundling chosen tools of several upstreams. */
export const VirtualServersPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [search, setSearch] = useListFilter('q');
  const virtualServers = useApiQuery(VirtualServerPageQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter: { nameContains: search || null } });
  const upstreams = useApiQuery(UpstreamServersQuery, { tenantId }, { enabled: can('server:read') });
  const remove = useApiMutation(DeleteVirtualServerMutation);
  const [removing, setRemoving] = useState<{ id: string; name: string }>();
  const canManage = can('virtual-server:manage');
  const upstreamName = (id: string) => upstreams.data?.upstreamServers.nodes.find((s) => s.id === id)?.name ?? id;

  return (
    <>
      <PageHeader
        title="Virtual servers"
        description="What agents connect to: chosen tools of several upstream servers behind one MCP endpoint."
        actions={
          canManage && (
            <Button component={Link} to={tenantPath(tenantId, 'virtual-servers/new')} leftSection={<IconPlus size={16} aria-hidden />}>
              New virtual server
            </Button>
          )
        }
      />
      <TextInput mb="md" aria-label="Search virtual servers" placeholder="Search by name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
      {remove.error && <ErrorNotice error={remove.error} title="The virtual server was not deleted" />}
      <QueryState
        query={virtualServers}
        label="virtual servers"
        isEmpty={(d) => d.virtualServers.totalCount === 0 && !search && pager.depth === 0}
        empty={
          <EmptyState title="No virtual servers" action={canManage && <Button component={Link} to={tenantPath(tenantId, 'virtual-servers/new')}>Build a virtual server</Button>}>
            A virtual server picks tools from your upstream servers; virtual keys then grant access to it.
          </EmptyState>
        }
      >
        {(data) => {
          const rows = data.virtualServers.nodes;
          if (rows.length === 0) return <EmptyState title="No virtual server matches">Change the search.</EmptyState>;
          return (
            <>
            <Table.ScrollContainer minWidth={700}>
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Tools</Table.Th>
                    <Table.Th>Prefix mode</Table.Th>
                    <Table.Th>Access</Table.Th>
                    {canManage && <Table.Th>Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((v) => {
                    const picks = (v.config['upstreams'] as { serverId: string; tools: string[] }[] | undefined) ?? [];
                    return (
                      <Table.Tr key={v.id}>
                        <Table.Td>
                          {canManage ? (
                            <Anchor component={Link} to={tenantPath(tenantId, `virtual-servers/${v.id}`)}>
                              {v.name}
                            </Anchor>
                          ) : (
                            v.name
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={2}>
                            {picks.map((p) => (
                              <Text key={p.serverId} size="sm">
                                {upstreamName(p.serverId)}: <Text span ff="monospace" size="sm">{p.tools.join(', ')}</Text>
                              </Text>
                            ))}
                          </Stack>
                        </Table.Td>
                        <Table.Td>{v.prefixMode}</Table.Td>
                        <Table.Td>{v.anonymousAccess ? <Badge color="red" variant="light">anonymous (insecure)</Badge> : <Badge variant="light">key or token</Badge>}</Table.Td>
                        {canManage && (
                          <Table.Td>
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" variant="default" component={Link} to={tenantPath(tenantId, `virtual-servers/${v.id}`)} aria-label={`Edit ${v.name}`}>
                                Edit
                              </Button>
                              <Button size="xs" variant="default" color="red" onClick={() => setRemoving({ id: v.id, name: v.name })} aria-label={`Delete ${v.name}`}>
                                Delete
                              </Button>
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager pager={pager} pageInfo={data.virtualServers.pageInfo} totalCount={data.virtualServers.totalCount} shown={rows.length} label="virtual servers" />
            </>
          );
        }}
      </QueryState>
      <ConfirmModal
        target={removing}
        title={(t) => `Delete ${t?.name ?? ''}?`}
        confirmLabel="Delete virtual server"
        loading={remove.isPending}
        onCancel={() => setRemoving(undefined)}
        onConfirm={(t) => remove.mutate({ tenantId, virtualServerId: t.id }, { onSettled: () => setRemoving(undefined) })}
      >
        <Text mb="md">Agents using it lose access from the proxies' next snapshot on; keys scoped to it stop working for it.</Text>
      </ConfirmModal>
    </>
  );
};
