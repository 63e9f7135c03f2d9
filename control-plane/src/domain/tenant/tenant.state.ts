import type { TenantEvent } from '@mcpgate/contracts';

export type TenantState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'suspended' | 'deleted';
      readonly tenantId: string;
      readonly slug: string;
      readonly displayName: string;
      readonly regions: readonly string[];
      readonly suspendedReason?: string;
      readonly retainUntil?: string;
    };

export const initialTenantState: TenantState = { status: 'absent' };

export const evolveTenant = (state: TenantState, event: TenantEvent): TenantState => {
  if (event.type === 'TenantCreated') {
    const { tenantId, slug, displayName, regions } = event.data;
    return { status: 'active', tenantId, slug, displayName, regions };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'TenantRenamed':
      return { ...state, displayName: event.data.displayName };
    case 'TenantRegionsChanged':
      return { ...state, regions: event.data.regions };
    case 'TenantSuspended':
      return { ...state, status: 'suspended', suspendedReason: event.data.reason };
    case 'TenantReactivated': {
      const { suspendedReason: _cleared, ...rest } = state;
      return { ...rest, status: 'active' };
    }
    case 'TenantDeleted':
      return { ...state, status: 'deleted', retainUntil: event.data.retainUntil };
  }
};
