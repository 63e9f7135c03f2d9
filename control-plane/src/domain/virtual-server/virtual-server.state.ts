import type { VirtualServerConfig, VirtualServerEvent } from '@mcpgate/contracts';

export type VirtualServerState =
  | { readonly status: 'absent' }
  | { readonly status: 'active' | 'deleted'; readonly virtualServerId: string; readonly config: VirtualServerConfig };

export const initialVirtualServerState: VirtualServerState = { status: 'absent' };

export const evolveVirtualServer = (state: VirtualServerState, event: VirtualServerEvent): VirtualServerState => {
  switch (event.type) {
    case 'VirtualServerCreated':
      return { status: 'active', virtualServerId: event.data.virtualServerId, config: event.data.config };
    case 'VirtualServerReconfigured':
      return state.status === 'absent' ? state : { ...state, config: event.data.config };
    case 'VirtualServerDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted' };
  }
};
