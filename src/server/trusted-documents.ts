/**
 * Trusted documents (`--trusted-documents FILE`): the gateway runs only the operations a frontend
 * build shipped, sent by their id, and refuses anything else with `PERSISTED_QUERY_ONLY`.
 *
 * The file is the persisted-documents manifest that graphql-codegen's client preset writes
 * (`persistedDocuments: true`): a JSON object of id to document text, ids being `sha256:<hex>`.
 * Clients send an id as the GraphQL-over-HTTP draft's persisted-documents appendix says, which is
 * what the client preset's ids are made for: `{"documentId": "sha256:…", "variables": …}` in a
 * POST body, or `?documentId=sha256:…` on a GET. Apollo's persisted-query link (an
 * `extensions.persistedQuery.sha256Hash` of the same hex) is understood too.
 *
 * The file is read and checked with the other settings (`config/values.ts`).
 *
 * HTTP and SSE go through yoga's persisted-operations plugin; graphql-ws operations do not pass
 * yoga's request parsing, so `ws.ts` asks `resolve()` directly. Both give the same errors.
 */
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const PERSISTED_QUERY_ONLY = 'PERSISTED_QUERY_ONLY';

/** The parts of a GraphQL request that can name a document. */
export interface DocumentParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

function refused(message: string): GraphQLError {
  return createGraphQLError(message, {
    extensions: { code: PERSISTED_QUERY_ONLY, http: { status: 400 } },
  });
}

const ONLY_TRUSTED =
  'This gateway runs only trusted documents: send a documentId from its persisted-documents manifest instead of the document text.';

export class TrustedDocuments {
  private readonly documents: ReadonlyMap<string, string>;

  /** @param manifest id (`sha256:<hex>`) to document text, as the client preset writes it. */
  constructor(manifest: Readonly<Record<string, string>>) {
    this.documents = new Map(Object.entries(manifest));
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document text of an id, or undefined. */
  get(id: string): string | undefined {
    return this.documents.get(id);
  }

  /** The id a request names, if any: `documentId`, else Apollo's persisted-query hash. */
  idOf(params: DocumentParams, request?: Request): string | undefined {
    if (typeof params.documentId === 'string' && params.documentId !== '') return params.documentId;
    const fromUrl = request ? new URL(request.url).searchParams.get('documentId') : null;
    if (fromUrl) return fromUrl;
    const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } })
      ?.persistedQuery;
    if (persisted?.version === 1 && typeof persisted.sha256Hash === 'string') {
      return `sha256:${persisted.sha256Hash}`;
    }
    return undefined;
  }

  /** The document a request may run, or the error that refuses it. */
  resolve(params: DocumentParams): { query: string } | { error: GraphQLError } {
    if (typeof params.query === 'string' && params.query !== '') return { error: refused(ONLY_TRUSTED) };
    const id = this.idOf(params);
    if (id === undefined) return { error: refused(ONLY_TRUSTED) };
    const query = this.get(id);
    return query === undefined ? { error: unknownId(id) } : { query };
  }
}

function unknownId(id: string): GraphQLError {
  // The id is echoed only when it looks like one, never arbitrary text from the request.
  const shown = /^(sha256:)?[0-9a-f]{1,64}$/i.test(id) ? ` ${id}` : '';
  return refused(`No trusted document has the id${shown}: this gateway runs only its trusted documents.`);
}

/** yoga's persisted-operations plugin, answering every refusal with `PERSISTED_QUERY_ONLY`. */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params, request) =>
      documents.idOf(params as DocumentParams, request) ?? null,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: () => refused(ONLY_TRUSTED),
      keyNotFound: () => refused(ONLY_TRUSTED),
      notFound: ({ params, request }) => unknownId(documents.idOf(params as DocumentParams, request) ?? ''),
    },
  }) as Plugin;
}
