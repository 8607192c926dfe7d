/**
 * Typed documents from the gateway's printed schema (../../schema.graphql, kept fresh by the
 * gateway's own `npm test`). The client preset writes src/gql/: a `graphql()` function whose
 * result is typed by the document given to it, and, with persistedDocuments, a manifest of
 * document id to text that the gateway takes as --trusted-documents.
 *
 * `npm run codegen` (here) regenerates src/gql/; the root `npm test` fails when it is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  overwrite: true,
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: true,
      },
      config: {
        // Documents as strings with their id: no graphql-js in the browser bundle.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
