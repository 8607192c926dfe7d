/**
 * Builds the dashboard into dist/, with the trusted-documents manifest beside it
 * (dist/persisted-documents.json, the one graphql-codegen wrote to src/gql/), which the gateway
 * takes as --trusted-documents. `vite dev` proxies /graphql to a gateway on port 4000.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

const MANIFEST = new URL('./src/gql/persisted-documents.json', import.meta.url);

function trustedDocumentsManifest(): Plugin {
  return {
    name: 'trusted-documents-manifest',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'persisted-documents.json',
        source: readFileSync(MANIFEST, 'utf8'),
      });
    },
  };
}

export default defineConfig(({ command }) => ({
  // A build sends documents by id only (the gateway runs it with --trusted-documents); the dev
  // server sends their text. Decided by the command, not NODE_ENV, which test runners set.
  define: { __SEND_DOCUMENT_IDS__: JSON.stringify(command === 'build') },
  plugins: [trustedDocumentsManifest()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: false, ws: true } },
  },
}));
