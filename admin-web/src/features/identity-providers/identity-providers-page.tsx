import { Anchor, Button, Card, Group, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { Pager, PAGE_SIZE, useListFilter, usePager } from '../../components/pager';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { StatusBadge } from '../../components/status-badge';
import { tenantPath } from '../../layout/navigation';
import { IdentityProvidersQuery, RegisterIdentityProviderMutation, RemoveIdentityProviderMutation } from './identity-providers.graphql';

const RegisterForm = ({ tenantId }: { tenantId: string }) => {
  const [id, setId] = useState('');
  const [issuer, setIssuer] = useState('');
  const [audiences, setAudiences] = useState<string[]>([]);
  const [groupsClaim, setGroupsClaim] = useState('groups');
  const [jwksUri, setJwksUri] = useState('');
  const register = useApiMutation(RegisterIdentityProviderMutation);
  const at = (field: string) => register.error?.issueFor(field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate(
      { tenantId, input: { id: id.trim(), issuer: issuer.trim(), audiences, groupsClaim: groupsClaim.trim() || null, jwksUri: jwksUri.trim() || null } },
      { onSuccess: () => (setId(''), setIssuer(''), setAudiences([]), setJwksUri('')) },
    );
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Register an identity provider">
      <Title order={2} size="h5" mb="sm">
        Trust an identity provider
      </Title>
      <Stack>
        <Group grow>
          <TextInput label="Id" description="A slug such as okta; group role bindings name it" value={id} onChange={(e) => setId(e.currentTarget.value)} error={at('id')} required />
          <TextInput label="Issuer" description="Exactly as tokens carry it in iss" value={issuer} onChange={(e) => setIssuer(e.currentTarget.value)} error={at('issuer')} required />
        </Group>
        <TagsInput label="Audiences" description="Resource URLs the tokens must name: <proxy>/t/<tenant>/mcp/<virtual server>" value={audiences} onChange={setAudiences} error={at('audiences')} />
        <Group grow>
          <TextInput label="Groups claim" description="The token claim listing the caller's groups" value={groupsClaim} onChange={(e) => setGroupsClaim(e.currentTarget.value)} error={at('groupsClaim')} />
          <TextInput label="JWKS URI" description="Discovered from the issuer when empty" value={jwksUri} onChange={(e) => setJwksUri(e.currentTarget.value)} error={at('jwksUri')} />
        </Group>
        {register.error && <ErrorNotice error={register.error} title="The identity provider was not registered" />}
        <Group justify="flex-end">
          <Button type="submit" loading={register.isPending}>
            Register identity provider
          </Button>
        </Group>
      </Stack>
    </Card>
  );
};

/** OAuth issuers whose access tokens the tenant's proxies accept; their groups map to roles. */
export const IdentityProvidersPage = () => {
  const { tenantId = '' } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const pager = usePager();
  const [search, setSearch] = useListFilter('q');
  const idps = useApiQuery(IdentityProvidersQuery, { tenantId, first: PAGE_SIZE, after: pager.after, filter: { nameContains: search || null } });
  const remove = useApiMutation(RemoveIdentityProviderMutation);
  return (
    <>
      <PageHeader
        title="Identity providers"
        description={
          <>
            Issuers whose access tokens agents may present instead of a virtual key. Map their groups to roles under{' '}
            <Anchor component={Link} to={tenantPath(tenantId, 'members')} underline="always">
              Members and roles
            </Anchor>
            .
          </>
        }
      />
      {remove.error && <ErrorNotice error={remove.error} title="The identity provider was not removed" />}
      <Stack>
        <TextInput aria-label="Search identity providers" placeholder="Search by id or issuer" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
        <QueryState
          query={idps}
          label="identity providers"
          isEmpty={(d) => d.identityProviders.totalCount === 0 && !search && pager.depth === 0}
          empty={<EmptyState title="No identity providers">Agents use virtual keys until you trust an OAuth issuer (Okta, Entra ID or any OIDC provider) here.</EmptyState>}
        >
          {(data) => data.identityProviders.nodes.length === 0 ? (
            <EmptyState title="No identity provider matches">Change the search.</EmptyState>
          ) : (
            <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Id</Table.Th>
                    <Table.Th>Issuer</Table.Th>
                    <Table.Th>Audiences</Table.Th>
                    <Table.Th>Groups claim</Table.Th>
                    <Table.Th>Status</Table.Th>
                    {can('idp:manage') && <Table.Th>Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.identityProviders.nodes.map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>{i.id}</Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ wordBreak: 'break-all' }}>
                          {i.issuer}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ wordBreak: 'break-all' }}>
                          {i.audiences.join(', ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>{i.groupsClaim}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={i.status} />
                      </Table.Td>
                      {can('idp:manage') && (
                        <Table.Td>
                          <Button size="xs" variant="default" color="red" onClick={() => remove.mutate({ tenantId, identityProviderId: i.id })} aria-label={`Remove ${i.id}`}>
                            Remove
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager pager={pager} pageInfo={data.identityProviders.pageInfo} totalCount={data.identityProviders.totalCount} shown={data.identityProviders.nodes.length} label="identity providers" />
            </>
          )}
        </QueryState>
        {can('idp:manage') && <RegisterForm tenantId={tenantId} />}
      </Stack>
    </>
  );
};
