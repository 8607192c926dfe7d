/**
 * The dashboard's GraphQL client: `fetch` for queries and mutations, graphql-sse for
 * subscriptions, both against the same origin's /graphql (the gateway serves the dashboard, so
 * no CORS is involved).
 *
 * A build sends each document by its id only (`{ documentId }`): the gateway runs it
 * with --trusted-documents and the manifest this build wrote. `vite dev` sends the document text,
 * so it works against any gateway while documents change.
 */
import { createClient } from 'graphql-sse';
import type { TypedDocumentString } from './gql/graphql.js';

const ENDPOINT = '/graphql';

/** True in a build (vite.config.ts): send each document's id, never its text. */
declare const __SEND_DOCUMENT_IDS__: boolean;

/** An error the gateway answered, with its stable code (README, "Errors"). */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

interface Result<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** What the request names: the document's id in production, its text while developing. */
function documentOf<T, V>(document: TypedDocumentString<T, V>): { query: string; documentId?: string } {
  const id = document.__meta__?.hash as string | undefined;
  return __SEND_DOCUMENT_IDS__ && id ? { query: '', documentId: id } : { query: document.toString() };
}

function unwrap<T>(result: Result<T>): T {
  const first = result.errors?.[0];
  if (first) throw new GatewayError(first.message, first.extensions?.code);
  if (result.data == null) throw new GatewayError('The gateway sent no data.', undefined);
  return result.data;
}

export async function request<T, V>(document: TypedDocumentString<T, V>, variables?: V): Promise<T> {
  const { query, documentId } = documentOf(document);
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(documentId ? { documentId, variables } : { query, variables }),
  });
  return unwrap((await response.json()) as Result<T>);
}

const sse = createClient({ url: ENDPOINT });

export interface Sink<T> {
  next(data: T): void;
  error?(error: Error): void;
  complete?(): void;
}

/** Starts a subscription; returns the function that ends it. */
export function subscribe<T, V>(
  document: TypedDocumentString<T, V>,
  variables: V,
  sink: Sink<T>,
): () => void {
  return sse.subscribe<T>(
    { ...documentOf(document), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        try {
          sink.next(unwrap(result as Result<T>));
        } catch (error) {
          sink.error?.(error as Error);
        }
      },
      error: (error) => sink.error?.(error instanceof Error ? error : new Error(String(error))),
      complete: () => sink.complete?.(),
    },
  );
}
