import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphqlObserver } from '../../infra/metrics/control-plane-metrics.js';

/** An error code as a label: the stable codes of formatError (VALIDATION, FORBIDDEN …) or ERROR. */
const outcomeLabel = (code: unknown): string => (typeof code === 'string' && /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : 'ERROR');

/**
 * Times every GraphQL operation over HTTP (queries and mutations; subscriptions run over graphql-ws
 * outside Apollo's request pipeline) by operation type, root field and outcome. An operation that
 * never resolved (unparsable or invalid) is counted as `invalid`, so no label comes from client text.
 */
export const graphqlMetricsPlugin = (observer: GraphqlObserver): ApolloServerPlugin => ({
  requestDidStart() {
    const started = performance.now();
    return Promise.resolve({
      willSendResponse({ operation, response }) {
        const root = operation?.selectionSet.selections.find((s) => s.kind === 'Field');
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const outcome = errors?.length ? outcomeLabel(errors[0]?.extensions?.['code']) : 'ok';
        observer.observe(operation?.operation ?? 'invalid', root?.kind === 'Field' ? root.name.value : 'invalid', outcome, (performance.now() - started) / 1000);
        return Promise.resolve();
      },
    });
  },
});
