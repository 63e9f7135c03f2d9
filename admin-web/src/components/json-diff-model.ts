export type DiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** One leaf of two JSON documents compared: its path, both values (JSON text) and how it changed. */
export interface DiffRow {
  readonly path: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly status: DiffStatus;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaves by path (`a.b[0].c`); empty objects and arrays are leaves of their own. */
const flatten = (value: unknown, path: string, into: Map<string, string>): Map<string, string> => {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, into);
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((child, index) => flatten(child, `${path}[${index}]`, into));
  } else if (value !== undefined) {
    into.set(path || '(value)', JSON.stringify(value));
  }
  return into;
};

/**
 * Compares two JSON documents leaf by leaf, in the order the paths first appear (before's, then
 * what only after has), so a side-by-side view lines up. `undefined` stands for "no document".
 */
export const diffJson = (before: unknown, after: unknown): DiffRow[] => {
  const left = flatten(before, '', new Map());
  const right = flatten(after, '', new Map());
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  return paths.map((path) => {
    const b = left.get(path);
    const a = right.get(path);
    const status: DiffStatus = b === undefined ? 'added' : a === undefined ? 'removed' : a === b ? 'unchanged' : 'changed';
    return { path, before: b, after: a, status };
  });
};
