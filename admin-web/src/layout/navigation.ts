/** The console's tenant pages: path under /t/:tenantId, label, and the permission that shows it. */
export const TENANT_SECTIONS = [
  { path: '', label: 'Overview', permission: 'tenant:read' },
  { path: 'servers', label: 'Upstream servers', permission: 'server:read' },
  { path: 'virtual-servers', label: 'Virtual servers', permission: 'virtual-server:read' },
  { path: 'keys', label: 'Virtual keys', permission: 'key:read' },
  { path: 'policies', label: 'Policies', permission: 'policy:read' },
  { path: 'members', label: 'Members and roles', permission: 'member:read' },
  { path: 'identity-providers', label: 'Identity providers', permission: 'idp:read' },
  { path: 'rollout', label: 'Rollout', permission: 'rollout:read' },
  { path: 'audit', label: 'Audit explorer', permission: 'audit:read' },
  { path: 'compliance', label: 'Compliance', permission: 'audit:verify' },
  { path: 'activity', label: 'Admin activity', permission: 'activity:read' },
] as const;

export const tenantPath = (tenantId: string, section = ''): string => `/t/${encodeURIComponent(tenantId)}${section ? `/${section}` : ''}`;
