import { Button, Group, MultiSelect, Stack, TagsInput, TextInput } from '@mantine/core';
import { VirtualKeyScopes } from '@mcpgate/contracts';
import { useState, type FormEvent } from 'react';
import type { FieldIssue } from '../../api/api-error';
import { useApiMutation } from '../../api/hooks';
import { ErrorNotice } from '../../components/query-state';
import { issueAt, validate } from '../../components/validation';
import { IssueVirtualKeyMutation } from './keys.graphql';

export interface IssuedKey {
  readonly secret: string;
  readonly name: string;
  readonly virtualServerNames: string[];
}

/** Issue a key scoped to virtual servers and tool globs, optionally expiring. */
export const IssueKeyForm = ({ tenantId, virtualServers, onIssued }: { tenantId: string; virtualServers: readonly { id: string; name: string }[]; onIssued: (key: IssuedKey) => void }) => {
  const [name, setName] = useState('');
  const [serverIds, setServerIds] = useState<string[]>(virtualServers.length === 1 ? [virtualServers[0]!.id] : []);
  const [allow, setAllow] = useState<string[]>(['*']);
  const [deny, setDeny] = useState<string[]>([]);
  const [expires, setExpires] = useState('');
  const [localIssues, setLocalIssues] = useState<FieldIssue[]>([]);
  const issue = useApiMutation(IssueVirtualKeyMutation);
  const at = (field: string) => issueAt(field, localIssues, issue.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const scopes = { virtualServerIds: serverIds, tools: { allow, deny } };
    const issues: FieldIssue[] = [...validate(VirtualKeyScopes, scopes).map((i) => ({ ...i, path: ['scopes', ...i.path] }))];
    if (!name.trim()) issues.push({ path: ['name'], message: 'Give the key a name' });
    const expiresAt = expires ? new Date(expires) : undefined;
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) issues.push({ path: ['expiresAt'], message: 'Pick a time in the future' });
    setLocalIssues(issues);
    if (issues.length) return;
    issue.mutate(
      { input: { tenantId, name: name.trim(), scopes, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) } },
      { onSuccess: (data) => onIssued({ secret: data.issueVirtualKey.secret, name: name.trim(), virtualServerNames: virtualServers.filter((v) => serverIds.includes(v.id)).map((v) => v.name) }) },
    );
  };

  return (
    <form onSubmit={submit} aria-label="Issue a virtual key" noValidate>
      <Stack>
        <TextInput label="Name" description="Who or what uses it, e.g. ci-agent" value={name} onChange={(e) => setName(e.currentTarget.value)} error={at('name')} required data-autofocus />
        <MultiSelect label="Virtual servers" description="What the key opens" data={virtualServers.map((v) => ({ value: v.id, label: v.name }))} value={serverIds} onChange={setServerIds} error={at('scopes.virtualServerIds')} searchable required comboboxProps={{ withinPortal: true }} />
        <TagsInput label="Allowed tools" description="Globs; Enter after each" value={allow} onChange={setAllow} error={at('scopes.tools.allow')} />
        <TagsInput label="Denied tools" description="Deny wins over allow" value={deny} onChange={setDeny} error={at('scopes.tools.deny')} />
        <TextInput label="Expires" description="Leave empty for a key that does not expire" type="datetime-local" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} error={at('expiresAt')} />
        {issue.error && <ErrorNotice error={issue.error} title="The key was not issued" />}
        <Group justify="flex-end">
          <Button type="submit" loading={issue.isPending}>
            Issue key
          </Button>
        </Group>
      </Stack>
    </form>
  );
};
