import { Anchor, Button, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { ConfirmModal } from '../../components/confirm-modal';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { StatusBadge } from '../../components/status-badge';
import { tenantPath } from '../../layout/navigation';
import { describeEndpoints } from './server-form-model';
import { RemoveUpstreamServerMutation, UpstreamServerPageQuery } from './servers.graphql';

/** The tenant's upstream MCP servers: transport and endpoints; register, edit and remove. */
export const ServersPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [search, setSearch] = useListFilter('q');
  const [tag, setTag] = useListFilter('tag');
  const [transport, setTransport] = useListFilter('transport', 'all');
  const [showRemoved, setShowRemoved] = useListFilter('removed');
  const filter = { nameContains: search || null, tag: tag || null, transport: transport === 'all' ? null : transport, status: showRemoved === '1' ? 'removed' : null };
  const filtered = Boolean(search || tag || transport !== 'all' || showRemoved);
  const servers = useApiQuery(UpstreamServerPageQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter });
  const remove = useApiMutation(RemoveUpstreamServerMutation);
  const [removing, setRemoving] = useState<{ id: string; name: string }>();
  const canManage = can('server:manage');

  return (
    <>
      <PageHeader
        title="Upstream servers"
        description="The MCP servers behind the gateway, and how the proxies reach them."
        actions={
          canManage && (
            <Button component={Link} to={tenantPath(tenantId, 'servers/new')} leftSection={<IconPlus size={16} aria-hidden />}>
              Register server
            </Button>
          )
        }
      />
      <Group mb="md">
        <TextInput aria-label="Search servers" placeholder="Search by name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
        <TextInput aria-label="Tag" placeholder="Tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)} w={140} />
        <Select aria-label="Transport" value={transport} onChange={(v) => setTransport(v ?? 'all')} data={[{ value: 'all', label: 'All transports' }, 'streamable-http', 'sse', 'stdio']} w={200} allowDeselect={false} />
        <Switch label="Removed only" checked={showRemoved === '1'} onChange={(e) => setShowRemoved(e.currentTarget.checked ? '1' : '')} />
      </Group>
      {remove.error && <ErrorNotice error={remove.error} title="The server was not removed" />}
      <QueryState
        query={servers}
        label="upstream servers"
        isEmpty={(d) => d.upstreamServers.totalCount === 0 && !filtered && pager.depth === 0}
        empty={
          <EmptyState title="No upstream servers" action={canManage && <Button component={Link} to={tenantPath(tenantId, 'servers/new')}>Register the first server</Button>}>
            Register an MCP server (Streamable HTTP, SSE or a stdio command) so virtual servers can expose its tools.
          </EmptyState>
        }
      >
        {(data) => {
          const rows = data.upstreamServers.nodes;
          if (rows.length === 0) return <EmptyState title="No server matches">Change the search, tag or transport filter.</EmptyState>;
          return (
            <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Transport</Table.Th>
                    <Table.Th>Endpoints</Table.Th>
                    <Table.Th>Regions</Table.Th>
                    <Table.Th>Status</Table.Th>
                    {canManage && <Table.Th>Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        {canManage && s.status === 'active' ? (
                          <Anchor component={Link} to={tenantPath(tenantId, `servers/${s.id}`)}>
                            {s.name}
                          </Anchor>
                        ) : (
                          s.name
                        )}
                        {s.tags.length > 0 && (
                          <Text size="xs" c="dimmed">
                            {s.tags.join(', ')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{s.transport}</Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          {describeEndpoints(s.config).map((line) => (
                            <Text key={line} size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                              {line}
                            </Text>
                          ))}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{s.regions.join(', ')}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={s.status} />
                      </Table.Td>
                      {canManage && (
                        <Table.Td>
                          {s.status === 'active' && (
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" variant="default" component={Link} to={tenantPath(tenantId, `servers/${s.id}`)} aria-label={`Edit ${s.name}`}>
                                Edit
                              </Button>
                              <Button size="xs" variant="default" color="red" onClick={() => setRemoving({ id: s.id, name: s.name })} aria-label={`Remove ${s.name}`}>
                                Remove
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager pager={pager} pageInfo={data.upstreamServers.pageInfo} totalCount={data.upstreamServers.totalCount} shown={rows.length} label="upstream servers" />
            </>
          );
        }}
      </QueryState>
      <ConfirmModal
        target={removing}
        title={(t) => `Remove ${t?.name ?? ''}?`}
        confirmLabel="Remove server"
        loading={remove.isPending}
        onCancel={() => setRemoving(undefined)}
        onConfirm={(t) => remove.mutate({ tenantId, serverId: t.id }, { onSettled: () => setRemoving(undefined) })}
      >
        <Text mb="md">Virtual servers stop exposing its tools from the proxies' next snapshot on. Its history stays in the audit trail.</Text>
      </ConfirmModal>
    </>
  );
};
