import { useCallback, useState } from 'react';

/**
 * State kept in sessionStorage under `key`: what a user typed survives a session expiry (the trip
 * to the login page and back) and a reload, until they save or discard it.
 */
export const useDraft = <T,>(key: string, initial: T) => {
  const storageKey = `mcpgate.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    const stored = sessionStorage.getItem(storageKey);
    if (stored === null) return initial;
    try {
      return JSON.parse(stored) as T;
    } catch {
      return initial;
    }
  });
  const update = useCallback(
    (next: T) => {
      setValue(next);
      sessionStorage.setItem(storageKey, JSON.stringify(next));
    },
    [storageKey],
  );
  const clear = useCallback(() => sessionStorage.removeItem(storageKey), [storageKey]);
  return [value, update, clear] as const;
};
