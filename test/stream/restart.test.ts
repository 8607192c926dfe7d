/**
 * docs/task-stream.md section 5: a Director that restarts mid-stream (connections refused for a
 * while, then back on the same address) costs subscribers nothing: no record lost or repeated.
 * A scripted Director whose log grows one record per poll is stopped and started again.
 */
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type ScriptedDirector, startScriptedDirector, warningLog } from '../helpers/scripted-director.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records, until } from './fixtures.js';

const MESSAGES = Array.from({ length: 30 }, (_, i) => `record ${i}`);

let director: ScriptedDirector | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await director?.stop();
});

it('loses and repeats nothing when the Director restarts in the middle of a stream', async () => {
  // One more record appears with each output read, as a running deploy writes them.
  let written = 0;
  director = await startScriptedDirector({
    id: 5,
    output: () => {
      written = Math.min(MESSAGES.length, written + 1);
      return warningLog(MESSAGES.slice(0, written));
    },
    done: () => written >= MESSAGES.length,
  });
  runtime = createGatewayRuntime({
    director: { url: director.url, client: 'admin', clientSecret: 'admin', retry: { retries: 0 } },
    stream: { intervalMs: 10, retryBaseMs: 20, retryMaxMs: 50, unavailableAfterMs: 30_000 },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const query = 'subscription { taskEvents(id: "5") { ... on TaskWarningEvent { message } } }';
  const sse = subscribeSse(url, query);
  const ws = subscribeWs(url, query);
  await until(() => written >= 10, 5_000, 'ten records');

  // The Director goes down: every connection is refused for a while, then it is back.
  await director.stop();
  const downAt = written;
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(written).toBe(downAt);
  await director.start();

  await Promise.all([sse.done, ws.done]);
  expect(records(sse.results).map((r) => r.message)).toEqual(MESSAGES);
  expect(records(ws.results).map((r) => r.message)).toEqual(MESSAGES);
});
