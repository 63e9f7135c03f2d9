import { useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The query string this page last asked the router for, with the router's params it was built on:
 * until the router renders it, every filter builds on it, so setting two filters in quick succession
 * (a range, then its end) keeps both. Module-wide because each filter is its own hook.
 */
let pending: { readonly base: string; readonly next: URLSearchParams } | undefined;

/**
 * One filter kept in the URL's query string, so a filtered view can be shared as a link. The setter
 * starts from the latest query string: the router's as of the last render (a ref, not its render's
 * copy, so widgets that keep an older onChange, like Mantine's comboboxes, cannot drop another
 * filter set since), or the update asked for on top of it that the router has not rendered yet.
 */
export const useUrlFilter = (name: string, fallback = ''): [string, (value: string) => void] => {
  const [params, setParams] = useSearchParams();
  const rendered = useRef(params);
  rendered.current = params;
  // the router shows something else now (the update, or another page): nothing is pending any more
  if (pending && params.toString() !== pending.base) pending = undefined;
  const value = params.get(name) ?? fallback;
  const set = (next: string) => {
    const current = rendered.current;
    // each hook has its own params object: compared by their text
    const updated = new URLSearchParams(pending?.base === current.toString() ? pending.next : current);
    if (next && next !== fallback) updated.set(name, next);
    else updated.delete(name);
    pending = { base: current.toString(), next: updated };
    setParams(updated, { replace: true });
  };
  return [value, set];
};
