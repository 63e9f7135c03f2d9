import { Alert, Anchor, Button, Card, Checkbox, Group, SegmentedControl, Stack, Switch, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { VirtualServerConfig } from '@mcpgate/contracts';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { FieldIssue } from '../../api/api-error';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { useDraft } from '../../components/use-draft';
import { issueAt, validate } from '../../components/validation';
import { tenantPath } from '../../layout/navigation';
import { UpstreamServersQuery } from '../servers/servers.graphql';
import { CataloguePreview } from './catalogue-preview';
import { ToolPicker } from './tool-picker';
import { useLiveTools } from './use-live-tools';
import { CreateVirtualServerMutation, ReconfigureVirtualServerMutation, VirtualServersQuery } from './virtual-servers.graphql';

interface VirtualServerForm {
  name: string;
  description: string;
  prefixMode: 'always' | 'on-collision' | 'never';
  anonymousAccess: boolean;
  /** Tool globs per picked upstream server id. */
  picks: Record<string, string[]>;
}

const emptyForm: VirtualServerForm = { name: '', description: '', prefixMode: 'on-collision', anonymousAccess: false, picks: {} };

const formFromConfig = (config: Record<string, unknown>): VirtualServerForm => ({
  name: String(config['name'] ?? ''),
  description: String(config['description'] ?? ''),
  prefixMode: (config['prefixMode'] as VirtualServerForm['prefixMode'] | undefined) ?? 'on-collision',
  anonymousAccess: config['anonymousAccess'] === true,
  picks: Object.fromEntries(((config['upstreams'] as { serverId: string; tools: string[] }[] | undefined) ?? []).map((u) => [u.serverId, u.tools])),
});

const toConfig = (form: VirtualServerForm) => ({
  name: form.name.trim(),
  description: form.description,
  prefixMode: form.prefixMode,
  anonymousAccess: form.anonymousAccess,
  upstreams: Object.entries(form.picks).map(([serverId, tools]) => ({ serverId, tools })),
});

const VirtualServerFormView = ({ tenantId, virtualServerId, initial }: { tenantId: string; virtualServerId?: string; initial: VirtualServerForm }) => {
  const navigate = useNavigate();
  const [form, setForm, clearDraft] = useDraft(`virtual-server.${tenantId}.${virtualServerId ?? 'new'}`, initial);
  const [localIssues, setLocalIssues] = useState<FieldIssue[]>([]);
  const [toolSearch, setToolSearch] = useState('');
  const upstreams = useApiQuery(UpstreamServersQuery, { tenantId });
  const liveTools = useLiveTools(tenantId, Object.keys(form.picks));
  const serverName = (id: string) => upstreams.data?.upstreamServers.nodes.find((s) => s.id === id)?.name ?? id;
  const create = useApiMutation(CreateVirtualServerMutation);
  const reconfigure = useApiMutation(ReconfigureVirtualServerMutation);
  const error = create.error ?? reconfigure.error;
  const at = (field: string) => issueAt(field, localIssues, error);
  const update = (patch: Partial<VirtualServerForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    if (localIssues.length) setLocalIssues(validate(VirtualServerConfig, toConfig(next)));
  };
  const togglePick = (serverId: string, picked: boolean) => {
    const picks = { ...form.picks };
    if (picked) picks[serverId] = ['*'];
    else delete picks[serverId];
    update({ picks });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const config = toConfig(form);
    const issues = validate(VirtualServerConfig, config);
    setLocalIssues(issues);
    if (issues.length) return;
    const done = () => {
      clearDraft();
      notifications.show({ color: 'green', message: `Virtual server ${form.name} saved` });
      void navigate(tenantPath(tenantId, 'virtual-servers'));
    };
    if (virtualServerId) reconfigure.mutate({ tenantId, virtualServerId, config }, { onSuccess: done });
    else create.mutate({ tenantId, config }, { onSuccess: done });
  };

  return (
    <form onSubmit={submit} aria-label={virtualServerId ? 'Edit virtual server' : 'New virtual server'} noValidate>
      <Stack maw={820}>
        <TextInput label="Name" description="A slug; agents connect to /t/<tenant>/mcp/<name>" value={form.name} onChange={(e) => update({ name: e.currentTarget.value })} error={at('name')} required />
        <Textarea label="Description" value={form.description} onChange={(e) => update({ description: e.currentTarget.value })} autosize minRows={2} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="prefix-label">
            Prefix mode
          </Text>
          <SegmentedControl
            aria-labelledby="prefix-label"
            value={form.prefixMode}
            onChange={(v) => update({ prefixMode: v as VirtualServerForm['prefixMode'] })}
            data={[
              { value: 'on-collision', label: 'Prefix on collision' },
              { value: 'always', label: 'Always prefix' },
              { value: 'never', label: 'Never prefix' },
            ]}
          />
          <Text size="xs" c="dimmed">
            Prefixed tools are named &lt;server&gt;__&lt;tool&gt;, which keeps equal names of different servers apart.
          </Text>
        </Stack>
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">
            Tools
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Pick upstream servers, then tick their live tools or type globs (* for all, e.g. get_* or echo).
          </Text>
          <TextInput aria-label="Search servers and tools" placeholder="Search servers and tools" value={toolSearch} onChange={(e) => setToolSearch(e.currentTarget.value)} mb="sm" />
          <QueryState query={upstreams} label="upstream servers" isEmpty={(d) => d.upstreamServers.nodes.length === 0} empty={<EmptyState title="No upstream servers">Register an upstream server first:{' '}
                  <Anchor component={Link} to={tenantPath(tenantId, 'servers/new')} underline="always">
                    register one
                  </Anchor>
                  .</EmptyState>}>
            {(d) => (
              <Stack>
                {d.upstreamServers.nodes
                  .filter((s) => !toolSearch || s.name.includes(toolSearch.toLowerCase()) || (liveTools.get(s.id)?.tools ?? []).some((t) => t.toLowerCase().includes(toolSearch.toLowerCase())))
                  .map((s) => (
                    <Stack key={s.id} gap="xs">
                      <Group align="flex-start" wrap="nowrap">
                        <Checkbox mt={8} w={220} label={`${s.name} (${s.transport})`} checked={s.id in form.picks} onChange={(e) => togglePick(s.id, e.currentTarget.checked)} />
                        {s.id in form.picks && <TagsInput style={{ flex: 1 }} label={`Tools of ${s.name}`} value={form.picks[s.id]} onChange={(tools) => update({ picks: { ...form.picks, [s.id]: tools } })} />}
                      </Group>
                      {s.id in form.picks && (
                        <ToolPicker serverName={s.name} patterns={form.picks[s.id] ?? []} live={liveTools.get(s.id)} search={toolSearch} onChange={(tools) => update({ picks: { ...form.picks, [s.id]: tools } })} />
                      )}
                    </Stack>
                  ))}
              </Stack>
            )}
          </QueryState>
          {at('upstreams') && (
            <Text c="red" size="sm" mt="xs" role="alert">
              {at('upstreams') === 'Too small: expected array to have >=1 items' ? 'Pick at least one upstream server.' : at('upstreams')}
            </Text>
          )}
        </Card>
        <CataloguePreview
          tenantId={tenantId}
          prefixMode={form.prefixMode}
          listings={Object.entries(form.picks).map(([id, include]) => ({ serverName: serverName(id), include, tools: liveTools.get(id)?.tools ?? [] }))}
        />
        <Switch label="Anonymous access (insecure: callers need no key or token)" checked={form.anonymousAccess} onChange={(e) => update({ anonymousAccess: e.currentTarget.checked })} color="red" />
        {form.anonymousAccess && (
          <Alert color="red" title="Anyone who reaches the proxy can call these tools">
            Leave this off unless the tools are public.
          </Alert>
        )}
        {error && <ErrorNotice error={error} title="The virtual server was not saved" />}
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              clearDraft();
              void navigate(tenantPath(tenantId, 'virtual-servers'));
            }}
          >
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || reconfigure.isPending}>
            {virtualServerId ? 'Save changes' : 'Create virtual server'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
};

export const VirtualServerEditPage = () => {
  const { tenantId = '', virtualServerId } = useParams();
  const existing = useApiQuery(VirtualServersQuery, { tenantId }, { enabled: Boolean(virtualServerId) });
  if (!virtualServerId) {
    return (
      <>
        <PageHeader title="Build a virtual server" description="Bundle tools of your upstream servers behind one MCP endpoint." />
        <VirtualServerFormView tenantId={tenantId} initial={emptyForm} />
      </>
    );
  }
  return (
    <QueryState query={existing} label="the virtual server">
      {(d) => {
        const vs = d.virtualServers.nodes.find((v) => v.id === virtualServerId);
        if (!vs) return <EmptyState title="No such virtual server">It may have been deleted. Go back to the list.</EmptyState>;
        return (
          <>
            <PageHeader title={`Edit ${vs.name}`} description={`Version ${vs.version}`} />
            <VirtualServerFormView tenantId={tenantId} virtualServerId={virtualServerId} initial={formFromConfig(vs.config)} />
          </>
        );
      }}
    </QueryState>
  );
};
