import { useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * One filter kept in the URL's query string, so a filtered view can be shared as a link. The setter
 * starts from the latest query string (a ref, not its render's copy), so widgets that keep an older
 * onChange (Mantine's comboboxes) cannot drop another filter set since.
 */
export const useUrlFilter = (name: string, fallback = ''): [string, (value: string) => void] => {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  latest.current = params;
  const value = params.get(name) ?? fallback;
  const set = (next: string) => {
    const updated = new URLSearchParams(latest.current);
    if (next && next !== fallback) updated.set(name, next);
    else updated.delete(name);
    latest.current = updated;
    setParams(updated, { replace: true });
  };
  return [value, set];
};
