/**
 * A scripted Director for tests: a real `node:http` (or `node:https`) server on port 0 that records
 * every request as it arrived (method, raw path with query, headers, body) and answers from
 * per-route scripts. Nothing here touches the network beyond loopback.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  /** The request target exactly as it arrived, query included. */
  url: string;
  /** The raw path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type StubHandler = (req: StubRequest, res: ServerResponse) => void | Promise<void>;

export interface StubDirector {
  /** e.g. `http://127.0.0.1:41234` (https when started with TLS). */
  readonly url: string;
  readonly port: number;
  readonly requests: StubRequest[];
  /** Requests being answered right now, and the most there ever were. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /**
   * Scripts `METHOD /path` (raw path, no query). Each handler answers one request in turn; the last
   * one answers all the rest. Unscripted routes get the Director's plain-text 404.
   */
  on(route: string, ...handlers: StubHandler[]): StubDirector;
  /** Requests to `METHOD /path`. */
  calls(route: string): StubRequest[];
  close(): Promise<void>;
}

export interface StubOptions {
  tls?: { key: string; cert: string };
}

export async function startStub(options: StubOptions = {}): Promise<StubDirector> {
  const scripts = new Map<string, StubHandler[]>();
  const requests: StubRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const request: StubRequest = {
        method: req.method ?? 'GET',
        url,
        path: q === -1 ? url : url.slice(0, q),
        query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const script = scripts.get(`${request.method} ${request.path}`);
      const handler = script && (script.length > 1 ? script.shift() : script[0]);
      if (!handler) {
        text(404, `Endpoint '${request.path}' not found.`)(request, res);
        return;
      }
      Promise.resolve(handler(request, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  };

  const server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stub: StubDirector = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    on(route, ...handlers) {
      scripts.set(route, handlers);
      return stub;
    },
    calls(route) {
      return requests.filter((r) => `${r.method} ${r.path}` === route);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}

/** A JSON answer labelled the way most Director routes label it: `text/html;charset=utf-8`. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): StubHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html;charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
}

export function text(
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): StubHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain;charset=utf-8', ...headers });
    res.end(body);
  };
}

export function redirect(status: number, location: string): StubHandler {
  return (_req, res) => {
    res.writeHead(status, { location, 'content-type': 'text/html;charset=utf-8' });
    res.end();
  };
}

/** Destroys the connection without an answer (a reset, as undici sees it). */
export function reset(): StubHandler {
  return (_req, res) => {
    res.socket?.destroy();
  };
}

/** Never answers; `close()` cuts it off. */
export function hang(): StubHandler {
  return () => {};
}

/**
 * Output served the way the Director serves event/result output (Rack byte ranges): 206 with
 * Content-Range for `bytes=N-` when N < size, 416 past the end, 200 with everything otherwise.
 */
export function rangedOutput(content: () => Buffer | string): StubHandler {
  return (req, res) => {
    const body = Buffer.from(content());
    const match = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    if (!match || body.length === 0) {
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
      res.end(body);
      return;
    }
    const start = Number(match[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      res.end('Byte range unsatisfiable');
      return;
    }
    res.writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    res.end(body.subarray(start));
  };
}

/** A task hash as `GET /tasks/{id}` returns it. */
export function wireTask(
  id: number,
  state: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const finished = !['queued', 'processing', 'cancelling'].includes(state);
  return {
    id,
    state,
    description: 'retrieve vm-stats',
    timestamp: finished ? 1_700_000_100 : null,
    started_at: state === 'queued' ? null : 1_700_000_000,
    result: finished ? '' : null,
    user: 'admin',
    deployment: 'cf',
    context_id: '',
    ...extra,
  };
}

/** Resolves once `condition` holds, checking between event-loop turns. Not a timing assertion. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}
