import { useApiQuery } from '../api/hooks';
import { TenantPermissionsQuery } from './session.graphql';
import { useSession } from './session-context';

/**
 * What the user may do in a tenant, as the API reports it (`myPermissions`). The console hides what
 * is not allowed; the server checks every operation again regardless.
 */
export const useTenantPermissions = (tenantId: string | undefined) => {
  const session = useSession();
  const query = useApiQuery(TenantPermissionsQuery, { tenantId: tenantId ?? '' }, { enabled: Boolean(tenantId), staleTime: 30_000 });
  const granted = new Set<string>(query.data?.myPermissions ?? session.platformPermissions);
  return { can: (permission: string) => granted.has(permission), loading: query.isPending && Boolean(tenantId) };
};
