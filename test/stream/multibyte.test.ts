/**
 * docs/task-stream.md section 1: offsets count bytes and only whole lines are handed on, so a
 * multi-byte UTF-8 character split across two polls arrives intact. A scripted Director serves
 * the event log a few bytes per poll, so every split point occurs.
 */
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type ScriptedDirector, startScriptedDirector, warningLog } from '../helpers/scripted-director.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { records } from './fixtures.js';

const MESSAGES = ['Überprüfung läuft', 'デプロイ中 🚀', 'naïve café — done ✓'];
const LOG = warningLog(MESSAGES);
/** Bytes the scripted Director hands out per output request: splits land inside characters. */
const STEP = 5;

let director: ScriptedDirector | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await director?.stop();
});

it('delivers multi-byte characters split across polls intact, on both transports', async () => {
  // The log "grows" STEP bytes per output request, as a Director appending while we poll.
  let served = 0;
  director = await startScriptedDirector({
    id: 7,
    output: ({ from }) => {
      served = Math.min(LOG.length, Math.max(served, from) + STEP);
      return LOG.subarray(0, served);
    },
    done: () => served >= LOG.length,
  });
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
  expect(director.outputRequests.length).toBeGreaterThan(LOG.length / STEP);

  // The same log from the start again, so the WebSocket subscriber sees it grow in steps too.
  served = 0;
  const before = director.outputRequests.length;
  const ws = subscribeWs(url, 'subscription { taskOutput(id: "7", type: EVENT) { text } }');
  await ws.done;
  expect(records(ws.results, 'taskOutput').map((r) => JSON.parse(r.text).message)).toEqual(MESSAGES);
  expect(director.outputRequests.length - before).toBeGreaterThan(LOG.length / STEP);
});

it('hands on the last line of a finished output that ends without a newline', async () => {
  const text = 'first line\nlast line without a newline';
  director = await startScriptedDirector({ id: 8, output: () => Buffer.from(text), done: () => true });
  runtime = createGatewayRuntime({
    director: { url: director.url, client: 'admin', clientSecret: 'admin' },
    stream: { intervalMs: 5 },
    graphiql: false,
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const sub = subscribeSse(url, 'subscription { taskOutput(id: "8", type: DEBUG) { text cursor } }');
  await sub.done;
  expect(records(sub.results, 'taskOutput').map((l) => l.text)).toEqual([
    'first line',
    'last line without a newline',
  ]);
});
