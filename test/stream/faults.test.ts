/**
 * docs/task-stream.md section 5: Director faults in the middle of a stream are retried with
 * backoff and lose or repeat nothing; a Director that stays away ends the stream with
 * DIRECTOR_UNAVAILABLE and the cursor to resume from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from './fixtures.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('Director faults mid-stream', () => {
  it('loses and duplicates nothing through resets and 5xx, checked against the full log', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 30 } });
    const url = await gw.listen();
    const auth = gw.sim.basicAuth('admin');
    const id = gw.sim.tasks.startDeploy(manifest('flaky', 3, 3));
    const sse = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    const ws = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    await Promise.all([sse.waitFor(2), ws.waitFor(2)]);
    // From now on a third of the task's calls fail: 503s, resets before answering, and resets
    // after half the body (a torn Range read must not advance the offset).
    gw.sim.faults.set({ pathPrefix: `/tasks/${id}`, errorRate: 0.2, resetRate: 0.15 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    gw.sim.faults.set({ resetMidBody: true });
    await Promise.all([sse.done, ws.done]);
    gw.sim.faults.clear();

    const faulted = gw.sim.requests.list({ pathPrefix: `/tasks/${id}` }).filter((r) => r.fault);
    expect(faulted.some((r) => r.fault === 'error')).toBe(true);
    expect(faulted.some((r) => r.fault === 'reset')).toBe(true);
    const expected = expectedStages(gw.sim.tasks.events(id));
    expect(shownStages(records(sse.results))).toEqual(expected);
    expect(shownStages(records(ws.results))).toEqual(expected);
  });

  it('ends with DIRECTOR_UNAVAILABLE and a lastCursor that resumes without loss', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 40 }, stream: { unavailableAfterMs: 400 } });
    const url = await gw.listen();
    const auth = gw.sim.basicAuth('admin');
    const id = gw.sim.tasks.startDeploy(manifest('outage', 3, 2));
    const sub = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    await sub.waitFor(3);
    gw.sim.faults.set({ pathPrefix: `/tasks/${id}`, errorRate: 1, errorStatus: 503 });
    await sub.done;
    gw.sim.faults.clear();

    const last = sub.results.at(-1);
    expect(last?.errors?.[0]?.extensions?.code).toBe('DIRECTOR_UNAVAILABLE');
    const lastCursor = last?.errors?.[0]?.extensions?.lastCursor as string;
    const before = records(sub.results.slice(0, -1));
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(lastCursor).toBe(before.at(-1).cursor);

    const resumed = subscribeSse(url, TASK_EVENTS, { id: String(id), after: lastCursor }, auth);
    await resumed.done;
    const joined = [...before, ...records(resumed.results)];
    expect(shownStages(joined)).toEqual(expectedStages(gw.sim.tasks.events(id)));
  });

  it('ends with DIRECTOR_UNAVAILABLE when the Director goes away (connections refused)', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 40 }, stream: { unavailableAfterMs: 300 } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('gone', 4, 3));
    const sub = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await sub.waitFor(2);
    await gw.sim.stop();
    await sub.done;
    const last = sub.results.at(-1);
    expect(last?.errors?.[0]?.extensions?.code).toBe('DIRECTOR_UNAVAILABLE');
    const received = records(sub.results.slice(0, -1));
    expect(last?.errors?.[0]?.extensions?.lastCursor).toBe(received.at(-1).cursor);
    await until(() => gw!.runtime.streams.stats().taskPollers === 0, 5_000, 'the poller to stop');
  });

  it('keeps the stream intact when the Director ignores Range and sends the whole log each time', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 30, faults: { ignoreRange: true } } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('no-range', 2, 2));
    const sub = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await sub.done;
    expect(shownStages(records(sub.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
  });
});
