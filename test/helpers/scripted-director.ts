/**
 * A scripted Director on a `node:http` server on port 0, for the stream tests that need exact
 * control over one task: how its event log grows between polls, when it finishes, which reads
 * fail. It answers `/info` (basic auth), `GET /tasks/{id}` and `GET /tasks/{id}/output` with Range
 * as Rack does (206 with Content-Range, 416 past the end; `bytes=N-` and `bytes=N-M`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutputRequest {
  from: number;
  authorization: string | undefined;
}

export interface ScriptedTask {
  id: number;
  /**
   * The output as it stands at this read. Called once per output request (before it is
   * answered), so a test can grow the log as a running task writes it.
   */
  output(request: OutputRequest): Buffer;
  /** True once the task is done; read on every `GET /tasks/{id}`. */
  done(): boolean;
  /** Answers an output request itself (a fault) when it returns true. */
  intercept?(request: OutputRequest, res: http.ServerResponse): boolean;
}

export interface ScriptedDirector {
  readonly url: string;
  readonly port: number;
  /** Output requests seen, in order. */
  readonly outputRequests: OutputRequest[];
  /** Closes the server and every connection: the Director is gone until `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

const INFO = JSON.stringify({
  name: 'scripted',
  uuid: 'scripted-uuid',
  version: '282.1.2 (00000000)',
  user: null,
  cpi: 'stub',
  user_authentication: { type: 'basic', options: {} },
  features: {},
});

export async function startScriptedDirector(task: ScriptedTask): Promise<ScriptedDirector> {
  const outputRequests: OutputRequest[] = [];
  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/info') {
      res.end(INFO);
      return;
    }
    if (path === `/tasks/${task.id}`) {
      const done = task.done();
      res.end(
        JSON.stringify({
          id: task.id,
          state: done ? 'done' : 'processing',
          description: 'create deployment',
          timestamp: done ? 1_700_000_100 : null,
          started_at: 1_700_000_000,
          result: done ? '/deployments/d' : null,
          user: 'admin',
          deployment: 'd',
          context_id: '',
        }),
      );
      return;
    }
    if (path === `/tasks/${task.id}/output`) {
      const [, from = '0', to = ''] = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') ?? [];
      const request = { from: Number(from), authorization: req.headers.authorization };
      outputRequests.push(request);
      if (task.intercept?.(request, res)) return;
      const log = task.output(request);
      if (request.from >= log.length) {
        res.writeHead(416, { 'content-range': `bytes */${log.length}` });
        res.end('Byte range unsatisfiable');
        return;
      }
      const last = to === '' ? log.length - 1 : Math.min(Number(to), log.length - 1);
      res.writeHead(206, { 'content-range': `bytes ${request.from}-${last}/${log.length}` });
      res.end(log.subarray(request.from, last + 1));
      return;
    }
    res.writeHead(404);
    res.end(`Endpoint '${path}' not found.`);
  };

  let server = http.createServer(handler);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    outputRequests,
    stop,
    start: async () => {
      server = http.createServer(handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
      running = true;
    },
  };
}

/** Event log lines of warning records, one per message. */
export function warningLog(messages: readonly string[]): Buffer {
  return Buffer.from(
    messages
      .map((message, i) => `${JSON.stringify({ time: 1_700_000_000 + i, type: 'warning', message })}\n`)
      .join(''),
    'utf8',
  );
}
