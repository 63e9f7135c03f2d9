import { Checkbox, Group, Loader, SimpleGrid, Text } from '@mantine/core';
import { matchesGlob } from '@mcpgate/contracts';
import { ErrorNotice } from '../../components/query-state';
import { toggleTool } from './catalogue-preview-model';

/**
 * The live tools of one picked upstream as checkboxes: ticked when one of the server's patterns
 * matches; ticking writes the patterns (see `toggleTool`). Filtered by the page's tool search.
 */
export const ToolPicker = ({
  serverName,
  patterns,
  live,
  search,
  onChange,
}: {
  serverName: string;
  patterns: readonly string[];
  live: { tools: string[] | undefined; error: unknown; pending: boolean } | undefined;
  search: string;
  onChange: (patterns: string[]) => void;
}) => {
  if (!live || live.pending) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" aria-hidden />
        <Text size="sm" c="dimmed">
          Loading the live tools of {serverName}…
        </Text>
      </Group>
    );
  }
  if (live.error) return <ErrorNotice error={live.error} title={`The live tools of ${serverName} did not load`} />;
  const tools = live.tools ?? [];
  if (tools.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No proxy has listed the tools of {serverName} yet: type patterns above, or list tools through a proxy once and come back.
      </Text>
    );
  }
  const shown = tools.filter((t) => !search || t.toLowerCase().includes(search.toLowerCase()));
  return (
    <div role="group" aria-labelledby={`live-tools-${serverName}`}>
      <Text size="sm" fw={500} id={`live-tools-${serverName}`}>
        Live tools of {serverName}
      </Text>
      <Text size="xs" c="dimmed">
        {tools.filter((t) => patterns.some((g) => matchesGlob(g, t))).length} of {tools.length} included
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt={6} spacing={6}>
        {shown.map((tool) => (
          <Checkbox key={tool} label={tool} checked={patterns.some((g) => matchesGlob(g, tool))} onChange={(e) => onChange(toggleTool(patterns, tool, e.currentTarget.checked, tools))} />
        ))}
      </SimpleGrid>
      {shown.length === 0 && (
        <Text size="sm" c="dimmed">
          No tool of {serverName} matches the search.
        </Text>
      )}
    </div>
  );
};
