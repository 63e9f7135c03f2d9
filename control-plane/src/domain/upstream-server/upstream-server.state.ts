import type { UpstreamServerConfig, UpstreamServerEvent } from '@mcpgate/contracts';

export type UpstreamServerState =
  | { readonly status: 'absent' }
  | { readonly status: 'active' | 'removed'; readonly serverId: string; readonly config: UpstreamServerConfig };

export const initialUpstreamServerState: UpstreamServerState = { status: 'absent' };

export const evolveUpstreamServer = (state: UpstreamServerState, event: UpstreamServerEvent): UpstreamServerState => {
  switch (event.type) {
    case 'UpstreamServerRegistered':
      return { status: 'active', serverId: event.data.serverId, config: event.data.config };
    case 'UpstreamServerReconfigured':
      return state.status === 'absent' ? state : { ...state, config: event.data.config };
    case 'UpstreamServerRemoved':
      return state.status === 'absent' ? state : { ...state, status: 'removed' };
  }
};
