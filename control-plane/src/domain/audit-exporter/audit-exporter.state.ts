import type { AuditExporterEvent, ExporterDelivery, ExporterDestination } from '@mcpgate/contracts';

export type AuditExporterState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'active' | 'deleted';
      readonly exporterId: string;
      readonly name: string;
      readonly destination: ExporterDestination;
      readonly delivery: ExporterDelivery;
      readonly startFrom: 'earliest' | 'latest';
      readonly enabled: boolean;
      readonly createdAt: string;
      readonly updatedAt: string;
    };

export const initialAuditExporterState: AuditExporterState = { status: 'absent' };

export const evolveAuditExporter = (state: AuditExporterState, event: AuditExporterEvent): AuditExporterState => {
  const at = event.metadata.time;
  switch (event.type) {
    case 'AuditExporterCreated':
      return { status: 'active', ...event.data, createdAt: at, updatedAt: at };
    case 'AuditExporterReconfigured':
      return state.status === 'absent' ? state : { ...state, ...event.data, updatedAt: at };
    case 'AuditExporterEnabled':
      return state.status === 'absent' ? state : { ...state, enabled: true, updatedAt: at };
    case 'AuditExporterDisabled':
      return state.status === 'absent' ? state : { ...state, enabled: false, updatedAt: at };
    case 'AuditExporterDeleted':
      return state.status === 'absent' ? state : { ...state, status: 'deleted', enabled: false, updatedAt: at };
  }
};
