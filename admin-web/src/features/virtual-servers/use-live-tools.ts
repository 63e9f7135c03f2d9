import { useQueries } from '@tanstack/react-query';
import type { ApiError } from '../../api/api-error';
import { request } from '../../api/graphql-client';
import { UpstreamServerStatusQuery } from '../servers/server-status.graphql';

/**
 * The live tool names of several upstream servers (`upstreamServerStatus`), one cached query each,
 * shared with the server detail page's cache entries.
 */
export const useLiveTools = (tenantId: string, serverIds: readonly string[]) => {
  const results = useQueries({
    queries: serverIds.map((upstreamServerId) => ({
      queryKey: ['UpstreamServerStatus', { tenantId, upstreamServerId }],
      queryFn: () => request(UpstreamServerStatusQuery, { tenantId, upstreamServerId }),
      staleTime: 15_000,
    })),
  });
  const byServer = new Map<string, { tools: string[] | undefined; error: ApiError | null; pending: boolean }>();
  serverIds.forEach((id, index) => {
    const r = results[index]!;
    byServer.set(id, { tools: r.data?.upstreamServerStatus.tools.map((t) => t.name), error: (r.error as ApiError | null) ?? null, pending: r.isPending });
  });
  return byServer;
};
