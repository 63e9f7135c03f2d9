import { describe, expect, it } from 'vitest';
import { clientConfigs, mcpUrl } from './client-config';

describe(clientConfigs.name, () => {
  const secret = 'mcpg_AbCdEfGh_secret';
  const url = mcpUrl('http://127.0.0.1:8080/', 'acme', 'tools');

  it('builds the tenant route of the virtual server', () => {
    expect(url).toBe('http://127.0.0.1:8080/t/acme/mcp/tools');
  });

  it('gives Claude Code a command line and Cursor and VS Code their JSON files, each with the bearer secret', () => {
    const sut = clientConfigs({ name: 'mcpgate tools', url, secret });
    expect(sut.map((c) => c.client)).toEqual(['Claude Code', 'Cursor', 'VS Code']);
    expect(sut[0]!.text).toBe(`claude mcp add --transport http mcpgate-tools ${url} --header "Authorization: Bearer ${secret}"`);
    expect(JSON.parse(sut[1]!.text)).toEqual({ mcpServers: { 'mcpgate-tools': { url, headers: { Authorization: `Bearer ${secret}` } } } });
    expect(JSON.parse(sut[2]!.text)).toEqual({ servers: { 'mcpgate-tools': { type: 'http', url, headers: { Authorization: `Bearer ${secret}` } } } });
  });
});
