import { GraphQLError, Kind, type ASTVisitor, type ValidationContext } from 'graphql';

export const MAX_QUERY_DEPTH = 8;
export const MAX_QUERY_FIELDS = 500;

/**
 * Validation rules against abusive queries: a maximum selection depth and a maximum number of
 * selected fields (fragments counted where they are spread). Rejected before any resolver runs.
 */
export const queryLimits = [
  (context: ValidationContext): ASTVisitor => {
    let depth = 0;
    let fields = 0;
    return {
      Field: {
        enter(node) {
          if (node.name.value.startsWith('__')) return;
          depth += 1;
          fields += 1;
          if (depth > MAX_QUERY_DEPTH) {
            context.reportError(new GraphQLError(`the query is nested deeper than ${MAX_QUERY_DEPTH} levels`, { nodes: [node], extensions: { code: 'VALIDATION', reason: 'graphql.too_deep' } }));
          }
          if (fields === MAX_QUERY_FIELDS + 1) {
            context.reportError(new GraphQLError(`the query selects more than ${MAX_QUERY_FIELDS} fields`, { nodes: [node], extensions: { code: 'VALIDATION', reason: 'graphql.too_many_fields' } }));
          }
        },
        leave(node) {
          if (node.kind === Kind.FIELD && !node.name.value.startsWith('__')) depth -= 1;
        },
      },
    };
  },
];
