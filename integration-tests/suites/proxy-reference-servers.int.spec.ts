/**
 * The MCP reference servers behind the proxy, and the MCP inspector CLI in front of it:
 * `server-filesystem` and `server-memory` as stdio upstreams with the SDK client as the agent, and
 * `mcp-inspector-cli --cli` (1.0.3) against `server-everything` (Streamable HTTP), anonymous and
 * with a virtual key.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runInspectorCli, stopInspectorClis } from '../src/inspector-cli.js';
import { httpUpstream, startEverythingServer, type StartedEverythingServer } from '../src/mcp-peers.js';
import { connectAgent, startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

const resolve = createRequire(import.meta.url).resolve;
const filesystemEntry = resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const memoryEntry = resolve('@modelcontextprotocol/server-memory/dist/index.js');

/** The text of a tool result's first content item. */
const textOf = (result: unknown): string => {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
};

describe('reference MCP servers and the inspector CLI through the proxy', () => {
  // realpath: server-filesystem compares resolved paths (a symlinked TMPDIR would not match)
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'mcpgate-refservers-')));
  const allowed = join(scratch, 'allowed');
  const outside = join(scratch, 'outside');
  const memoryFile = join(scratch, 'memory.jsonl');
  const keyed = virtualKey('vk_inspector0001', ['vsr_keyedevery01']);
  let everything: StartedEverythingServer;
  let gw: TestProxy;

  beforeAll(async () => {
    mkdirSync(allowed);
    mkdirSync(outside);
    writeFileSync(join(allowed, 'seed.txt'), 'planted by the test\n');
    writeFileSync(join(outside, 'secret.txt'), 'must not be readable through the proxy\n');
    [everything, gw] = await Promise.all([startEverythingServer(), startTestProxy({ proxyId: 'refservers' })]);
    gw.publish(
      tenantSnapshot({
        upstreams: [
          { id: 'srv_filesystem01', config: { name: 'filesystem', connection: { transport: 'stdio', endpoints: [{ id: 'local', command: process.execPath, args: [filesystemEntry, allowed] }] }, regions: ['eu-west-1'] } },
          { id: 'srv_memory000001', config: { name: 'memory', connection: { transport: 'stdio', endpoints: [{ id: 'local', command: process.execPath, args: [memoryEntry], env: { MEMORY_FILE_PATH: memoryFile } }] }, regions: ['eu-west-1'] } },
          httpUpstream('srv_everything01', 'everything', everything.url),
        ],
        virtualServers: [
          { id: 'vsr_filesystem01', name: 'files', prefixMode: 'never', upstreams: [{ serverId: 'srv_filesystem01', tools: ['*'] }], anonymousAccess: true },
          { id: 'vsr_memory000001', name: 'memory', prefixMode: 'never', upstreams: [{ serverId: 'srv_memory000001', tools: ['*'] }], anonymousAccess: true },
          { id: 'vsr_openevery001', name: 'everything', prefixMode: 'never', upstreams: [{ serverId: 'srv_everything01', tools: ['*'] }], anonymousAccess: true },
          { id: 'vsr_keyedevery01', name: 'everything-keyed', prefixMode: 'never', upstreams: [{ serverId: 'srv_everything01', tools: ['get-sum', 'echo'] }], anonymousAccess: false },
        ],
        keys: [keyed.key],
      }),
    );
  });
  afterAll(async () => {
    stopInspectorClis();
    await gw?.close();
    await everything?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const clients: Client[] = [];
  /** An SDK agent with no capabilities at all (in particular not `roots`), closed after the test. */
  const agent = async (vs: string) => {
    const client = await connectAgent(`${gw.url}/t/acme/mcp/${vs}`);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  });

  describe('server-filesystem (stdio)', () => {
    it('keeps the directory it was started with: an agent without roots cannot replace it', async () => {
      const client = await agent('files');
      expect(client.getServerCapabilities()?.tools).toBeDefined();
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['list_directory', 'write_file', 'read_text_file', 'list_allowed_directories']));
      expect(textOf(await client.callTool({ name: 'list_allowed_directories', arguments: {} }))).toContain(allowed);
    });

    it('lists, writes and reads inside its directory, and the file is on disk', async () => {
      const client = await agent('files');
      expect(textOf(await client.callTool({ name: 'list_directory', arguments: { path: allowed } }))).toContain('[FILE] seed.txt');
      const target = join(allowed, 'written-through-the-proxy.txt');
      const write = await client.callTool({ name: 'write_file', arguments: { path: target, content: 'hello from the agent\nline 2' } });
      expect(write.isError).toBeFalsy();
      expect(readFileSync(target, 'utf8')).toBe('hello from the agent\nline 2');
      const read = await client.callTool({ name: 'read_text_file', arguments: { path: target } });
      expect(textOf(read)).toBe('hello from the agent\nline 2');
      expect(textOf(await client.callTool({ name: 'list_directory', arguments: { path: allowed } }))).toContain('[FILE] written-through-the-proxy.txt');
    });

    it('refuses paths outside its directory, given directly or with ..', async () => {
      const client = await agent('files');
      for (const path of [join(outside, 'secret.txt'), `${allowed}/../outside/secret.txt`, '/etc/hostname']) {
        const read = await client.callTool({ name: 'read_text_file', arguments: { path } });
        expect(read.isError, path).toBe(true);
        expect(textOf(read)).toMatch(/access denied|outside allowed/i);
        expect(textOf(read)).not.toContain('must not be readable');
      }
      const escape = join(outside, 'planted.txt');
      const write = await client.callTool({ name: 'write_file', arguments: { path: escape, content: 'x' } });
      expect(write.isError).toBe(true);
      expect(existsSync(escape)).toBe(false);
    });
  });

  describe('server-memory (stdio)', () => {
    it('creates an entity, reads it back in the graph, and has it in MEMORY_FILE_PATH', async () => {
      const client = await agent('memory');
      const created = await client.callTool({
        name: 'create_entities',
        arguments: { entities: [{ name: 'mcpgate-proxy', entityType: 'service', observations: ['stored through the gateway'] }] },
      });
      expect(created.isError).toBeFalsy();
      const graph = JSON.parse(textOf(await client.callTool({ name: 'read_graph', arguments: {} }))) as { entities: { name: string; entityType: string; observations: string[] }[] };
      expect(graph.entities).toContainEqual({ name: 'mcpgate-proxy', entityType: 'service', observations: ['stored through the gateway'] });
      const lines = readFileSync(memoryFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toContainEqual(expect.objectContaining({ type: 'entity', name: 'mcpgate-proxy', entityType: 'service' }));
    });

    it('gives a new session (a new child) the graph from the file', async () => {
      const client = await agent('memory');
      const found = JSON.parse(textOf(await client.callTool({ name: 'open_nodes', arguments: { names: ['mcpgate-proxy'] } }))) as { entities: { name: string }[] };
      expect(found.entities.map((e) => e.name)).toEqual(['mcpgate-proxy']);
    });
  });

  describe('mcp-inspector-cli 1.0.3 as the agent (server-everything upstream)', () => {
    // a URL ending in /mcp is Streamable HTTP to the CLI; /t/acme/mcp/<vs> does not end so (it
    // would pick legacy SSE), hence --transport http there
    it('lists tools on an anonymous virtual server', async () => {
      const run = await runInspectorCli([`${gw.url}/t/acme/mcp/everything`, '--transport', 'http', '--method', 'tools/list']);
      expect(run.code, run.stderr).toBe(0);
      const names = (run.json as { tools: { name: string }[] }).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env']));
    });

    it('calls get-sum with --tool-arg a=2 b=40', async () => {
      const run = await runInspectorCli([`${gw.url}/t/acme/mcp/everything`, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'get-sum', '--tool-arg', 'a=2', 'b=40']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('42') }] });
      expect((run.json as { isError?: boolean }).isError).toBeFalsy();
    });

    it('uses a virtual key given with --header, and is refused without it', async () => {
      const url = `${gw.url}/t/acme/mcp/everything-keyed`;
      const listed = await runInspectorCli([url, '--transport', 'http', '--method', 'tools/list', '--header', `Authorization: Bearer ${keyed.secret}`]);
      expect(listed.code, listed.stderr).toBe(0);
      expect((listed.json as { tools: { name: string }[] }).tools.map((t) => t.name).sort()).toEqual(['echo', 'get-sum']);
      const called = await runInspectorCli([url, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'get-sum', '--tool-arg', 'a=2', 'b=40', '--header', `Authorization: Bearer ${keyed.secret}`]);
      expect(called.code, called.stderr).toBe(0);
      expect(called.json).toMatchObject({ content: [{ type: 'text', text: expect.stringContaining('42') }] });
      const refused = await runInspectorCli([url, '--transport', 'http', '--method', 'tools/list']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/401|unauthorized/i);
    });

    it('auto-detects Streamable HTTP on /t/acme/mcp, where the key picks its only virtual server', async () => {
      const run = await runInspectorCli([`${gw.url}/t/acme/mcp`, '--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'message=auto', '--header', `Authorization: Bearer ${keyed.secret}`]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ content: [{ type: 'text', text: 'Echo: auto' }] });
    });
  });
});
