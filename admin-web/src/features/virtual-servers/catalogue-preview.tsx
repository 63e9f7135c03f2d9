import { Badge, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { PrefixMode } from '@mcpgate/contracts';
import { useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { ErrorNotice } from '../../components/query-state';
import { ScrollRegion } from '../../components/scroll-region';
import { decideForSubject, previewCatalogue, type PreviewDecision, type PreviewEntry, type PreviewListing, type PreviewSubject } from './catalogue-preview-model';
import { CataloguePreviewSubjectsQuery } from './catalogue-preview.graphql';

/**
 * The catalogue agents would see: names after prefixing, computed in the browser with the proxy's
 * rules, and for a chosen key or role which of them it may call under its scope and the policies.
 */
export const CataloguePreview = ({ tenantId, prefixMode, listings }: { tenantId: string; prefixMode: PrefixMode; listings: readonly PreviewListing[] }) => {
  const { can } = useTenantPermissions(tenantId);
  const subjects = useApiQuery(CataloguePreviewSubjectsQuery, { tenantId }, { enabled: can('key:read') && can('policy:read') });
  const [who, setWho] = useState<string | null>(null);
  const { entries, shadowed, shortened } = previewCatalogue(prefixMode, listings);
  const data = subjects.data;
  const subject: PreviewSubject | undefined = (() => {
    if (!who || !data) return undefined;
    const [kind, id] = [who.slice(0, who.indexOf(':')), who.slice(who.indexOf(':') + 1)];
    if (kind === 'key') {
      const key = data.virtualKeys.nodes.find((k) => k.id === id);
      return key ? { kind: 'key', keyId: key.id, scopes: key.scopes } : undefined;
    }
    return { kind: 'role', role: id };
  })();
  const decided = subject && data ? decideForSubject(entries, subject, data.policies.nodes) : undefined;
  const allowedCount = decided?.filter((d) => d.allowed).length;
  return (
    <Card withBorder>
      <Title order={2} size="h5" mb={4}>
        Catalogue preview
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Computed here with the proxy's own rules (prefix mode, tool globs, key scopes and policy rules from @mcpgate/contracts), from the tools the proxies last listed.
      </Text>
      {data && (
        <Select
          label="As seen by"
          placeholder="Everyone the virtual server admits (no key or role)"
          clearable
          searchable
          mb="sm"
          value={who}
          onChange={setWho}
          data={[
            { group: 'Virtual keys', items: data.virtualKeys.nodes.filter((k) => k.status === 'active').map((k) => ({ value: `key:${k.id}`, label: `key ${k.name}` })) },
            { group: 'Roles', items: data.roles.nodes.map((r) => ({ value: `role:${r.name}`, label: `role ${r.name}` })) },
          ]}
        />
      )}
      {subjects.error && <ErrorNotice error={subjects.error} title="Keys and policies did not load: the preview shows names only" />}
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          No tool yet: pick upstream servers and tools above (the catalogue needs the tools a proxy has listed).
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm" aria-live="polite">
            {entries.length} tools{decided ? `, ${allowedCount} callable by the chosen ${subject?.kind}` : ''}
            {shadowed.length ? `; ${shadowed.length} hidden by a name another server already uses (prefix mode never)` : ''}
            {shortened.length ? `; ${shortened.length} names longer than 128 characters are shortened by the proxy` : ''}
          </Text>
          <ScrollRegion label="Catalogue preview, scrollable" maxHeight={360} minWidth={480}>
            <Table aria-label="Catalogue preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tool as agents see it</Table.Th>
                  <Table.Th>From</Table.Th>
                  {decided && <Table.Th>For the chosen {subject?.kind}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {((decided ?? entries) as readonly (PreviewEntry & Partial<PreviewDecision>)[]).map((e) => (
                  <Table.Tr key={e.visibleName}>
                    <Table.Td>
                      <Text ff="monospace" size="sm">
                        {e.visibleName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {e.serverName}
                        {e.visibleName !== e.originalName ? ` (${e.originalName})` : ''}
                      </Text>
                    </Table.Td>
                    {decided && e.allowed !== undefined && (
                      <Table.Td>
                        <Group gap={4}>
                          <Badge color={e.allowed ? 'green' : 'red'} variant="light">
                            {e.allowed ? 'callable' : 'denied'}
                          </Badge>
                          {!e.allowed && (
                            <Text size="xs">
                              {e.reason}
                              {e.ruleId ? ` (${e.ruleId})` : ''}
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </Stack>
      )}
    </Card>
  );
};
