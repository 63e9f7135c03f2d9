import { Badge, Card, Group, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { EmptyState, QueryState } from '../../components/query-state';
import { ScrollRegion } from '../../components/scroll-region';
import { UpstreamServerStatusQuery } from './server-status.graphql';

const HEALTH_COLOURS: Record<string, string> = { healthy: 'green', unhealthy: 'red', unknown: 'gray' };
const REFRESH_MS = 10_000;

/**
 * An upstream server as the proxies see it: health per endpoint, proxy and region, and the tool
 * catalogue the newest live proxy listed. Refreshes every 10 seconds while open.
 */
export const ServerStatus = ({ tenantId, serverId }: { tenantId: string; serverId: string }) => {
  const status = useApiQuery(UpstreamServerStatusQuery, { tenantId, upstreamServerId: serverId }, { refetchInterval: REFRESH_MS });
  const [search, setSearch] = useState('');
  return (
    <QueryState query={status} label="the server's health and tools">
      {({ upstreamServerStatus: s }) => {
        const tools = s.tools.filter((t) => !search || `${t.name} ${t.title ?? ''} ${t.description ?? ''}`.toLowerCase().includes(search.toLowerCase()));
        return (
          <SimpleGrid cols={{ base: 1, xl: 2 }} mb="lg">
            <Card withBorder>
              <Title order={2} size="h4" mb="sm">
                Health per endpoint
              </Title>
              {s.endpoints.length === 0 ? (
                <EmptyState title="No proxy has reported this server yet">Proxies report each endpoint's health once an agent's call has used it.</EmptyState>
              ) : (
                <Table.ScrollContainer minWidth={480}>
                  <Table aria-label="Endpoint health">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Endpoint</Table.Th>
                        <Table.Th>Region / proxy</Table.Th>
                        <Table.Th>Health</Table.Th>
                        <Table.Th>Reported</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.endpoints.map((e) => (
                        <Table.Tr key={`${e.proxyId}/${e.endpointId}`}>
                          <Table.Td>{e.endpointId}</Table.Td>
                          <Table.Td>
                            <Text size="sm">{e.region}</Text>
                            <Text size="xs" c="dimmed" ff="monospace">
                              {e.proxyId}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4}>
                              <Badge color={HEALTH_COLOURS[e.health] ?? 'gray'} variant="light">
                                {e.health}
                              </Badge>
                              {e.stale && (
                                <Badge color="gray" variant="outline">
                                  stale report
                                </Badge>
                              )}
                            </Group>
                            {e.lastError && (
                              <Text size="xs" c="red.8">
                                {e.lastError}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>{new Date(e.reportedAt).toLocaleTimeString()}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Card>
            <Card withBorder>
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4">
                  Live tool catalogue ({s.tools.length})
                </Title>
                {s.toolsListedAt && (
                  <Text size="xs" c="dimmed">
                    listed {new Date(s.toolsListedAt).toLocaleString()}
                  </Text>
                )}
              </Group>
              {s.tools.length === 0 ? (
                <EmptyState title="No tool list yet">The catalogue appears once an agent has listed tools through a proxy (for example with a virtual key in an MCP client).</EmptyState>
              ) : (
                <>
                  <TextInput aria-label="Search tools" placeholder="Search tools" value={search} onChange={(e) => setSearch(e.currentTarget.value)} mb="xs" />
                  <ScrollRegion label="Tools, scrollable" maxHeight={420} minWidth={420}>
                    <Table aria-label="Tools">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Tool</Table.Th>
                          <Table.Th>Description</Table.Th>
                          <Table.Th w={130}>Hints</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {tools.map((t) => (
                          <Table.Tr key={t.name}>
                            <Table.Td>
                              <Text ff="monospace" size="sm">
                                {t.name}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm" lineClamp={2}>
                                {t.description ?? t.title ?? ''}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Group gap={4}>
                                {t.readOnly && (
                                  <Badge variant="light" size="sm">
                                    read-only
                                  </Badge>
                                )}
                                {t.destructive && (
                                  <Badge variant="light" color="red" size="sm">
                                    destructive
                                  </Badge>
                                )}
                                {t.idempotent && (
                                  <Badge variant="light" color="gray" size="sm">
                                    idempotent
                                  </Badge>
                                )}
                              </Group>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollRegion>
                </>
              )}
            </Card>
          </SimpleGrid>
        );
      }}
    </QueryState>
  );
};
