import { Badge, Button, Card, Code, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { CreateRoleBindingMutation, MembersQuery, RemoveRoleBindingMutation } from './members.graphql';
import { subjectLabel } from './subject-label';

const BindForm = ({ tenantId, roles }: { tenantId: string; roles: readonly string[] }) => {
  const [kind, setKind] = useState<'user' | 'group'>('group');
  const [issuer, setIssuer] = useState('');
  const [subject, setSubject] = useState('');
  const [idpId, setIdpId] = useState('');
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const bind = useApiMutation(CreateRoleBindingMutation);
  const at = (field: string) => bind.error?.issueFor(field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!role) return;
    const s = kind === 'user' ? { kind, issuer: issuer.trim(), subject: subject.trim() } : { kind, idpId: idpId.trim(), group: group.trim() };
    bind.mutate({ tenantId, subject: s, role }, { onSuccess: () => (setSubject(''), setGroup('')) });
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Grant a role">
      <Title order={2} size="h5" mb="sm">
        Grant a role
      </Title>
      <Stack>
        <SegmentedControl aria-label="Grant to" value={kind} onChange={(v) => setKind(v as 'user' | 'group')} data={[{ value: 'group', label: 'An IdP group' }, { value: 'user', label: 'A user' }]} />
        {kind === 'group' ? (
          <Group grow>
            <TextInput label="Identity provider id" description="As in the login configuration, e.g. okta" value={idpId} onChange={(e) => setIdpId(e.currentTarget.value)} error={at('idpId')} required />
            <TextInput label="Group" description="As the IdP sends it in the groups claim" value={group} onChange={(e) => setGroup(e.currentTarget.value)} error={at('group')} required />
          </Group>
        ) : (
          <Group grow>
            <TextInput label="Issuer" placeholder="https://example.okta.com" value={issuer} onChange={(e) => setIssuer(e.currentTarget.value)} error={at('issuer')} required />
            <TextInput label="Subject" description="The user's sub claim" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={at('subject')} required />
          </Group>
        )}
        <Select label="Role" data={[...roles]} value={role} onChange={setRole} error={at('role')} required comboboxProps={{ withinPortal: true }} />
        {bind.error && <ErrorNotice error={bind.error} title="The role was not granted" />}
        <Group justify="flex-end">
          <Button type="submit" loading={bind.isPending} disabled={!role}>
            Grant role
          </Button>
        </Group>
      </Stack>
    </Card>
  );
};

/** Who holds which role in the tenant (users and IdP groups), and what each role permits. */
export const MembersPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [role, setRole] = useListFilter('role');
  const [kind, setKind] = useListFilter('kind', 'all');
  const members = useApiQuery(MembersQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter: { role: role || null, subjectKind: kind === 'all' ? null : kind } });
  const remove = useApiMutation(RemoveRoleBindingMutation);
  return (
    <>
      <PageHeader title="Members and roles" description="Roles granted to users and to identity-provider groups; group members get them at their next login." />
      {remove.error && <ErrorNotice error={remove.error} title="The role was not taken away" />}
      <Group mb="md">
        <TextInput aria-label="Role" placeholder="Filter by role" value={role} onChange={(e) => setRole(e.currentTarget.value)} w={220} />
        <SegmentedControl aria-label="Subject kind" value={kind} onChange={setKind} data={[{ value: 'all', label: 'all' }, { value: 'group', label: 'groups' }, { value: 'user', label: 'users' }]} />
      </Group>
      <QueryState query={members} label="members">
        {(data) => (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Stack>
              <Card withBorder>
                <Title order={2} size="h5" mb="sm">
                  Role bindings
                </Title>
                {data.roleBindings.nodes.length === 0 ? (
                  role || kind !== 'all' ? (
                    <EmptyState title="No binding matches">Change the role or kind filter.</EmptyState>
                  ) : (
                    <EmptyState title="Nobody has a role here yet">Grant a role to an IdP group (recommended) or a single user.</EmptyState>
                  )
                ) : (
                  <>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Who</Table.Th>
                        <Table.Th>Role</Table.Th>
                        {can('member:manage') && <Table.Th>Actions</Table.Th>}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.roleBindings.nodes.map((b) => (
                        <Table.Tr key={b.id}>
                          <Table.Td>{subjectLabel(b.subject)}</Table.Td>
                          <Table.Td>
                            <Code>{b.role}</Code>
                          </Table.Td>
                          {can('member:manage') && (
                            <Table.Td>
                              <Button size="xs" variant="default" color="red" onClick={() => remove.mutate({ tenantId, bindingId: b.id })} aria-label={`Remove ${b.role} from ${subjectLabel(b.subject)}`}>
                                Remove
                              </Button>
                            </Table.Td>
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  <Pager pager={pager} pageInfo={data.roleBindings.pageInfo} totalCount={data.roleBindings.totalCount} shown={data.roleBindings.nodes.length} label="role bindings" />
                  </>
                )}
              </Card>
              {can('member:manage') && <BindForm tenantId={tenantId} roles={data.roles.nodes.map((r) => r.name)} />}
            </Stack>
            <Card withBorder>
              <Title order={2} size="h5" mb="sm">
                Roles
              </Title>
              <Stack gap="sm">
                {data.roles.nodes.map((r) => (
                  <div key={r.id}>
                    <Group gap="xs">
                      <Text fw={600}>{r.name}</Text>
                      {r.builtIn && <Badge size="xs" variant="outline">built in</Badge>}
                    </Group>
                    <Text size="xs">{r.permissions.join(', ')}</Text>
                  </div>
                ))}
              </Stack>
            </Card>
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
};
