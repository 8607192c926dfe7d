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

/** A JSON body may escape each byte of a manifest as two; 413 beyond that. */
export function bodyLimitOf(limits: { maxManifestBytes: number }): number {
  return 2 * limits.maxManifestBytes + 64 * 1024;
}

/**
 * Reads a POST body of a declared length within the limit before yoga sees the request, and
 * hands it over as `req.body` (as body parsers do): yoga then parses one Buffer, where it would
 * adapt the socket into a Fetch ReadableStream and read that. Other bodies (chunked, too large,
 * empty) are left to yoga and `useBodyLimit`. False when the client left before its body was in.
 */
export function prereadBody(req: IncomingMessage, limit: number): Promise<boolean> {
  const length = req.headers['content-length'];
  if (req.method !== 'POST' || length === undefined || !CONTENT_LENGTH.test(length))
    return Promise.resolve(true);
  const declared = Number(length);
  if (declared === 0 || declared > limit) return Promise.resolve(true);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (complete: boolean) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      if (complete) (req as IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
      resolve(complete);
    };
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => done(true);
    const onGone = () => done(false);
    req.on('data', onData).once('end', onEnd).once('error', onGone).once('close', onGone);
  });
}

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
