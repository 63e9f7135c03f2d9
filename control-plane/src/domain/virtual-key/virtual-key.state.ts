import type { VirtualKeyEvent, VirtualKeyScopes } from '@mcpgate/contracts';

export type VirtualKeyState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'revoked';
      readonly keyId: string;
      readonly name: string;
      readonly keyPrefix: string;
      readonly secretHash: string;
      readonly previousSecretHash?: string;
      readonly previousValidUntil?: string;
      readonly scopes: VirtualKeyScopes;
      readonly expiresAt?: string;
      readonly issuedAt: string;
      readonly revokedReason?: string;
    };

export const initialVirtualKeyState: VirtualKeyState = { status: 'absent' };

/** `time` is the event's time from its metadata: when a key was issued is part of its state. */
export const evolveVirtualKey = (state: VirtualKeyState, event: VirtualKeyEvent): VirtualKeyState => {
  switch (event.type) {
    case 'VirtualKeyIssued': {
      const { keyId, name, keyPrefix, secretHash, scopes, expiresAt } = event.data;
      return { status: 'active', keyId, name, keyPrefix, secretHash, scopes, issuedAt: event.metadata.time, ...(expiresAt ? { expiresAt } : {}) };
    }
    case 'VirtualKeyRotated': {
      if (state.status === 'absent') return state;
      const { previousValidUntil: _old, previousSecretHash: _oldHash, ...rest } = state;
      const grace = event.data.previousValidUntil;
      return {
        ...rest,
        keyPrefix: event.data.keyPrefix,
        secretHash: event.data.secretHash,
        ...(grace ? { previousSecretHash: state.secretHash, previousValidUntil: grace } : {}),
      };
    }
    case 'VirtualKeyRevoked':
      return state.status === 'absent' ? state : { ...state, status: 'revoked', revokedReason: event.data.reason };
  }
};
