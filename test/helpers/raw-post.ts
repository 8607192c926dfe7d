/**
 * One GraphQL POST over a connection of its own, with exactly the given headers, for tests and
 * benchmarks that need what a Fetch client hides: the chunks as they arrive, or a client that
 * drops its socket at a chosen moment without a word.
 */
import http from 'node:http';

export interface RawPostOptions {
  headers?: Record<string, string>;
  /** Destroys the socket this long after sending; the answer is then 'aborted'. */
  abortAfterMs?: number;
  /** Destroys the socket when it aborts; the answer is then 'aborted'. */
  signal?: AbortSignal;
  /** Called with each chunk of the body as it arrives, and the time it did. */
  onChunk?(chunk: string, at: number): void;
}

export interface RawAnswer {
  status: number;
  /** The whole body, as text. */
  body: string;
  /** The body's chunks, in the order they arrived. */
  chunks: string[];
}

export function rawPost(
  url: string,
  payload: unknown,
  options: RawPostOptions = {},
): Promise<RawAnswer | 'aborted'> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const body = JSON.stringify(payload);
    let settled = false;
    const settle = (answer: RawAnswer | 'aborted') => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...options.headers,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          chunks.push(chunk);
          options.onChunk?.(chunk, Date.now());
        });
        res.on('end', () => settle({ status: res.statusCode ?? 0, body: chunks.join(''), chunks }));
        res.on('error', () => settle('aborted'));
      },
    );
    req.on('error', () => settle('aborted'));
    req.on('close', () => settle('aborted'));
    req.end(body);
    options.signal?.addEventListener('abort', () => {
      req.destroy();
      settle('aborted');
    });
    if (options.abortAfterMs !== undefined) {
      setTimeout(() => {
        req.destroy();
        settle('aborted');
      }, options.abortAfterMs);
    }
  });
}
