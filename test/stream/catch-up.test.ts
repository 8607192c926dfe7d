/**
 * docs/task-stream.md sections 4 and 5: a subscriber behind the buffer reads its missing records
 * from the Director with its own credentials, and a failed catch-up read is retried like the
 * poller's own reads instead of ending the subscription. A scripted Director fails exactly the
 * late joiner's first reads.
 */
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type ScriptedDirector, startScriptedDirector, warningLog } from '../helpers/scripted-director.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records, until } from './fixtures.js';

const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const LATE = `Basic ${Buffer.from('late:late').toString('base64')}`;
const MESSAGES = Array.from({ length: 8 }, (_, i) => `record ${i}`);
const LOG = warningLog(MESSAGES);

let director: ScriptedDirector | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await director?.stop();
});

it('retries the late joiner catch-up read through 503s and delivers the whole log', async () => {
  let done = false;
  let lateFailures = 2;
  const lateOutputStatuses: number[] = [];
  director = await startScriptedDirector({
    id: 9,
    output: () => LOG,
    done: () => done,
    intercept: ({ from, authorization }, res) => {
      if (authorization !== LATE) return false;
      if (lateFailures > 0) {
        lateFailures -= 1;
        lateOutputStatuses.push(503);
        res.writeHead(503);
        res.end();
        return true;
      }
      lateOutputStatuses.push(from >= LOG.length ? 416 : 206);
      return false;
    },
  });
  runtime = createGatewayRuntime({
    // No client retries: every 503 reaches the task stream.
    director: { url: director.url, retry: { retries: 0 } },
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
  done = true;
  await Promise.all([first.done, late.done]);
  expect(records(first.results).map((r) => r.message)).toEqual(MESSAGES);
  expect(records(late.results).map((r) => r.message)).toEqual(MESSAGES);
  expect(lateOutputStatuses.slice(0, 3)).toEqual([503, 503, 206]);
});

it('backs off, then ends with DIRECTOR_ERROR, when the Director no longer serves what the joiner lacks', async () => {
  let lateReads = 0;
  director = await startScriptedDirector({
    id: 9,
    output: () => LOG,
    done: () => false,
    // The early part of the log is gone for the joiner: 204, no output (a debug file removed).
    intercept: ({ authorization }, res) => {
      if (authorization !== LATE) return false;
      lateReads += 1;
      res.writeHead(204);
      res.end();
      return true;
    },
  });
  runtime = createGatewayRuntime({
    director: { url: director.url, retry: { retries: 0 } },
    stream: {
      intervalMs: 10,
      retryBaseMs: 20,
      retryMaxMs: 50,
      unavailableAfterMs: 300,
      buffer: { maxRecords: 2, maxBytes: 1 << 20 },
    },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const query = 'subscription { taskEvents(id: "9") { ... on TaskWarningEvent { message } } }';
  const first = subscribeSse(url, query, {}, ADMIN);
  await first.waitFor(8);
  const late = subscribeWs(url, query, {}, LATE);
  await late.done;
  const last = late.results.at(-1);
  expect(last?.errors?.[0]?.extensions?.code).toBe('DIRECTOR_ERROR');
  expect(typeof last?.errors?.[0]?.extensions?.lastCursor).toBe('string');
  // Backed off between reads over 300 ms: a handful of reads, not a tight loop.
  expect(lateReads).toBeGreaterThan(1);
  expect(lateReads).toBeLessThan(40);
  first.close();
});
