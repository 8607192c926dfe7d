/**
 * docs/task-stream.md sections 4 and 5: a subscriber behind the buffer reads its missing records
 * from the Director with its own credentials, and a failed catch-up read is retried like the
 * poller's own reads instead of ending the subscription. A scripted Director fails exactly the
 * late joiner's first reads.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records, until } from './fixtures.js';

const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const LATE = `Basic ${Buffer.from('late:late').toString('base64')}`;
const LOG = Buffer.from(
  Array.from(
    { length: 8 },
    (_, i) => `${JSON.stringify({ time: 1_700_000_000 + i, type: 'warning', message: `record ${i}` })}\n`,
  ).join(''),
);

let server: http.Server | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('retries the late joiner catch-up read through 503s and delivers the whole log', async () => {
  let state = 'processing';
  let lateFailures = 2;
  const lateOutputStatuses: number[] = [];
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/tasks/9') {
      res.end(
        JSON.stringify({
          id: 9,
          state,
          description: 'create deployment',
          timestamp: null,
          started_at: 1,
          result: null,
          user: 'admin',
          deployment: 'd',
          context_id: '',
        }),
      );
      return;
    }
    if (path === '/tasks/9/output') {
      const from = Number(/^bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
      const late = req.headers.authorization === LATE;
      if (late && lateFailures > 0) {
        lateFailures -= 1;
        lateOutputStatuses.push(503);
        res.writeHead(503);
        res.end();
        return;
      }
      if (late) lateOutputStatuses.push(from >= LOG.length ? 416 : 206);
      if (from >= LOG.length) {
        res.writeHead(416, { 'content-range': `bytes */${LOG.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'content-range': `bytes ${from}-${LOG.length - 1}/${LOG.length}` });
      res.end(LOG.subarray(from));
      return;
    }
    res.writeHead(404);
    res.end(`Endpoint '${path}' not found.`);
  });
  const director = await new Promise<string>((resolve) =>
    server!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    ),
  );
  runtime = createGatewayRuntime({
    // No client retries: every 503 reaches the task stream.
    director: { url: director, retry: { retries: 0 } },
    // A 2-record buffer: the late joiner's first 6 records have left it.
    stream: { intervalMs: 10, retryBaseMs: 5, retryMaxMs: 20, buffer: { maxRecords: 2, maxBytes: 1 << 20 } },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const query = 'subscription { taskEvents(id: "9") { ... on TaskWarningEvent { message } } }';
  const first = subscribeSse(url, query, {}, ADMIN);
  await first.waitFor(8);
  const late = subscribeWs(url, query, {}, LATE);
  await until(() => lateOutputStatuses.includes(206), 5_000, 'the late joiner to catch up');
  state = 'done';
  await Promise.all([first.done, late.done]);
  const messages = LOG.toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).message);
  expect(records(first.results).map((r) => r.message)).toEqual(messages);
  expect(records(late.results).map((r) => r.message)).toEqual(messages);
  expect(lateOutputStatuses.slice(0, 3)).toEqual([503, 503, 206]);
});
