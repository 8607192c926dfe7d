/**
 * Subscription clients for the tests: GraphQL over SSE (yoga's default protocol, read from a raw
 * node:http response so a test can also drop the connection abruptly) and graphql-ws over
 * WebSocket.
 */
import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface ExecutionResult {
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary result shapes
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestSubscription {
  /** Every result received so far, in order. */
  readonly results: ExecutionResult[];
  /** Resolves when the server completes the subscription (or the connection ends). */
  readonly done: Promise<void>;
  /** True once the server completed the subscription (not a dropped connection or an error). */
  readonly completed: boolean;
  /** Resolves once `n` results arrived. */
  waitFor(n: number): Promise<void>;
  /** Ends the subscription the polite way (SSE: closes the request; WS: complete). */
  close(): void;
  /** Ends it abruptly: destroys the socket without a word. */
  kill(): void;
}

class Collector {
  readonly results: ExecutionResult[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  private finish!: () => void;
  readonly done = new Promise<void>((resolve) => {
    this.finish = resolve;
  });
  private ended = false;
  completed = false;

  complete(): void {
    this.completed = true;
    this.end();
  }

  push(result: ExecutionResult): void {
    this.results.push(result);
    this.waiters = this.waiters.filter((w) => {
      if (this.results.length >= w.n) w.resolve();
      return this.results.length < w.n;
    });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    this.finish();
  }

  waitFor(n: number): Promise<void> {
    if (this.results.length >= n || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

export function subscribeSse(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  authorization?: string,
  /** More request parameters, e.g. a trusted document's `documentId`. */
  extra: Record<string, unknown> = {},
): TestSubscription {
  const collector = new Collector();
  const url = new URL(graphqlUrl);
  const body = JSON.stringify({ query, variables, ...extra });
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'content-length': Buffer.byteLength(body),
      ...(authorization ? { authorization } : {}),
    },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    // Yoga answers an operation that failed only for want of credentials with 401, still as an
    // event stream; anything else that is not a stream is a plain JSON error.
    if (!String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
      let text = '';
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        try {
          collector.push(JSON.parse(text) as ExecutionResult);
        } catch {
          collector.push({ errors: [{ message: `HTTP ${res.statusCode}: ${text}` }] });
        }
        collector.end();
      });
      return;
    }
    let buffer = '';
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end < 0) break;
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (event === 'complete') collector.complete();
        else if (data) collector.push(JSON.parse(data) as ExecutionResult);
      }
    });
    res.on('end', () => collector.end());
    res.on('close', () => collector.end());
    res.on('error', () => collector.end());
  });
  req.on('error', () => collector.end());
  req.end(body);
  return {
    results: collector.results,
    done: collector.done,
    get completed() {
      return collector.completed;
    },
    waitFor: (n) => collector.waitFor(n),
    close: () => {
      req.destroy();
      collector.end();
    },
    kill: () => {
      req.socket?.destroy();
      req.destroy();
      collector.end();
    },
  };
}

export function subscribeWs(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  authorization?: string,
  /** More subscribe payload, e.g. a trusted document's `documentId`. */
  extra: Record<string, unknown> = {},
): TestSubscription {
  const collector = new Collector();
  let socket: WebSocket | undefined;
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        socket = this;
      }
    },
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });
  const unsubscribe = client.subscribe(
    { query, variables, ...extra },
    {
      next: (result) => collector.push(result as ExecutionResult),
      error: (error) => {
        const errors = Array.isArray(error)
          ? (error as ExecutionResult['errors'])
          : [
              {
                message:
                  error instanceof Error ? error.message : String((error as { reason?: string }).reason),
              },
            ];
        collector.push({ errors });
        collector.end();
        void client.dispose();
      },
      complete: () => {
        collector.complete();
        void client.dispose();
      },
    },
  );
  return {
    results: collector.results,
    done: collector.done,
    get completed() {
      return collector.completed;
    },
    waitFor: (n) => collector.waitFor(n),
    close: () => {
      unsubscribe();
      void client.dispose();
      collector.end();
    },
    kill: () => {
      socket?.terminate();
      collector.end();
    },
  };
}
