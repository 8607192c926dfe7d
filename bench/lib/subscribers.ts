/**
 * `taskEvents` subscribers for the benchmarks, one connection each, as separate browsers would
 * open them: GraphQL over SSE read from a raw node:http response, and graphql-ws over WebSocket.
 * They keep only what the benchmark checks: each record's fingerprint, and the errors.
 */
import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { fingerprintEvent, TASK_EVENTS } from './records.js';

export interface SubscriberResult {
  transport: 'sse' | 'ws';
  /** One fingerprint per record received, in order. */
  records: string[];
  /** Error results or transport failures; empty when the stream completed cleanly. */
  errors: string[];
  /** True when the server completed the subscription (not a dropped connection). */
  completed: boolean;
}

interface Result {
  data?: { taskEvents?: Record<string, unknown> } | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

function take(result: Result, out: SubscriberResult): void {
  if (result.errors?.length) {
    for (const e of result.errors) out.errors.push(`${String(e.extensions?.code ?? '')} ${e.message}`.trim());
    return;
  }
  const event = result.data?.taskEvents;
  if (event) out.records.push(fingerprintEvent(event));
}

/** GraphQL over SSE (yoga's "distinct connections" mode): `event: next` / `event: complete`. */
export function subscribeSse(
  graphqlUrl: string,
  taskId: number,
  authorization: string,
): Promise<SubscriberResult> {
  const out: SubscriberResult = { transport: 'sse', records: [], errors: [], completed: false };
  const url = new URL(graphqlUrl);
  const body = JSON.stringify({ query: TASK_EVENTS, variables: { id: String(taskId) } });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (why?: string) => {
      if (settled) return;
      settled = true;
      if (why && !out.completed) out.errors.push(why);
      resolve(out);
    };
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
        authorization,
      },
    });
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (event === 'complete') {
            out.completed = true;
            req.destroy();
            finish();
            return;
          }
          if (data) take(JSON.parse(data) as Result, out);
        }
      });
      res.on('end', () => finish(`SSE: HTTP ${res.statusCode} ended without "complete"`));
      res.on('error', (error) => finish(`SSE: ${error.message}`));
    });
    req.on('error', (error) => finish(`SSE: ${error.message}`));
    req.end(body);
  });
}

/** graphql-ws reports an Error, a list of GraphQL errors, or a close event. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number')
    return `connection closed (${close.code} ${String(close.reason ?? '')})`.trim();
  return JSON.stringify(error);
}

/** graphql-ws (`graphql-transport-ws`) over its own WebSocket connection. */
export function subscribeWs(
  graphqlUrl: string,
  taskId: number,
  authorization: string,
): Promise<SubscriberResult> {
  const out: SubscriberResult = { transport: 'ws', records: [], errors: [], completed: false };
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: true,
  });
  return new Promise((resolve) => {
    client.subscribe(
      { query: TASK_EVENTS, variables: { id: String(taskId) } },
      {
        next: (result) => take(result as Result, out),
        error: (error) => {
          out.errors.push(`WS: ${describe(error)}`);
          void client.dispose();
          resolve(out);
        },
        complete: () => {
          out.completed = true;
          void client.dispose();
          resolve(out);
        },
      },
    );
  });
}
