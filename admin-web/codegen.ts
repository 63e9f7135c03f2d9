import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The typed GraphQL client: every operation written with `graphql(...)` in src/ gets its result and
 * variable types from the control plane's checked-in schema. `npm run codegen -w @mcpgate/admin-web`
 * regenerates src/generated/; src/codegen-fresh.spec.ts fails when it is stale.
 * documentMode "string": documents are plain strings at run time, so no GraphQL parser ships.
 */
const config: CodegenConfig = {
  schema: '../control-plane/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        // only what the console's operations use: schema additions elsewhere do not make it stale
        onlyOperationTypes: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>', ID: 'string' },
      },
    },
  },
};
export default config;
