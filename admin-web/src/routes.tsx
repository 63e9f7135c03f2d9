import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { LoginPage } from './auth/login-page';
import { RequireSession } from './auth/require-session';
import { AppLayout } from './layout/app-layout';

// one chunk per page: the initial bundle holds only the shell and the login page
const TenantsPage = lazy(() => import('./features/tenants/tenants-page').then((m) => ({ default: m.TenantsPage })));
const TenantOverviewPage = lazy(() => import('./features/overview/tenant-overview-page').then((m) => ({ default: m.TenantOverviewPage })));
const ServersPage = lazy(() => import('./features/servers/servers-page').then((m) => ({ default: m.ServersPage })));
const ServerEditPage = lazy(() => import('./features/servers/server-edit-page').then((m) => ({ default: m.ServerEditPage })));
const VirtualServersPage = lazy(() => import('./features/virtual-servers/virtual-servers-page').then((m) => ({ default: m.VirtualServersPage })));
const VirtualServerEditPage = lazy(() => import('./features/virtual-servers/virtual-server-edit-page').then((m) => ({ default: m.VirtualServerEditPage })));
const KeysPage = lazy(() => import('./features/keys/keys-page').then((m) => ({ default: m.KeysPage })));
const PoliciesPage = lazy(() => import('./features/policies/policies-page').then((m) => ({ default: m.PoliciesPage })));
const PolicyEditPage = lazy(() => import('./features/policies/policy-edit-page').then((m) => ({ default: m.PolicyEditPage })));
const BudgetsPage = lazy(() => import('./features/policies/budgets-page').then((m) => ({ default: m.BudgetsPage })));
const EffectivePolicyPage = lazy(() => import('./features/policies/effective-policy-page').then((m) => ({ default: m.EffectivePolicyPage })));
const MembersPage = lazy(() => import('./features/members/members-page').then((m) => ({ default: m.MembersPage })));
const RolloutPage = lazy(() => import('./features/rollout/rollout-page').then((m) => ({ default: m.RolloutPage })));
const AuditExplorerPage = lazy(() => import('./features/audit/audit-explorer-page').then((m) => ({ default: m.AuditExplorerPage })));
const AuditEventPage = lazy(() => import('./features/audit/audit-event-page').then((m) => ({ default: m.AuditEventPage })));
const CompliancePage = lazy(() => import('./features/compliance/compliance-page').then((m) => ({ default: m.CompliancePage })));
const ActivityPage = lazy(() => import('./features/activity/activity-page').then((m) => ({ default: m.ActivityPage })));
const IdentityProvidersPage = lazy(() => import('./features/identity-providers/identity-providers-page').then((m) => ({ default: m.IdentityProvidersPage })));

/** Every page has a URL (and its filters live in the query string), so any view can be shared. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/tenants" replace /> },
      { path: 'tenants', element: <TenantsPage /> },
      {
        path: 't/:tenantId',
        children: [
          { index: true, element: <TenantOverviewPage /> },
          { path: 'servers', element: <ServersPage /> },
          { path: 'servers/new', element: <ServerEditPage /> },
          { path: 'servers/:serverId', element: <ServerEditPage /> },
          { path: 'virtual-servers', element: <VirtualServersPage /> },
          { path: 'virtual-servers/new', element: <VirtualServerEditPage /> },
          { path: 'virtual-servers/:virtualServerId', element: <VirtualServerEditPage /> },
          { path: 'keys', element: <KeysPage /> },
          { path: 'policies', element: <PoliciesPage /> },
          { path: 'policies/new', element: <PolicyEditPage /> },
          { path: 'policies/effective', element: <EffectivePolicyPage /> },
          { path: 'policies/budgets', element: <BudgetsPage /> },
          { path: 'policies/:policyId', element: <PolicyEditPage /> },
          { path: 'members', element: <MembersPage /> },
          { path: 'identity-providers', element: <IdentityProvidersPage /> },
          { path: 'rollout', element: <RolloutPage /> },
          { path: 'audit', element: <AuditExplorerPage /> },
          { path: 'audit/:eventId', element: <AuditEventPage /> },
          { path: 'compliance', element: <CompliancePage /> },
          { path: 'activity', element: <ActivityPage /> },
        ],
      },
      { path: '*', element: <Navigate to="/tenants" replace /> },
    ],
  },
];
