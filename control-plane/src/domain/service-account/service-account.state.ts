import type { Permission, ServiceAccountEvent } from '@mcpgate/contracts';

export interface ApiTokenState {
  readonly tokenId: string;
  readonly tokenPrefix: string;
  readonly secretHash: string;
  readonly issuedAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

export type ServiceAccountState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'deleted';
      readonly serviceAccountId: string;
      readonly name: string;
      readonly description: string;
      readonly permissions: readonly Permission[];
      readonly tokens: ReadonlyMap<string, ApiTokenState>;
    };

export const initialServiceAccountState: ServiceAccountState = { status: 'absent' };

export const evolveServiceAccount = (state: ServiceAccountState, event: ServiceAccountEvent): ServiceAccountState => {
  switch (event.type) {
    case 'ServiceAccountCreated': {
      const { serviceAccountId, name, description, permissions } = event.data;
      return { status: 'active', serviceAccountId, name, description, permissions, tokens: new Map() };
    }
    case 'ApiTokenIssued': {
      if (state.status === 'absent') return state;
      const { tokenId, tokenPrefix, secretHash, expiresAt } = event.data;
      const token: ApiTokenState = { tokenId, tokenPrefix, secretHash, issuedAt: event.metadata.time, ...(expiresAt ? { expiresAt } : {}) };
      return { ...state, tokens: new Map(state.tokens).set(tokenId, token) };
    }
    case 'ApiTokenRevoked': {
      const token = state.status === 'absent' ? undefined : state.tokens.get(event.data.tokenId);
      if (state.status === 'absent' || !token) return state;
      return { ...state, tokens: new Map(state.tokens).set(token.tokenId, { ...token, revokedAt: event.metadata.time }) };
    }
    case 'ServiceAccountDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted' };
  }
};
