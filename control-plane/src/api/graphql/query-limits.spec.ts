import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_DEPTH, queryLimits } from './query-limits.js';

const schema = buildSchema('type Node { id: ID, child: Node } type Query { node: Node }');
/** A query whose deepest field (the leaf `id`) sits `levels` fields deep. */
const nested = (levels: number) => `{ node { ${'child { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('queryLimits', () => {
  it(`accepts a query ${MAX_QUERY_DEPTH} levels deep and refuses one level more`, () => {
    expect(validate(schema, parse(nested(MAX_QUERY_DEPTH)), queryLimits)).toEqual([]);
    const errors = validate(schema, parse(nested(MAX_QUERY_DEPTH + 1)), queryLimits);
    expect(errors.map((e) => e.extensions['reason'])).toEqual(['graphql.too_deep']);
  });
});
