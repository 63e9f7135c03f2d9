/** Test helpers that derive many near-valid JSON documents from a valid one (for checking validators against zod). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Container = Json[] | { [key: string]: Json };
const at = (root: Json, path: readonly (string | number)[]): Json => path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, root);
export const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

/** A string of `units` UTF-16 units and half as many code points. */
export const astral = (units: number) => '😀'.repeat(Math.ceil(units / 2));

/**
 * Every document made from `root` by deleting one field (or item), replacing it with each of
 * `replacements`, or adding an unknown field to an object; with what was changed.
 */
export function* mutations(root: Json, replacements: readonly Json[], path: (string | number)[] = []): Generator<[document: Json, change: string]> {
  const node = at(root, path);
  if (typeof node !== 'object' || node === null) return;
  const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  for (const key of keys) {
    for (const replacement of [undefined, ...replacements]) {
      const next = clone(root);
      const container = at(next, path) as Container;
      if (replacement !== undefined) (container as Record<string | number, Json>)[key] = replacement;
      else if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
      yield [next, `${[...path, key].join('.')} ${replacement === undefined ? 'deleted' : `= ${JSON.stringify(replacement).slice(0, 40)}`}`];
    }
    yield* mutations(root, replacements, [...path, key]);
  }
  if (!Array.isArray(node)) {
    const extra = clone(root);
    (at(extra, path) as { [key: string]: Json })['unknownField'] = 1;
    yield [extra, `${[...path, 'unknownField'].join('.')} added`];
  }
}
