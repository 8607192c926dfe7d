/**
 * docs/task-stream.md section 5: a Director that restarts mid-stream (connections refused for a
 * while, then back on the same address) costs subscribers nothing: no record lost or repeated.
 * A scripted Director whose log grows one record per poll is stopped and started again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records, until } from './fixtures.js';

const RECORDS = 30;
const LINES = Array.from(
  { length: RECORDS },
  (_, i) => `${JSON.stringify({ time: 1_700_000_000 + i, type: 'warning', message: `record ${i}` })}\n`,
);

let server: http.Server | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('loses and repeats nothing when the Director restarts in the middle of a stream', async () => {
  let written = 0;
  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/info') {
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
    if (path === '/tasks/5') {
      const done = written >= RECORDS;
      res.end(
        JSON.stringify({
          id: 5,
          state: done ? 'done' : 'processing',
          description: 'create deployment',
          timestamp: done ? 2 : null,
          started_at: 1,
          result: null,
          user: 'admin',
          deployment: 'd',
          context_id: '',
        }),
      );
      return;
    }
    if (path === '/tasks/5/output') {
      // One more record appears with each read, as a running deploy writes them.
      written = Math.min(RECORDS, written + 1);
      const grown = Buffer.from(LINES.slice(0, written).join(''));
      const from = Number(/^bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
      if (from >= grown.length) {
        res.writeHead(416, { 'content-range': `bytes */${grown.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'content-range': `bytes ${from}-${grown.length - 1}/${grown.length}` });
      res.end(grown.subarray(from));
      return;
    }
    res.writeHead(404);
    res.end();
  };
  server = http.createServer(handler);
  const port = await new Promise<number>((resolve) =>
    server!.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port)),
  );
  runtime = createGatewayRuntime({
    director: {
      url: `http://127.0.0.1:${port}`,
      client: 'admin',
      clientSecret: 'admin',
      retry: { retries: 0 },
    },
    stream: { intervalMs: 10, retryBaseMs: 20, retryMaxMs: 50, unavailableAfterMs: 30_000 },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const query = 'subscription { taskEvents(id: "5") { ... on TaskWarningEvent { message } } }';
  const sse = subscribeSse(url, query);
  const ws = subscribeWs(url, query);
  await until(() => written >= 10, 5_000, 'ten records');

  // The Director goes down: every connection is refused for a while.
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  const downAt = written;
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(written).toBe(downAt);
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));

  await Promise.all([sse.done, ws.done]);
  const expected = LINES.map((line) => JSON.parse(line).message);
  expect(records(sse.results).map((r) => r.message)).toEqual(expected);
  expect(records(ws.results).map((r) => r.message)).toEqual(expected);
});
