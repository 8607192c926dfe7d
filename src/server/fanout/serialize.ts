/**
 * One record's wire forms, made once and written to every subscriber that shares it: the JSON of
 * the execution result (as yoga writes it, without its internal `http` extensions) for WebSocket
 * `next` messages, and the SSE event bytes.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

export interface Serialized {
  readonly result: ExecutionResult;
  /** The result as JSON, in UTF-8: a WebSocket `next` message's payload. */
  readonly jsonBytes: Buffer;
  /** `event: next\ndata: <json>\n\n`, as UTF-8. */
  readonly sse: Buffer;
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** Drops the `http` extension of each error (a status for yoga, not for clients), as yoga does. */
function withoutInternals(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length && !result.extensions?.http) return result;
  const out: ExecutionResult = { ...result };
  if (result.errors) {
    out.errors = result.errors.map((error) => {
      if (!isGraphQLError(error)) return error;
      const { http: _http, unexpected: _unexpected, ...extensions } = error.extensions ?? {};
      return createGraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
      });
    });
  }
  if (result.extensions) {
    const { http: _http, ...extensions } = result.extensions;
    if (Object.keys(extensions).length > 0) out.extensions = extensions;
    else delete out.extensions;
  }
  return out;
}

export function serialize(result: ExecutionResult): Serialized {
  const json = JSON.stringify(withoutInternals(result));
  return {
    result,
    jsonBytes: Buffer.from(json, 'utf8'),
    sse: Buffer.from(`event: next\ndata: ${json}\n\n`, 'utf8'),
  };
}

/** The end of an SSE stream in GraphQL over SSE's distinct-connections mode. */
export const SSE_COMPLETE = Buffer.from('event: complete\ndata:\n\n', 'utf8');
/** A comment line: keeps proxies from closing an idle stream, and flushes the headers at once. */
export const SSE_PING = Buffer.from(':\n\n', 'utf8');
