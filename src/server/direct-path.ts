/**
 * The direct path: a plain JSON POST of a query or mutation from a client that is not a browser,
 * answered without yoga's Fetch adapter. yoga's own steps still run for it, the same functions as
 * on its full path: the parameter hooks (parameter checks, trusted documents), the whole envelop
 * pipeline (parse and validation caches, query limits, operation guards, error masking, the
 * context with its credentials and transport signal), the execution-result hooks and yoga's result
 * processor for the accepted media type. Only the adaptation of node:http to Fetch and back goes,
 * with the request hooks that have nothing to do for such a request.
 *
 * What it claims, and why each rule keeps the answer the same as yoga's full path:
 * - `POST /graphql` exactly, a declared body already read (`prereadBody`) within the body limit;
 * - `Content-Type: application/json`: the one parser yoga would pick, and CSRF prevention passes;
 * - no `Origin` and no `Sec-Fetch-*` header: not a browser, so the cross-site rules and CORS have
 *   nothing to say (`cross-site.ts`); every browser request takes the full path;
 * - `Accept` absent, `application/json` or `application/graphql-response+json` (one media type):
 *   the result processor is then known without yoga's negotiation;
 * - one operation (a JSON object, no batch) whose text does not contain `subscription`: it answers
 *   with one JSON body, never a stream.
 * A request that fails before it runs (a parameter check, a trusted-documents refusal) is handed
 * to the full path, which answers that failure as it always does; nothing ran for it here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { createGraphQLError, isAsyncIterable, processRegularResult } from 'graphql-yoga';
import { encodeAnswer } from './compression.js';
import type { GatewayYoga } from './yoga.js';

const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;
const ACCEPTED: Record<string, string> = {
  'application/json': 'application/json',
  'application/json;charset=utf-8': 'application/json',
  'application/graphql-response+json': 'application/graphql-response+json',
  'application/graphql-response+json;charset=utf-8': 'application/graphql-response+json',
};

export interface DirectPathOptions {
  /** Whether large answers are compressed (`--compress-answers`), as `useCompressedAnswers` does. */
  compressAnswers: boolean;
  /** Whether the origin policy has an allow-list: answers then say `Vary: Origin`, as on yoga's path. */
  varyOrigin: boolean;
}

/** The media type of the answer, or undefined when the request is not the direct path's. */
function claimed(req: IncomingMessage, endpoint: string): string | undefined {
  if (req.method !== 'POST' || req.url !== endpoint) return undefined;
  const headers = req.headers;
  if (headers.origin !== undefined || !JSON_TYPE.test(headers['content-type'] ?? '')) return undefined;
  for (const name in headers) if (name.startsWith('sec-fetch-')) return undefined;
  const accept = headers.accept;
  if (accept === undefined) return 'application/json';
  return ACCEPTED[accept.replace(/\s/g, '').toLowerCase()];
}

/** One operation's parameters, or undefined when the body is not one operation of the direct path. */
function paramsOf(body: Buffer): Record<string, unknown> | undefined {
  let params: unknown;
  try {
    params = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const query = (params as { query?: unknown }).query;
  // An empty text is no operation of its own: yoga's trusted documents then run the `documentId`.
  if (typeof query !== 'string' || query === '' || query.includes('subscription')) return undefined;
  return params as Record<string, unknown>;
}

/** yoga's result processor writes into this in place of a Fetch Response. */
class Answer {
  constructor(
    readonly body: string | null,
    readonly init: { status?: number; headers?: Record<string, string> },
  ) {}
}
const ANSWER_API = { Response: Answer } as unknown as Parameters<typeof processRegularResult>[1];

/** The request as yoga's hooks and the context see it: method, URL, headers, transport signal. */
function requestView(req: IncomingMessage, res: ServerResponse, yoga: GatewayYoga): Request {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let headers: Headers | undefined;
  return {
    method: 'POST',
    get url() {
      return `http://${req.headers.host ?? 'localhost'}${req.url}`;
    },
    get headers() {
      headers ??= new yoga.fetchAPI.Headers(req.headers as Record<string, string>);
      return headers;
    },
    signal: controller.signal,
  } as Request;
}

export interface DirectPath {
  /**
   * Answers `req` and resolves true, or resolves false when the request is the full path's (then
   * nothing ran for it).
   */
  answer(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Requests answered here so far (tests and benchmarks read it). */
  readonly answered: number;
}

export function createDirectPath(yoga: GatewayYoga, options: DirectPathOptions): DirectPath {
  let answered = 0;
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const mediaType = claimed(req, yoga.graphqlEndpoint);
    const body = (req as IncomingMessage & { body?: Buffer }).body;
    if (mediaType === undefined || body === undefined) return false;
    const params = paramsOf(body);
    if (params === undefined) return false;
    const request = requestView(req, res, yoga);
    const serverContext: { req: IncomingMessage; res: ServerResponse; params?: unknown } = { req, res };
    let result: ExecutionResult;
    try {
      result = (await yoga.getResultForParams({ params, request }, serverContext)) as ExecutionResult;
    } catch {
      // Refused before it ran (yoga sets `params` on the context when it starts the operation):
      // the full path answers the refusal. Past that point nothing may run twice.
      if (serverContext.params === undefined) return false;
      result = { errors: [createGraphQLError('Unexpected error.', { extensions: { unexpected: true } })] };
    }
    // Never for a text without `subscription` (no @defer here); were it one, it ends unread, as
    // yoga's result processor answers it: 406.
    if (isAsyncIterable(result)) {
      (result as unknown as AsyncIterator<unknown>).return?.()?.catch(() => undefined);
    }
    answered += 1;
    await send(req, res, processRegularResult(result, ANSWER_API, mediaType) as unknown as Answer, options);
    return true;
  };
  return {
    answer,
    get answered() {
      return answered;
    },
  };
}

async function send(req: IncomingMessage, res: ServerResponse, answer: Answer, options: DirectPathOptions) {
  // Its client left while it ran: nothing to compress or write.
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.init.headers ?? {})) headers[name.toLowerCase()] = value;
  const plain = Buffer.from(answer.body ?? '', 'utf8');
  // As `useCompressedAnswers`, which leaves an answer without a body as it is.
  const encoded =
    options.compressAnswers && answer.body !== null
      ? await encodeAnswer(plain, req.headers['accept-encoding'])
      : { body: plain, coding: undefined, varyEncoding: false };
  // In the order yoga's path adds them: the origin policy's, then compression's.
  const vary: string[] = [];
  if (options.varyOrigin) vary.push('Origin');
  if (encoded.varyEncoding) vary.push('accept-encoding');
  if (vary.length) headers.vary = vary.join(', ');
  if (encoded.coding) headers['content-encoding'] = encoded.coding;
  headers['content-length'] = String(encoded.body.length);
  res.writeHead(answer.init.status ?? 200, headers);
  res.end(encoded.body);
}
