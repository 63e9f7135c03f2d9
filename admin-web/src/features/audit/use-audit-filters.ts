import { useRef } from 'react';
import { useSearchParams } from 'react-router';
import { filtersFromParams, filtersToParams, type AuditFilterState } from './audit-filters';

/**
 * The explorer's filters, kept in the query string so every filtered view is a shareable link.
 * `set` merges a change into the latest query string (not its render's copy), as useUrlFilter does.
 */
export const useAuditFilters = (): [AuditFilterState, (patch: Partial<AuditFilterState>) => void] => {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  latest.current = params;
  const state = filtersFromParams(params);
  const set = (patch: Partial<AuditFilterState>) => {
    const updated = filtersToParams({ ...filtersFromParams(latest.current), ...patch }, latest.current);
    latest.current = updated;
    setParams(updated, { replace: true });
  };
  return [state, set];
};
