/**
 * docs/task-stream.md sections 3 and 4: a cursor resumes right after its record; late joiners and
 * resumes get what they lack from the buffer, or from the Director when it left the buffer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS } from './fixtures.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('resume', () => {
  it('continues exactly after the record whose cursor it was given', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const auth = gw.sim.basicAuth('admin');
    const id = gw.sim.tasks.startDeploy(manifest('resume', 2, 2));
    const whole = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    await whole.done;
    const all = records(whole.results);
    expect(shownStages(all)).toEqual(expectedStages(gw.sim.tasks.events(id)));

    for (const k of [0, 4, all.length - 2]) {
      const resumed = subscribeWs(url, TASK_EVENTS, { id: String(id), after: all[k].cursor }, auth);
      await resumed.done;
      expect(records(resumed.results)).toEqual(all.slice(k + 1));
    }
    // The last record's cursor: nothing left, and the finished task completes the stream at once.
    const atEnd = subscribeSse(url, TASK_EVENTS, { id: String(id), after: all.at(-1).cursor }, auth);
    await atEnd.done;
    expect(atEnd.results).toEqual([]);
  });

  it('resumes mid-run, while the task is still writing, with no duplicate and no gap', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 40 } });
    const url = await gw.listen();
    const auth = gw.sim.basicAuth('admin');
    const id = gw.sim.tasks.startDeploy(manifest('midrun', 3, 2));
    const first = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    await first.waitFor(5);
    first.close();
    const head = records(first.results).slice(0, 5);
    const rest = subscribeSse(url, TASK_EVENTS, { id: String(id), after: head.at(-1).cursor }, auth);
    await rest.done;
    const joined = [...head, ...records(rest.results)];
    expect(shownStages(joined)).toEqual(expectedStages(gw.sim.tasks.events(id)));
    expect(new Set(joined.map((r) => r.cursor)).size).toBe(joined.length);
  });

  it('serves records that left the bounded buffer from the Director with Range', async () => {
    // A buffer of 3 records: a late joiner's first records are long gone from it.
    gw = await startTestGateway({ stream: { buffer: { maxRecords: 3, maxBytes: 1 << 20 } } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('evicted', 3, 2));
    const early = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await early.waitFor(12);
    // The joiner has other credentials than the poller's (the admin's, the oldest subscriber).
    const late = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('reader'));
    await Promise.all([early.done, late.done]);
    const expected = expectedStages(gw.sim.tasks.events(id));
    expect(shownStages(records(early.results))).toEqual(expected);
    expect(shownStages(records(late.results))).toEqual(expected);
    // The records it lacked came from the Director, read with its own credentials.
    const joinerReads = gw.sim.requests.list({ path: `/tasks/${id}/output`, user: 'reader' });
    expect(joinerReads.length).toBeGreaterThan(0);
    expect(joinerReads.some((r) => r.bytes > 0)).toBe(true);
  });

  it('refuses a cursor of another task with BAD_USER_INPUT', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const auth = gw.sim.basicAuth('admin');
    const one = gw.sim.tasks.startDeploy(manifest('one', 1, 1));
    const sub = subscribeSse(url, TASK_EVENTS, { id: String(one) }, auth);
    await sub.done;
    const cursor = records(sub.results)[0].cursor;
    const other = gw.sim.tasks.list().find((t) => t.id !== one)!.id;
    for (const after of [cursor, 'not-a-cursor']) {
      const wrong = subscribeWs(url, TASK_EVENTS, { id: String(other), after }, auth);
      await wrong.done;
      expect(wrong.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
