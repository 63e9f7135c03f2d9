import { ActionIcon, Button, Card, Group, SegmentedControl, Stack, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { UpstreamServerConfig } from '@mcpgate/contracts';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { useDraft } from '../../components/use-draft';
import { issueAt, validate } from '../../components/validation';
import { tenantPath } from '../../layout/navigation';
import { TenantOverviewQuery } from '../overview/overview.graphql';
import { emptyEndpoint, emptyServerForm, formFromConfig, toConfig, type ServerForm, type Transport } from './server-form-model';
import { ServerStatus } from './server-status';
import { ReconfigureUpstreamServerMutation, RegisterUpstreamServerMutation, UpstreamServersQuery } from './servers.graphql';
import type { FieldIssue } from '../../api/api-error';

const ServerFormView = ({ tenantId, initial, serverId, previous }: { tenantId: string; initial: ServerForm; serverId?: string; previous?: Record<string, unknown> }) => {
  const navigate = useNavigate();
  const [form, setForm, clearDraft] = useDraft<ServerForm>(`server.${tenantId}.${serverId ?? 'new'}`, initial);
  const [localIssues, setLocalIssues] = useState<FieldIssue[]>([]);
  const register = useApiMutation(RegisterUpstreamServerMutation);
  const reconfigure = useApiMutation(ReconfigureUpstreamServerMutation);
  const error = register.error ?? reconfigure.error;
  const at = (field: string) => issueAt(field, localIssues, error);
  const update = (patch: Partial<ServerForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    // once a save found problems, each change re-checks, so fixed fields lose their message at once
    if (localIssues.length) setLocalIssues(validate(UpstreamServerConfig, toConfig(next, previous)));
  };
  const updateEndpoint = (index: number, patch: Partial<ServerForm['endpoints'][number]>) => update({ endpoints: form.endpoints.map((e, i) => (i === index ? { ...e, ...patch } : e)) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const config = toConfig(form, previous);
    const issues = validate(UpstreamServerConfig, config);
    setLocalIssues(issues);
    if (issues.length) return;
    const done = () => {
      clearDraft();
      notifications.show({ color: 'green', message: `Server ${form.name} ${serverId ? 'saved' : 'registered'}` });
      void navigate(tenantPath(tenantId, 'servers'));
    };
    if (serverId) reconfigure.mutate({ tenantId, serverId, config }, { onSuccess: done });
    else register.mutate({ tenantId, config }, { onSuccess: done });
  };

  return (
    <form onSubmit={submit} aria-label={serverId ? 'Edit upstream server' : 'Register upstream server'} noValidate>
      <Stack maw={820}>
        <TextInput label="Name" description="A slug: lower-case letters, digits and dashes" value={form.name} onChange={(e) => update({ name: e.currentTarget.value })} error={at('name')} required />
        <Textarea label="Description" value={form.description} onChange={(e) => update({ description: e.currentTarget.value })} error={at('description')} autosize minRows={2} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="transport-label">
            Transport
          </Text>
          <SegmentedControl
            aria-labelledby="transport-label"
            value={form.transport}
            onChange={(v) => update({ transport: v as Transport })}
            data={[
              { value: 'streamable-http', label: 'Streamable HTTP' },
              { value: 'sse', label: 'SSE (legacy)' },
              { value: 'stdio', label: 'stdio command' },
            ]}
          />
        </Stack>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">
            Endpoints
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Several endpoints mean failover, in this order.
          </Text>
          <Stack>
            {form.endpoints.map((endpoint, index) => (
              <Group key={index} align="flex-start" wrap="nowrap">
                <TextInput label="Endpoint id" value={endpoint.id} onChange={(e) => updateEndpoint(index, { id: e.currentTarget.value })} error={at(`connection.endpoints.${index}.id`)} w={160} />
                {form.transport === 'stdio' ? (
                  <>
                    <TextInput label="Command" value={endpoint.command} onChange={(e) => updateEndpoint(index, { command: e.currentTarget.value })} error={at(`connection.endpoints.${index}.command`)} style={{ flex: 1 }} />
                    <TagsInput label="Arguments" description="Enter after each" value={endpoint.args} onChange={(args) => updateEndpoint(index, { args })} style={{ flex: 1 }} />
                  </>
                ) : (
                  <TextInput label="URL" placeholder="https://mcp.example.com/mcp" value={endpoint.url} onChange={(e) => updateEndpoint(index, { url: e.currentTarget.value })} error={at(`connection.endpoints.${index}.url`)} style={{ flex: 1 }} />
                )}
                {form.endpoints.length > 1 && (
                  <ActionIcon variant="default" mt={24} size="lg" aria-label={`Remove endpoint ${endpoint.id}`} onClick={() => update({ endpoints: form.endpoints.filter((_, i) => i !== index) })}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                )}
              </Group>
            ))}
            {at('connection.endpoints') && (
              <Text c="red" size="sm">
                {at('connection.endpoints')}
              </Text>
            )}
            <Group>
              <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => update({ endpoints: [...form.endpoints, emptyEndpoint(form.endpoints.length)] })}>
                Add failover endpoint
              </Button>
            </Group>
          </Stack>
        </Card>
        <TagsInput label="Regions" description="Whose proxies may reach this server; Enter after each" value={form.regions} onChange={(regions) => update({ regions })} error={at('regions')} />
        <TagsInput label="Tags" description="Compliance tags such as phi" value={form.tags} onChange={(tags) => update({ tags })} error={at('tags')} />
        {error && <ErrorNotice error={error} title={serverId ? 'The server was not saved' : 'The server was not registered'} />}
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              clearDraft();
              void navigate(tenantPath(tenantId, 'servers'));
            }}
          >
            Cancel
          </Button>
          <Button type="submit" loading={register.isPending || reconfigure.isPending}>
            {serverId ? 'Save changes' : 'Register server'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Register a server, or edit one (`/servers/:serverId`): the whole configuration is sent at once. */
export const ServerEditPage = () => {
  const { tenantId = '', serverId } = useParams();
  const tenant = useApiQuery(TenantOverviewQuery, { tenantId }, { enabled: !serverId });
  const servers = useApiQuery(UpstreamServersQuery, { tenantId }, { enabled: Boolean(serverId) });
  if (!serverId) {
    return (
      <>
        <PageHeader title="Register an upstream server" description="The proxies reach it from their next snapshot on." />
        <QueryState query={tenant} label="the tenant">
          {(d) => <ServerFormView tenantId={tenantId} initial={emptyServerForm(d.tenant?.regions ?? [])} />}
        </QueryState>
      </>
    );
  }
  return (
    <QueryState query={servers} label="the server">
      {(d) => {
        const server = d.upstreamServers.nodes.find((s) => s.id === serverId);
        if (!server) return <EmptyState title="No such server">It may have been removed. Go back to the list of upstream servers.</EmptyState>;
        return (
          <>
            <PageHeader title={`Edit ${server.name}`} description={`Version ${server.version}; saving replaces the whole configuration.`} />
            <ServerStatus tenantId={tenantId} serverId={serverId} />
            <ServerFormView tenantId={tenantId} serverId={serverId} initial={formFromConfig(server.config)} previous={server.config} />
          </>
        );
      }}
    </QueryState>
  );
};
