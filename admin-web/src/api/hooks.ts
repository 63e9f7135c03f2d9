import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { TypedDocumentString } from '../generated/gql/graphql';
import type { ApiError } from './api-error';
import { request } from './graphql-client';

const operationName = (document: { toString(): string }): string => /(?:query|mutation)\s+(\w+)/.exec(document.toString())?.[1] ?? 'anonymous';

/** A cached query; its key is the operation name and variables, so equal queries share one request. */
export const useApiQuery = <TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: Omit<UseQueryOptions<TResult, ApiError>, 'queryKey' | 'queryFn'> = {},
) =>
  useQuery<TResult, ApiError>({
    queryKey: [operationName(document), variables],
    queryFn: () => (request as (d: unknown, v: unknown) => Promise<TResult>)(document, variables),
    ...options,
  });

/**
 * A mutation that refreshes every cached query once it succeeds. The read models follow the event
 * log asynchronously (milliseconds), so the refresh runs at once and again shortly after.
 */
export const useApiMutation = <TResult, TVariables extends Record<string, unknown>>(document: TypedDocumentString<TResult, TVariables>) => {
  const client = useQueryClient();
  return useMutation<TResult, ApiError, TVariables>({
    mutationFn: (variables) => (request as (d: unknown, v: unknown) => Promise<TResult>)(document, variables),
    onSuccess: () => {
      const refresh = () => void client.invalidateQueries();
      refresh();
      for (const delay of REFRESH_AFTER_MS) setTimeout(refresh, delay);
    },
  });
};
const REFRESH_AFTER_MS = [300, 1_500];
