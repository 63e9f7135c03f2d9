import { Alert, Button, Code, CopyButton, Group, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { clientConfigs, mcpUrl } from './client-config';

const PROXY_URL_KEY = 'mcpgate.proxy-url';
const defaultProxyUrl = () => localStorage.getItem(PROXY_URL_KEY) ?? `${window.location.protocol}//${window.location.hostname}:8080`;

/** Tab values become element ids: no spaces. */
const tabValue = (client: string) => client.toLowerCase().replace(/\s+/g, '-');

const Copy = ({ value, label }: { value: string; label: string }) => (
  <CopyButton value={value}>
    {({ copied, copy }) => (
      <Button size="xs" variant={copied ? 'filled' : 'default'} color={copied ? 'green' : undefined} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} onClick={copy} aria-label={label}>
        {copied ? 'Copied' : 'Copy'}
      </Button>
    )}
  </CopyButton>
);

/**
 * A new key's secret, shown exactly once (the API stores only its hash), with ready-to-paste
 * configuration for common MCP clients.
 */
export const IssuedSecret = ({ secret, keyName, tenantSlug, virtualServers }: { secret: string; keyName: string; tenantSlug: string; virtualServers: readonly string[] }) => {
  const [proxyUrl, setProxyUrl] = useState(defaultProxyUrl);
  const [server, setServer] = useState(virtualServers[0] ?? '');
  const url = mcpUrl(proxyUrl, tenantSlug, server);
  return (
    <Stack>
      <Alert color="yellow" title="Copy the secret now" role="status">
        This is the only time it is shown: mcpgate keeps only a hash of it.
      </Alert>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Secret of {keyName}
        </Text>
        <Group wrap="nowrap" align="center">
          <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="issued-secret">
            {secret}
          </Code>
          <Copy value={secret} label="Copy the secret" />
        </Group>
      </Stack>
      <Group grow>
        <TextInput
          label="Proxy URL"
          description="Where your agents reach the gateway"
          value={proxyUrl}
          onChange={(e) => {
            setProxyUrl(e.currentTarget.value);
            localStorage.setItem(PROXY_URL_KEY, e.currentTarget.value);
          }}
        />
        {virtualServers.length > 1 && <Select label="Virtual server" data={[...virtualServers]} value={server} onChange={(v) => v && setServer(v)} allowDeselect={false} />}
      </Group>
      <Tabs defaultValue="claude-code">
        <Tabs.List aria-label="MCP client">
          {clientConfigs({ name: `mcpgate-${server}`, url, secret }).map((c) => (
            <Tabs.Tab key={c.client} value={tabValue(c.client)}>
              {c.client}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {clientConfigs({ name: `mcpgate-${server}`, url, secret }).map((c) => (
          <Tabs.Panel key={c.client} value={tabValue(c.client)} pt="sm">
            <Group justify="space-between" mb={4}>
              <Text size="sm" c="dimmed">
                {c.where}
              </Text>
              <Copy value={c.text} label={`Copy the ${c.client} configuration`} />
            </Group>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {c.text}
            </Code>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
};
