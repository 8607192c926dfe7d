/**
 * The request body limit (413 past it), as yoga's own `maxRequestBodySize` enforces it, without
 * its cost on every request: yoga pipes every body through a counting stream, a stream pipeline
 * and an AbortController per request (about 5 % of the gateway's CPU under load). A body that
 * came through node:http with a valid `Content-Length` is exactly that long (the HTTP parser
 * stops there), so checking the header is enough; any other body (chunked, or a request handed to
 * `yoga.fetch` in process) is still counted as it streams in.
 */
import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const CONTENT_LENGTH = /^\d+$/;

const tooLarge = () =>
  createGraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request }): Request {
  let bytes = 0;
  const body = (request.body as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Must come after every request parser (yoga's come first, so: among the last plugins). */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!CONTENT_LENGTH.test(length)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
          });
        }
        if (Number(length) > limit) throw tooLarge();
      }
      if (requestParser === undefined || request.body === null) return;
      const req = (serverContext as { req?: IncomingMessage }).req;
      // node:http read exactly Content-Length bytes (it refuses Content-Length with chunking).
      if (length !== null && req?.headers['content-length'] === length) return;
      const parse = requestParser;
      setRequestParser((r) => parse(counted(r, limit, fetchAPI as { Request: typeof Request })));
    },
  };
}
