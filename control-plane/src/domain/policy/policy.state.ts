import type { PolicyDocument, PolicyEvent } from '@mcpgate/contracts';

export type PolicyState =
  | { readonly status: 'absent' }
  | { readonly status: 'active' | 'deleted'; readonly policyId: string; readonly name: string; readonly description: string; readonly document: PolicyDocument };

export const initialPolicyState: PolicyState = { status: 'absent' };

export const evolvePolicy = (state: PolicyState, event: PolicyEvent): PolicyState => {
  switch (event.type) {
    case 'PolicyCreated':
      return { status: 'active', ...event.data };
    case 'PolicyUpdated':
      return state.status === 'absent' ? state : { ...state, document: event.data.document };
    case 'PolicyDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted' };
  }
};
