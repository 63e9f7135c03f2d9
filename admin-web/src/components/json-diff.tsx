import { Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { diffJson, type DiffStatus } from './json-diff-model';
import { ScrollRegion } from './scroll-region';

const BACKGROUND: Record<DiffStatus, string | undefined> = {
  added: 'var(--mantine-color-green-light)',
  removed: 'var(--mantine-color-red-light)',
  changed: 'var(--mantine-color-yellow-light)',
  unchanged: undefined,
};
const MARK: Record<DiffStatus, string> = { added: 'added', removed: 'removed', changed: 'changed', unchanged: '' };

/**
 * Two JSON documents side by side, one row per leaf: before on the left, after on the right,
 * changed rows tinted and named (colour is never the only signal). Unchanged rows can be hidden.
 */
export const JsonDiff = ({ before, after, label }: { before: unknown; after: unknown; label: string }) => {
  const [onlyChanges, setOnlyChanges] = useState(false);
  const rows = diffJson(before, after);
  const shown = onlyChanges ? rows.filter((r) => r.status !== 'unchanged') : rows;
  if (rows.length === 0) return <Text c="dimmed">Nothing recorded before or after.</Text>;
  return (
    <>
      <Switch size="xs" mb="xs" label="Only what changed" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.currentTarget.checked)} />
      <ScrollRegion label={`${label}, scrollable`} maxHeight={640} minWidth={520}>
        <Table aria-label={label} layout="fixed" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="24%">Field</Table.Th>
              <Table.Th w="33%">Before</Table.Th>
              <Table.Th w="33%">After</Table.Th>
              <Table.Th w="10%">Change</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={row.path} data-status={row.status} style={{ background: BACKGROUND[row.status] }}>
                <Table.Td>
                  <Text ff="monospace" size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {row.path}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="xs" style={{ overflowWrap: 'anywhere' }} td={row.status === 'changed' || row.status === 'removed' ? 'line-through' : undefined}>
                    {row.before ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {row.after ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{MARK[row.status]}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </>
  );
};
