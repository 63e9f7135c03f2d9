import type { BindingSubject, Permission, RoleBindingEvent, RoleEvent } from '@mcpgate/contracts';

export type RoleState =
  | { readonly status: 'absent' }
  | { readonly status: 'active' | 'deleted'; readonly roleId: string; readonly name: string; readonly description: string; readonly permissions: readonly Permission[] };

export const initialRoleState: RoleState = { status: 'absent' };

export const evolveRole = (state: RoleState, event: RoleEvent): RoleState => {
  switch (event.type) {
    case 'RoleCreated':
      return { status: 'active', ...event.data };
    case 'RolePermissionsChanged':
      return state.status === 'absent' ? state : { ...state, permissions: event.data.permissions, description: event.data.description ?? state.description };
    case 'RoleDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted' };
  }
};

export type RoleBindingState =
  | { readonly status: 'absent' }
  | { readonly status: 'active' | 'removed'; readonly bindingId: string; readonly subject: BindingSubject; readonly role: string };

export const initialRoleBindingState: RoleBindingState = { status: 'absent' };

export const evolveRoleBinding = (state: RoleBindingState, event: RoleBindingEvent): RoleBindingState => {
  switch (event.type) {
    case 'RoleBindingCreated':
      return { status: 'active', ...event.data };
    case 'RoleBindingRemoved':
      return state.status === 'absent' ? state : { ...state, status: 'removed' };
  }
};
