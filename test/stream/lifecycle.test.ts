/**
 * docs/task-stream.md sections 1 and 8: pollers stop when their last subscriber leaves, abruptly
 * or not; subscriptions complete at every terminal state once the log is delivered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import {
  expectedStages,
  FAILING,
  manifest,
  records,
  shownStages,
  TASK_EVENTS,
  TASK_UPDATED,
  until,
} from './fixtures.js';

let gw: TestGateway;
let url: string;
beforeEach(async () => {
  gw = await startTestGateway({ simulator: { tickMs: 40 }, stream: { intervalMs: 100 } });
  url = await gw.listen();
});
afterEach(() => gw.close());

describe('cleanup', () => {
  it('stops the poller after abrupt SSE and WebSocket disconnects, and polls no more', async () => {
    // A slow deploy, so the task is still running when every client vanishes.
    const id = gw.sim.tasks.startDeploy(manifest('abandoned', 8, 3));
    const auth = gw.sim.basicAuth('admin');
    const subs = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? subscribeSse : subscribeWs)(url, TASK_EVENTS, { id: String(id) }, auth),
    );
    await Promise.all(subs.map((s) => s.waitFor(2)));
    expect(gw.runtime.fanout.stats()).toEqual({ clients: 10, executions: 1 });
    expect(gw.runtime.streams.stats()).toMatchObject({ subscriptions: 1, taskPollers: 1 });

    for (const sub of subs) sub.kill();
    await until(() => gw.runtime.streams.stats().taskPollers === 0, 5_000, 'the poller to stop');
    expect(gw.runtime.streams.stats().subscriptions).toBe(0);
    expect(gw.runtime.fanout.stats()).toEqual({ clients: 0, executions: 0 });
    expect(gw.sim.tasks.get(id)?.state).toBe('processing');

    // No poll after the stop: at most the one call that was in flight, over three intervals.
    const before = gw.sim.requests.count({ pathPrefix: `/tasks/${id}` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gw.sim.requests.count({ pathPrefix: `/tasks/${id}` }) - before).toBeLessThanOrEqual(1);
  });

  it('keeps polling for the subscribers that stay when others leave', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('partly', 2, 2));
    const auth = gw.sim.basicAuth('admin');
    const leaving = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    const staying = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    await leaving.waitFor(2);
    leaving.kill();
    await staying.done;
    expect(shownStages(records(staying.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
    await until(() => gw.runtime.streams.stats().taskPollers === 0, 5_000, 'the poller to stop');
  });
});

describe('completion', () => {
  it('completes taskEvents and taskUpdated when a deploy is done', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('fine', 1, 2));
    const auth = gw.sim.basicAuth('admin');
    const events = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    const updates = subscribeWs(url, TASK_UPDATED, { id: String(id) }, auth);
    await Promise.all([events.done, updates.done]);
    expect(gw.sim.tasks.get(id)?.state).toBe('done');
    const states = records(updates.results, 'taskUpdated').map((t) => t.state);
    expect(states.at(-1)).toBe('DONE');
    // States only move forward, each sent once.
    expect(new Set(states).size).toBe(states.length);
    expect(records(updates.results, 'taskUpdated').at(-1).finishedAt).not.toBeNull();
    expect(shownStages(records(events.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
  });

  it('completes at the error state, with the failed step and the error record last', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('broken', 1, 2, FAILING));
    const auth = gw.sim.basicAuth('admin');
    const events = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    const updates = subscribeSse(url, TASK_UPDATED, { id: String(id) }, auth);
    await Promise.all([events.done, updates.done]);
    const received = records(events.results);
    expect(received.at(-1)).toMatchObject({ __typename: 'TaskErrorEvent', code: 400007 });
    expect(received.some((r) => r.state === 'FAILED' && typeof r.error === 'string')).toBe(true);
    expect(records(updates.results, 'taskUpdated').at(-1).state).toBe('ERROR');
  });

  it('completes at the cancelled state with the 10001 error record', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('cancelled', 6, 3));
    const auth = gw.sim.basicAuth('admin');
    const events = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    const updates = subscribeWs(url, TASK_UPDATED, { id: String(id) }, auth);
    await events.waitFor(3);
    const cancel = await gw.graphql(`mutation { cancelTask(id: "${id}") { state } }`);
    expect(cancel.errors).toBeUndefined();
    await Promise.all([events.done, updates.done]);
    expect(records(events.results).at(-1)).toMatchObject({ __typename: 'TaskErrorEvent', code: 10001 });
    const states = records(updates.results, 'taskUpdated').map((t) => t.state);
    // CANCELLING may last less than a poll interval; the mutation itself saw it.
    expect(['CANCELLING', 'CANCELLED']).toContain(cancel.data.cancelTask.state);
    expect(states.at(-1)).toBe('CANCELLED');
    expect(new Set(states).size).toBe(states.length);
  });

  it('sends the whole log of an already finished task, then completes', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('old', 1, 1));
    await gw.sim.tasks.wait(id);
    const events = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await events.done;
    expect(shownStages(records(events.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
    await until(() => gw.runtime.streams.stats().taskPollers === 0, 5_000, 'the poller to stop');
  });
});

describe('fields of pushed results', () => {
  it('resolves each pushed task with fresh data, not the first answer again', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('fresh-fields', 2, 2));
    const query = `subscription { taskUpdated(id: "${id}") { state events { __typename } } }`;
    const sub = subscribeWs(url, query, {}, gw.sim.basicAuth('admin'));
    await sub.done;
    const pushed = records(sub.results, 'taskUpdated');
    expect(pushed.at(-1).state).toBe('DONE');
    // The last result lists the whole log, though the first was resolved near its start.
    expect(pushed.at(-1).events.length).toBe(gw.sim.tasks.events(id).length);
    expect(pushed[0].events.length).toBeLessThan(pushed.at(-1).events.length);
  });
});
