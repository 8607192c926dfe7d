/**
 * Large JSON answers, compressed when the client accepts it (`compression.ts`). Only whole JSON
 * bodies: SSE and multipart streams pass untouched, so every event still leaves as it happens.
 */
import type { Plugin } from 'graphql-yoga';
import { COMPRESS_MIN_BYTES, encodeAnswer, negotiateCoding } from './compression.js';

const JSON_TYPES = /^application\/(graphql-response\+)?json\b/;

export function useCompressedAnswers(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!JSON_TYPES.test(response.headers.get('content-type') ?? '')) return;
      if (response.headers.has('content-encoding') || response.body === null) return;
      const acceptEncoding = request.headers.get('accept-encoding') ?? undefined;
      if (!negotiateCoding(acceptEncoding)) {
        // Caches reuse GET answers only (never a POST's), so only those need to say that the
        // coding depends on Accept-Encoding. A POST answer's headers stay as yoga made them, which
        // keeps its one-call writeHead (changing them costs about a tenth of `{ __typename }`).
        if (request.method === 'GET') response.headers.append('vary', 'accept-encoding');
        return;
      }
      response.headers.append('vary', 'accept-encoding');
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      if (length < COMPRESS_MIN_BYTES) return;
      const answer = await encodeAnswer(Buffer.from(await response.arrayBuffer()), acceptEncoding);
      const headers = new fetchAPI.Headers(response.headers);
      if (answer.coding) {
        headers.set('content-encoding', answer.coding);
        headers.set('content-length', String(answer.body.length));
      }
      setResponse(new fetchAPI.Response(new Uint8Array(answer.body), { status: response.status, headers }));
    },
  };
}
