import { Button, Group, Stack, TagsInput, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useApiMutation } from '../../api/hooks';
import { ErrorNotice } from '../../components/query-state';
import { CreateTenantMutation } from './tenants.graphql';

/** Creates a tenant (platform admins); the API's field errors appear under the fields. */
export const CreateTenantForm = ({ onCreated }: { onCreated: (tenantId: string) => void }) => {
  const [slug, setSlug] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [regions, setRegions] = useState<string[]>(['eu-west-1']);
  const create = useApiMutation(CreateTenantMutation);
  const error = create.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { input: { slug: slug.trim(), displayName: displayName.trim(), regions } },
      {
        onSuccess: (data) => {
          notifications.show({ color: 'green', message: `Tenant ${slug} created` });
          if (data.createTenant.id) onCreated(data.createTenant.id);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label="Create a tenant">
      <Stack>
        <TextInput label="Slug" description="Lower-case letters, digits and dashes; part of the proxy URLs" value={slug} onChange={(e) => setSlug(e.currentTarget.value)} required error={error?.issueFor('slug')} data-autofocus />
        <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} required error={error?.issueFor('displayName')} />
        <TagsInput label="Regions" description="Press Enter after each region" value={regions} onChange={setRegions} error={error?.issueFor('regions')} />
        {error && !error.issues.length && <ErrorNotice error={error} title="The tenant was not created" />}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            Create tenant
          </Button>
        </Group>
      </Stack>
    </form>
  );
};
