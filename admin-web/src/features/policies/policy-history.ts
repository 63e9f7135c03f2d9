import { useApiQuery } from '../../api/hooks';
import { EffectivePolicyQuery, PolicyDiffQuery } from './policies.graphql';
import { positionText, type EffectivePolicy, type PolicyDiff } from './policy-model';

/**
 * Every policy change of the tenant with its log position: the diff from the start of the tenant's
 * partition to now. Positions from here feed the version diff and the effective-policy view.
 */
export const usePolicyHistory = (tenantId: string) => {
  const latest = useApiQuery(EffectivePolicyQuery, { tenantId, at: 'latest' });
  const position = (latest.data?.effectivePolicyAt as EffectivePolicy | undefined)?.position;
  const history = useApiQuery(PolicyDiffQuery, { tenantId, from: position ? `${position.partition}:0` : '', to: position ? positionText(position) : '' }, { enabled: Boolean(position) });
  return {
    isPending: latest.isPending || (Boolean(position) && history.isPending),
    error: latest.error ?? history.error,
    data: history.data ? (history.data.policyDiff as unknown as PolicyDiff).changedBy : undefined,
    refetch: () => {
      void latest.refetch();
      void history.refetch();
    },
  };
};
