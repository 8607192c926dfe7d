/**
 * Subscriptions as multipart HTTP, for clients that ask for it first: Apollo Client's default
 * HttpLink sends every subscription with `accept: multipart/mixed;subscriptionSpec=1.0, ...`.
 * yoga streams only queries (defer/stream) as multipart and answers a subscription that asks for
 * it with 406, so this plugin serves them: each result is one `application/json` part, as yoga
 * writes its own multipart parts, which Apollo reads (it also reads its `{ payload }` wrapping, not
 * needed here).
 *
 * Clients that prefer SSE (urql, graphql-sse, GraphiQL) keep getting SSE: the first media type of
 * the request that either transport serves decides.
 *
 * Apollo's multipart subscription protocol has the server send an empty `{}` part now and then,
 * so that proxies keep the response open; Apollo skips them. They go only to requests that name
 * that protocol (`subscriptionSpec`), since other multipart readers may not skip them.
 */
import { type FetchAPI, isAsyncIterable, type Plugin } from 'graphql-yoga';

/** How often Apollo's protocol sends its `{}` heartbeat; Apollo's own router uses 5 s. */
export const HEARTBEAT_MS = 10_000;

const BOUNDARY = '-';

/** The request's media types in its order, with their parameters, lower case. */
function acceptedTypes(request: Request): { type: string; params: string }[] {
  return (request.headers.get('accept') ?? '*/*')
    .toLowerCase()
    .split(',')
    .map((entry) => {
      const [type = '', ...params] = entry.split(';').map((part) => part.trim());
      return { type, params: params.join(';') };
    });
}

/** The multipart media type when the request prefers it to SSE, else undefined. */
function prefersMultipart(request: Request): { heartbeats: boolean } | undefined {
  for (const { type, params } of acceptedTypes(request)) {
    if (type === 'text/event-stream' || type === '*/*' || type === 'text/*') return undefined;
    if (type === 'multipart/mixed' || type === 'multipart/*') {
      return { heartbeats: params.includes('subscriptionspec=') };
    }
  }
  return undefined;
}

function part(json: string): string {
  return `\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${BOUNDARY}`;
}

function multipartResponse(results: AsyncIterable<unknown>, heartbeats: boolean, api: FetchAPI): Response {
  const encoder = new api.TextEncoder();
  const iterator = results[Symbol.asyncIterator]();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  const body = new api.ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}`));
      if (heartbeats) {
        heartbeat = setInterval(() => controller.enqueue(encoder.encode(part('{}'))), HEARTBEAT_MS);
        heartbeat.unref?.();
      }
    },
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (done) {
          stop();
          controller.enqueue(encoder.encode('--\r\n'));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(part(JSON.stringify(value))));
      } catch (error) {
        stop();
        controller.error(error);
      }
    },
    async cancel() {
      // The client went away: end the subscription, so its poller can stop.
      stop();
      await iterator.return?.();
    },
  });
  return new api.Response(body, {
    status: 200,
    headers: {
      'content-type': `multipart/mixed; boundary="${BOUNDARY}"`,
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
  });
}

export function useMultipartSubscriptions(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result)) return;
      const multipart = prefersMultipart(request);
      if (!multipart) return;
      setResultProcessor(
        (results, api) => multipartResponse(results as AsyncIterable<unknown>, multipart.heartbeats, api),
        'multipart/mixed',
      );
    },
  };
}
