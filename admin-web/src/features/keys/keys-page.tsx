import { Badge, Button, Group, Modal, NumberInput, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { ConfirmModal } from '../../components/confirm-modal';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { StatusBadge } from '../../components/status-badge';
import { TenantOverviewQuery } from '../overview/overview.graphql';
import { VirtualServersQuery } from '../virtual-servers/virtual-servers.graphql';
import { IssueKeyForm, type IssuedKey } from './issue-key-form';
import { IssuedSecret } from './issued-secret';
import { RevokeVirtualKeyMutation, RotateVirtualKeyMutation, VirtualKeysQuery } from './keys.graphql';

type KeyRow = { id: string; name: string; virtualServerIds: string[] };

/** Virtual keys: issue (secret once, client configuration), rotate, revoke; scopes and expiry. */
export const KeysPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [status, setStatus] = useListFilter('status', 'all');
  const [search, setSearch] = useListFilter('q');
  // "expired" is an active key whose expiry has passed: the time is fixed per filter change, so the query key is stable
  const expiredBefore = useMemo(() => (status === 'expired' ? new Date().toISOString() : null), [status]);
  const keyFilter = { nameContains: search || null, status: status === 'all' ? null : status === 'expired' ? 'active' : status, expiringBefore: expiredBefore };
  const keys = useApiQuery(VirtualKeysQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter: keyFilter });
  const tenant = useApiQuery(TenantOverviewQuery, { tenantId });
  const virtualServers = useApiQuery(VirtualServersQuery, { tenantId }, { enabled: can('virtual-server:read') });
  const rotate = useApiMutation(RotateVirtualKeyMutation);
  const revoke = useApiMutation(RevokeVirtualKeyMutation);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<IssuedKey>();
  const [rotating, setRotating] = useState<KeyRow>();
  const [graceSeconds, setGraceSeconds] = useState<number | string>(300);
  const [revoking, setRevoking] = useState<KeyRow>();
  const [reason, setReason] = useState('');
  const vsName = (id: string) => virtualServers.data?.virtualServers.nodes.find((v) => v.id === id)?.name ?? id;
  const filtered = Boolean(search) || status !== 'all';
  const closeIssue = () => {
    setIssuing(false);
    setIssued(undefined);
  };

  return (
    <>
      <PageHeader
        title="Virtual keys"
        description="Credentials for agents: each opens chosen virtual servers and tools. Secrets are shown once."
        actions={
          can('key:issue') && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIssuing(true)}>
              Issue key
            </Button>
          )
        }
      />
      <Group mb="md">
        <TextInput aria-label="Search keys" placeholder="Search by name" leftSection={<IconSearch size={16} aria-hidden />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} />
        <SegmentedControl aria-label="Key status" value={status} onChange={setStatus} data={['all', 'active', 'revoked', 'expired']} />
      </Group>
      {(rotate.error ?? revoke.error) && <ErrorNotice error={rotate.error ?? revoke.error} title="The key did not change" />}
      <QueryState
        query={keys}
        label="virtual keys"
        isEmpty={(d) => d.virtualKeys.totalCount === 0 && !filtered && pager.depth === 0}
        empty={
          <EmptyState title="No virtual keys" action={can('key:issue') && <Button onClick={() => setIssuing(true)}>Issue the first key</Button>}>
            Issue a key for each agent or team; it carries its own scopes, limits and expiry.
          </EmptyState>
        }
      >
        {(data) => {
          const rows = data.virtualKeys.nodes;
          if (rows.length === 0) return <EmptyState title="No key matches">Change the search or the status filter.</EmptyState>;
          return (
            <>
            <Table.ScrollContainer minWidth={960}>
              <Table striped highlightOnHover verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Prefix</Table.Th>
                    <Table.Th>Virtual servers</Table.Th>
                    <Table.Th>Tools</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Last used</Table.Th>
                    <Table.Th>Calls</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((k) => {
                    const tools = (k.scopes['tools'] as { allow?: string[]; deny?: string[] } | undefined) ?? {};
                    return (
                      <Table.Tr key={k.id}>
                        <Table.Td>{k.name}</Table.Td>
                        <Table.Td>
                          <Text ff="monospace" size="sm">
                            {k.keyPrefix}…
                          </Text>
                        </Table.Td>
                        <Table.Td>{k.virtualServerIds.map(vsName).join(', ')}</Table.Td>
                        <Table.Td>
                          <Text size="sm">allow {(tools.allow ?? ['*']).join(', ')}</Text>
                          {(tools.deny ?? []).length > 0 && <Text size="sm">deny {tools.deny!.join(', ')}</Text>}
                        </Table.Td>
                        <Table.Td>{k.expiresAt ? new Date(k.expiresAt).toLocaleString() : <Badge variant="light" color="gray">never</Badge>}</Table.Td>
                        <Table.Td>{k.usage ? new Date(k.usage.lastUsedAt).toLocaleString() : <Text size="sm" c="dimmed">never</Text>}</Table.Td>
                        <Table.Td>
                          {k.usage ? (
                            <Text size="sm">
                              {k.usage.calls.toLocaleString()}
                              {k.usage.denied > 0 && ` (${k.usage.denied.toLocaleString()} denied)`}
                            </Text>
                          ) : (
                            <Text size="sm">0</Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={k.status} />
                        </Table.Td>
                        <Table.Td>
                          {k.status === 'active' && (
                            <Group gap="xs" wrap="nowrap">
                              {can('key:issue') && (
                                <Button size="xs" variant="default" onClick={() => setRotating(k)} aria-label={`Rotate ${k.name}`}>
                                  Rotate
                                </Button>
                              )}
                              {can('key:revoke') && (
                                <Button size="xs" variant="default" color="red" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                                  Revoke
                                </Button>
                              )}
                            </Group>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager pager={pager} pageInfo={data.virtualKeys.pageInfo} totalCount={data.virtualKeys.totalCount} shown={rows.length} label="virtual keys" />
            </>
          );
        }}
      </QueryState>

      <Modal opened={issuing} onClose={closeIssue} title={issued ? 'Key issued' : 'Issue a virtual key'} size="lg" closeOnClickOutside={!issued}>
        {issued ? (
          <>
            <IssuedSecret secret={issued.secret} keyName={issued.name} tenantSlug={tenant.data?.tenant?.slug ?? tenantId} virtualServers={issued.virtualServerNames} />
            <Group justify="flex-end" mt="md">
              <Button onClick={closeIssue}>I have copied the secret</Button>
            </Group>
          </>
        ) : (
          <QueryState query={virtualServers} label="virtual servers" isEmpty={(d) => d.virtualServers.nodes.length === 0} empty={<EmptyState title="No virtual servers">A key opens virtual servers: build one first.</EmptyState>}>
            {(d) => <IssueKeyForm tenantId={tenantId} virtualServers={d.virtualServers.nodes} onIssued={setIssued} />}
          </QueryState>
        )}
      </Modal>

      <Modal opened={Boolean(rotating)} onClose={() => setRotating(undefined)} title={`Rotate ${rotating?.name ?? ''}`}>
        <NumberInput label="Grace period (seconds)" description="How long the old secret keeps working" min={0} max={604_800} value={graceSeconds} onChange={setGraceSeconds} mb="md" />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setRotating(undefined)}>
            Cancel
          </Button>
          <Button
            loading={rotate.isPending}
            onClick={() =>
              rotating &&
              rotate.mutate(
                { tenantId, keyId: rotating.id, graceSeconds: Number(graceSeconds) || 0 },
                {
                  onSuccess: (data) => {
                    setIssued({ secret: data.rotateVirtualKey.secret, name: rotating.name, virtualServerNames: rotating.virtualServerIds.map(vsName) });
                    setIssuing(true);
                    setRotating(undefined);
                  },
                },
              )
            }
          >
            Rotate secret
          </Button>
        </Group>
      </Modal>

      <ConfirmModal
        target={revoking}
        title={(t) => `Revoke ${t?.name ?? ''}?`}
        confirmLabel="Revoke key"
        disabled={!reason.trim()}
        loading={revoke.isPending}
        onCancel={() => setRevoking(undefined)}
        onConfirm={(t) => revoke.mutate({ tenantId, keyId: t.id, reason: reason.trim() }, { onSuccess: () => { setRevoking(undefined); setReason(''); } })}
      >
        <Text mb="sm">Agents using it are refused from the proxies' next snapshot on. This cannot be undone.</Text>
        <TextInput label="Reason" description="Recorded in the activity history" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required mb="md" error={revoke.error?.issueFor('reason')} />
      </ConfirmModal>
    </>
  );
};
