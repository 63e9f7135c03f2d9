import type { CredentialEvent, VaultCiphertext } from '@mcpgate/contracts';

export type CredentialState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'deleted';
      readonly credentialId: string;
      readonly name: string;
      readonly kind: 'shared' | 'per-user';
      readonly description: string;
      readonly secret?: VaultCiphertext;
      /** Per-user secrets by `issuer subject`; sealed like every secret. */
      readonly perUser: ReadonlyMap<string, VaultCiphertext>;
      readonly rotatedAt?: string;
    };

export const initialCredentialState: CredentialState = { status: 'absent' };

export const perUserKey = (issuer: string, subject: string) => `${issuer} ${subject}`;

export const evolveCredential = (state: CredentialState, event: CredentialEvent): CredentialState => {
  switch (event.type) {
    case 'CredentialStored':
      return { status: 'active', ...event.data, perUser: new Map() };
    case 'CredentialRotated':
      return state.status === 'absent' ? state : { ...state, secret: event.data.secret, rotatedAt: event.metadata.time };
    case 'PerUserSecretStored':
      return state.status === 'absent'
        ? state
        : { ...state, perUser: new Map(state.perUser).set(perUserKey(event.data.issuer, event.data.subject), event.data.secret) };
    case 'CredentialDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted' };
  }
};
