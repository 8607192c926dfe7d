/**
 * docs/task-stream.md section 1: offsets count bytes and only whole lines are handed on, so a
 * multi-byte UTF-8 character split across two polls arrives intact. A scripted Director serves
 * the event log a few bytes per poll, so every split point occurs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records } from './fixtures.js';

const MESSAGES = ['Überprüfung läuft', 'デプロイ中 🚀', 'naïve café — done ✓'];
const LOG = Buffer.from(
  MESSAGES.map(
    (message, i) => `${JSON.stringify({ time: 1_700_000_000 + i, type: 'warning', message })}\n`,
  ).join(''),
  'utf8',
);
/** Bytes the scripted Director hands out per output request: splits land inside characters. */
const STEP = 5;

let server: http.Server | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await new Promise((resolve) => server?.close(resolve));
  server?.closeAllConnections();
});

interface ScriptedDirector {
  url: string;
  /** Output requests answered so far. */
  readonly outputRequests: number;
  /** Starts the task over: its log is empty again and grows from the start. */
  restart(): void;
}

async function scriptedDirector(): Promise<ScriptedDirector> {
  let served = 0;
  let outputRequests = 0;
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname === '/info') {
      res.end(
        JSON.stringify({
          name: 'stub',
          uuid: 'u',
          version: '1',
          user: null,
          cpi: 'c',
          user_authentication: { type: 'basic', options: {} },
          features: {},
        }),
      );
      return;
    }
    if (url.pathname === '/tasks/7') {
      const done = served >= LOG.length;
      res.end(
        JSON.stringify({
          id: 7,
          state: done ? 'done' : 'processing',
          description: 'create deployment',
          timestamp: done ? 1_700_000_100 : null,
          started_at: 1_700_000_000,
          result: null,
          user: 'admin',
          deployment: 'd',
          context_id: '',
        }),
      );
      return;
    }
    if (url.pathname === '/tasks/7/output') {
      outputRequests += 1;
      // `bytes=N-` or `bytes=N-M`, M clamped to the last byte, as Rack answers.
      const [, from = '0', to = ''] = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') ?? [];
      // The log "grows" STEP bytes per request, as a Director appending while we poll.
      served = Math.min(LOG.length, Math.max(served, Number(from)) + STEP);
      const start = Number(from);
      if (start >= served) {
        res.writeHead(416, { 'content-range': `bytes */${served}` });
        res.end('Byte range unsatisfiable');
        return;
      }
      const end = to === '' ? served - 1 : Math.min(Number(to), served - 1);
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${served}` });
      res.end(LOG.subarray(start, end + 1));
      return;
    }
    res.writeHead(404);
    res.end(`Endpoint '${url.pathname}' not found.`);
  });
  const url = await new Promise<string>((resolve) =>
    server!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    ),
  );
  return {
    url,
    get outputRequests() {
      return outputRequests;
    },
    restart() {
      served = 0;
    },
  };
}

it('delivers multi-byte characters split across polls intact, on both transports', async () => {
  const director = await scriptedDirector();
  runtime = createGatewayRuntime({
    director: { url: director.url, client: 'admin', clientSecret: 'admin' },
    stream: { intervalMs: 5 },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const query = 'subscription { taskEvents(id: "7") { ... on TaskWarningEvent { message } } }';
  const sse = subscribeSse(url, query);
  await sse.done;
  expect(records(sse.results).map((r) => r.message)).toEqual(MESSAGES);
  // The log took a request per STEP bytes, so splits fell inside multi-byte characters.
  expect(director.outputRequests).toBeGreaterThan(LOG.length / STEP);

  // The same log from the start again, so the WebSocket subscriber sees it grow in steps too.
  director.restart();
  const before = director.outputRequests;
  const ws = subscribeWs(url, 'subscription { taskOutput(id: "7", type: EVENT) { text } }');
  await ws.done;
  expect(records(ws.results, 'taskOutput').map((r) => JSON.parse(r.text).message)).toEqual(MESSAGES);
  expect(director.outputRequests - before).toBeGreaterThan(LOG.length / STEP);
});
