import type { IdentityProviderConfig, IdentityProviderEvent } from '@mcpgate/contracts';

export type IdentityProviderState =
  | { readonly status: 'absent' }
  | ({ readonly status: 'active' | 'removed'; readonly identityProviderId: string } & Readonly<IdentityProviderConfig>);

export const initialIdentityProviderState: IdentityProviderState = { status: 'absent' };

/** A removed id can be registered again: the stream continues and the provider is active anew. */
export const evolveIdentityProvider = (state: IdentityProviderState, event: IdentityProviderEvent): IdentityProviderState => {
  switch (event.type) {
    case 'IdentityProviderRegistered':
      return { status: 'active', ...event.data };
    case 'IdentityProviderReconfigured':
      return state.status === 'absent' ? state : { ...state, ...event.data };
    case 'IdentityProviderRemoved':
      return state.status === 'absent' ? state : { ...state, status: 'removed' };
  }
};
