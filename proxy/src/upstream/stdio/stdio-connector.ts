import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage } from '../../mcp/jsonrpc.js';
import { ConnectionError, type Connector, type UpstreamConnection } from '../connection/connection-upstream.js';
import type { UpstreamTarget } from '../upstream.js';
import type { StdioProcessPool } from './stdio-process-pool.js';

/** stdio children as upstream connections: the endpoint's command with its environment plus the credential's. */
export class StdioConnector implements Connector {
  constructor(private readonly pool: StdioProcessPool) {}

  async open(key: string, target: UpstreamTarget): Promise<UpstreamConnection> {
    if (!('command' in target.endpoint)) throw new ConnectionError(`endpoint ${target.endpointId} of ${target.serverId} is not a stdio command`);
    const child = await this.pool.acquire(key, {
      command: target.endpoint.command,
      args: target.endpoint.args,
      env: { ...target.endpoint.env, ...target.env },
      ...(target.endpoint.cwd ? { cwd: target.endpoint.cwd } : {}),
    });
    return {
      key,
      get alive() {
        return child.alive;
      },
      send: (message) => child.send(message as JSONRPCMessage),
      onMessage: (listener) => child.onMessage((message) => listener(message as JsonRpcMessage)),
      onExit: (listener) => child.onExit((info) => listener({ reason: info.reason })),
    };
  }

  close(key: string): Promise<void> {
    return this.pool.release(key);
  }

  touch(key: string): void {
    this.pool.touch(key);
  }

  size(): number {
    return this.pool.size();
  }

  closeAll(): Promise<void> {
    return this.pool.closeAll();
  }
}
