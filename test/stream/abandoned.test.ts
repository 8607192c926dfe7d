/**
 * docs/task-stream.md section 8: every end of the transport detaches its subscription, however
 * early it comes. Clients that abort right after sending (before the first event), requests
 * refused with 406, and WebSockets closed during the authorization read must leave no
 * subscription and no poller behind, and the Director must see no more calls afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveSseStreams } from '../../src/server/fanout/plugin.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawPost } from '../helpers/raw-post.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { manifest, TASK_EVENTS, TASK_UPDATED, until } from './fixtures.js';

const INTERVAL_MS = 100;

let gw: TestGateway;
let url: string;
beforeEach(async () => {
  gw = await startTestGateway({
    simulator: { tickMs: 200 },
    stream: { intervalMs: INTERVAL_MS, jitter: 0 },
  });
  url = await gw.listen();
});
afterEach(() => gw.close());

/** Sends one subscription over HTTP and destroys the socket `abortAfterMs` later (never reading). */
async function abortedRequest(
  query: string,
  variables: Record<string, unknown>,
  abortAfterMs: number,
  accept: string,
): Promise<void> {
  const headers = { accept, authorization: gw.sim.basicAuth('admin') };
  await rawPost(url, { query, variables }, { headers, abortAfterMs });
}

/** A subscription request answered with a refusal (here 406): read to the end, then closed. */
async function refusedRequest(query: string, variables: Record<string, unknown>, accept: string) {
  const answer = await rawPost(
    url,
    { query, variables },
    { headers: { accept, authorization: gw.sim.basicAuth('admin') } },
  );
  return answer === 'aborted' ? 0 : answer.status;
}

const FIELDS: { name: string; query: string; variables: (id: number) => Record<string, unknown> }[] = [
  { name: 'taskEvents', query: TASK_EVENTS, variables: (id) => ({ id: String(id) }) },
  { name: 'taskUpdated', query: TASK_UPDATED, variables: (id) => ({ id: String(id) }) },
  {
    name: 'taskOutput',
    query: 'subscription($id: ID!) { taskOutput(id: $id, type: DEBUG) { text cursor } }',
    variables: (id) => ({ id: String(id) }),
  },
  {
    name: 'runningTasks',
    query: 'subscription($d: String) { runningTasks(deployment: $d) { id state } }',
    variables: () => ({ d: 'abandoned' }),
  },
];

async function settledAndSilent(taskId: number): Promise<void> {
  // Not a timing assertion: on a busy machine the gateway may still be reading requests its
  // clients already dropped. What must hold is that it ends at rest, with nothing left behind.
  await until(
    () => {
      const stats = gw.runtime.streams.stats();
      const queue = gw.runtime.client.queueStats;
      return (
        stats.subscriptions === 0 &&
        gw.runtime.fanout.stats().clients === 0 &&
        liveSseStreams() === 0 &&
        stats.taskPollers === 0 &&
        stats.runningTasksPollers === 0 &&
        queue.inFlight === 0 &&
        queue.waiting === 0
      );
    },
    10_000,
    'every subscription, poller and Director call to end',
  );
  // At rest, nobody watching: the Director sees no more calls, over three poll intervals.
  const before = gw.sim.requests.count({ pathPrefix: '/tasks' });
  await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
  const after = gw.sim.requests.list({ pathPrefix: '/tasks' }).slice(before);
  expect(after.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([]);
  expect(gw.sim.tasks.get(taskId)?.state).toBe('processing');
}

describe('subscriptions whose transport ends early', () => {
  for (const field of FIELDS) {
    it(`leave nothing behind for ${field.name}: 400 SSE requests aborted within 20 ms, and 50 refused with 406`, async () => {
      const id = gw.sim.tasks.startDeploy(manifest('abandoned', 8, 3));
      const variables = field.variables(id);
      const aborted = Array.from({ length: 400 }, (_, i) =>
        abortedRequest(field.query, variables, (i * 7) % 21, 'text/event-stream'),
      );
      // Apollo Client's HttpLink and plain JSON clients: no format yoga can stream a subscription in.
      const refused = Array.from({ length: 50 }, (_, i) =>
        refusedRequest(field.query, variables, i % 2 === 0 ? 'application/json' : 'text/html'),
      );
      await Promise.all(aborted);
      const statuses = await Promise.all(refused);
      expect(new Set(statuses)).toEqual(new Set([406]));
      await settledAndSilent(id);
    }, 60_000);
  }

  it('leave no SSE body behind when the client goes during the authorization read', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('abandoned', 8, 3));
    // Each authorization read takes 300 ms; every client leaves 100 ms after sending, so its
    // response is made (and its shared execution joined) only after its transport ended.
    gw.sim.faults.set({ latencyMs: 300, pathPrefix: `/tasks/${id}`, method: 'GET' });
    const reads = gw.sim.requests.count({ path: `/tasks/${id}` });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        abortedRequest(`${TASK_EVENTS}\n# ${i}`, { id: String(id) }, 100, 'text/event-stream'),
      ),
    );
    await until(() => gw.sim.requests.count({ path: `/tasks/${id}` }) >= reads + 20, 5_000, 'the reads');
    gw.sim.faults.set({ latencyMs: 0 });
    await settledAndSilent(id);
  });

  it('leave nothing behind when WebSockets close during the authorization read', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('abandoned', 8, 3));
    // Every Director answer takes 150 ms, so each socket closes while its first read is in flight.
    gw.sim.faults.set({ latencyMs: 150 });
    // Forty distinct documents, so that no two share an execution and each makes its own read.
    const subs = Array.from({ length: 40 }, (_, i) =>
      subscribeWs(
        url,
        `${i % 2 === 0 ? TASK_EVENTS : TASK_UPDATED}\n# ${i}`,
        { id: String(id) },
        gw.sim.basicAuth('admin'),
      ),
    );
    await until(() => gw.sim.requests.count({ path: `/tasks/${id}` }) >= 20, 5_000, 'authorization reads');
    for (const sub of subs) sub.kill();
    gw.sim.faults.set({ latencyMs: 0 });
    await settledAndSilent(id);
  });
});

describe('a gateway shutting down', () => {
  it('ends every subscription and poller, on both transports', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('shutdown', 8, 3));
    const auth = gw.sim.basicAuth('admin');
    const subs = Array.from({ length: 6 }, (_, i) =>
      (i % 2 === 0 ? subscribeSse : subscribeWs)(
        url,
        i < 4 ? TASK_EVENTS : TASK_UPDATED,
        { id: String(id) },
        auth,
      ),
    );
    await Promise.all(subs.map((s) => s.waitFor(1)));
    expect(gw.runtime.fanout.stats().clients).toBe(6);
    expect(gw.runtime.streams.stats()).toMatchObject({ taskPollers: 1 });
    await gw.runtime.close();
    await Promise.all(subs.map((s) => s.done));
    await until(() => gw.runtime.fanout.stats().clients === 0, 5_000, 'every subscription to end');
    expect(gw.runtime.streams.stats()).toMatchObject({
      subscriptions: 0,
      taskPollers: 0,
      runningTasksPollers: 0,
    });
  });
});
